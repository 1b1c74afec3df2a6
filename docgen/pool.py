"""Worker processes that die with their build.

A build killed with SIGKILL cannot stop its workers; they notice instead: each worker watches
its parent and exits as soon as the parent is gone (its parent pid changes when it is
reparented), so no page worker or models process outlives the build it worked for.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

WATCH_INTERVAL = 0.2  # seconds between a worker's looks at its parent


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)  # the build is gone: nothing to hand a result to


def _die_with_parent(parent: int) -> None:
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def process_pool(max_workers: int, fork: bool = False) -> ProcessPoolExecutor:
    """A process pool whose workers exit when this process dies; `fork` shares this process's
    memory with them (for work on what it has built)."""
    context = multiprocessing.get_context("fork") if fork else None
    return ProcessPoolExecutor(
        max_workers=max_workers, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    )
