#!/usr/bin/env python3
"""The classic task_worker.py: take a number, put back "n * n = n*n", one call each way."""
import argparse
from multiprocessing.managers import BaseManager


class QueueManager(BaseManager):
    pass


QueueManager.register("get_task_queue")
QueueManager.register("get_result_queue")
QueueManager.register("get_ready_queue")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--authkey", default="rmiq-bench")
    args = parser.parse_args()
    manager = QueueManager(address=("127.0.0.1", args.port), authkey=args.authkey.encode())
    manager.connect()
    tasks = manager.get_task_queue()
    results = manager.get_result_queue()
    manager.get_ready_queue().put("ready")
    while True:
        n = tasks.get(timeout=60)
        if n is None:
            break
        results.put("%d * %d = %d" % (n, n, n * n))


if __name__ == "__main__":
    main()
