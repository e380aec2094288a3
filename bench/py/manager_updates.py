"""CPython reference: 4 processes update a Manager dict. Prints '<updates> <seconds>'."""
import sys, time
from multiprocessing import Manager, Process

def worker(d, k, n):
    for i in range(n):
        d[f"{k}-{i}"] = str(i)

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with Manager() as m:
        d = m.dict()
        t0 = time.monotonic()
        ps = [Process(target=worker, args=(d, k, n)) for k in range(4)]
        for p in ps: p.start()
        for p in ps: p.join()
        t = time.monotonic() - t0
        assert len(d) == 4 * n
    print(4 * n, f"{t:.6f}")

if __name__ == '__main__':
    main()
