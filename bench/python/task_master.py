#!/usr/bin/env python3
"""The classic Python master/worker demo (multiprocessing.managers), as rmiq's reference.

Shape of the well-known task_master.py: a BaseManager serves a task queue and a result queue;
workers connect, take one number at a time and put back its square. This version waits until
WORKERS workers said they are ready, then times TASKS squares from the first put to the last
result, and prints one line: "python-manager tasks=N seconds=S rate=R".
"""
import argparse
import queue
import time
from multiprocessing.managers import BaseManager

task_queue = queue.Queue()
result_queue = queue.Queue()
ready_queue = queue.Queue()


class QueueManager(BaseManager):
    pass


QueueManager.register("get_task_queue", callable=lambda: task_queue)
QueueManager.register("get_result_queue", callable=lambda: result_queue)
QueueManager.register("get_ready_queue", callable=lambda: ready_queue)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tasks", type=int, default=40000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--authkey", default="rmiq-bench")
    args = parser.parse_args()
    manager = QueueManager(address=("127.0.0.1", args.port), authkey=args.authkey.encode())
    manager.start()
    tasks = manager.get_task_queue()
    results = manager.get_result_queue()
    ready = manager.get_ready_queue()
    print("python-manager listening", flush=True)
    for _ in range(args.workers):
        ready.get(timeout=60)
    start = time.perf_counter()
    for n in range(1, args.tasks + 1):
        tasks.put(n)
    for _ in range(args.tasks):
        results.get(timeout=60)
    seconds = time.perf_counter() - start
    for _ in range(args.workers):
        tasks.put(None)  # tell each worker to stop
    print("python-manager tasks=%d seconds=%.3f rate=%.0f"
          % (args.tasks, seconds, args.tasks / seconds), flush=True)
    time.sleep(0.5)
    manager.shutdown()


if __name__ == "__main__":
    main()
