"""The bench's memory figures: shared pages of forked processes are counted once."""

import os
import time

from bench.run import pss_mb, rss_mb


def test_pss_of_this_process_is_positive_and_at_most_its_rss():
    pid = os.getpid()
    assert 0 < pss_mb(pid) <= rss_mb(pid) + 1


def test_a_forked_tree_is_not_counted_once_per_process():
    ballast = bytearray(os.urandom(64 * 1024 * 1024))  # 64 MiB shared with the child until written
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        os.write(write, b"x")
        time.sleep(30)
        os._exit(0)
    try:
        os.close(write)
        os.read(read, 1)
        parent = os.getpid()
        rss_sum = rss_mb(parent) + rss_mb(child)
        pss_sum = pss_mb(parent) + pss_mb(child)
        # the 64 MiB are resident in both processes but occupy memory once
        assert rss_sum - pss_sum > 48
    finally:
        os.kill(child, 9)
        os.waitpid(child, 0)
