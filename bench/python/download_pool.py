#!/usr/bin/env python3
"""The classic threaded downloader: an 8-thread ThreadPoolExecutor fetching a list of URLs.

Prints seconds=<wall time of the pool> when every URL is saved.
"""
import argparse
import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def download(url, folder):
    name = os.path.basename(url) or "download"
    with urllib.request.urlopen(url, timeout=60) as response:
        data = response.read()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    return len(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    with open(args.urls) as f:
        urls = [line.strip() for line in f if line.strip()]
    os.makedirs(args.folder, exist_ok=True)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        sizes = list(pool.map(lambda u: download(u, args.folder), urls))
    seconds = time.perf_counter() - start
    print(f"downloaded={len(sizes)} bytes={sum(sizes)} seconds={seconds:.3f}", flush=True)


if __name__ == "__main__":
    main()
