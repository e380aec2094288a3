"""CPython reference: one producer process to one consumer (main), small messages.
Prints '<messages> <seconds>'."""
import sys, time
from multiprocessing import Process, Queue

def producer(q, n):
    for i in range(n):
        q.put(f"message {i}")

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    q = Queue()
    t0 = time.monotonic()
    p = Process(target=producer, args=(q, n))
    p.start()
    for i in range(n):
        m = q.get()
        assert m == f"message {i}"
    p.join()
    print(n, f"{time.monotonic() - t0:.6f}")

if __name__ == '__main__':
    main()
