"""CPython reference: no-op tasks through apply_async with a callback, 2 workers.
Prints '<tasks> <seconds>' (pool creation excluded, close+join included)."""
import sys, time
from multiprocessing import Pool

def noop(x):
    return x

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    got = []
    with Pool(2) as pool:
        t0 = time.monotonic()
        for i in range(n):
            pool.apply_async(noop, (i,), callback=got.append)
        pool.close()
        pool.join()
        t = time.monotonic() - t0
    assert len(got) == n and sorted(got) == list(range(n)), "lost results"
    print(n, f"{t:.6f}")

if __name__ == '__main__':
    main()
