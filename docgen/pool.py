"""Worker processes that die with their build, and one piece of work beside the build.

A build killed with SIGKILL cannot stop its workers; they notice instead: each worker watches
its parent and exits as soon as the parent is gone (its parent pid changes when it is
reparented), so no page worker or models process outlives the build it worked for.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")

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


class Beside:
    """Runs one function in a second process when `enabled` and there is a second core, else
    right away in this one; `submit` returns a Future either way.

    The process is forked at the submit, so the function and its arguments (the whole API,
    the spec's input: large) reach it through the fork rather than through a pickle; only
    the result comes back pickled. One piece of work per `Beside`."""

    def __init__(self, enabled: bool) -> None:
        self.pool = process_pool(1, fork=True) if enabled and (os.cpu_count() or 1) > 1 else None

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        if self.pool is not None:
            token = next(_TOKENS)
            _FORKED_WORK[token] = (fn, args)
            try:
                return self.pool.submit(_forked_work, token)
            finally:
                del _FORKED_WORK[token]  # the child has its copy: it forked in submit
        done: Future[R] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as e:  # raised again by result(), as the pool's future would
            done.set_exception(e)
        return done


# Work handed to a forked process through its copy of this process's memory.
_FORKED_WORK: dict[int, tuple[Callable[..., Any], tuple[Any, ...]]] = {}
_TOKENS = itertools.count()


def _forked_work(token: int) -> Any:
    fn, args = _FORKED_WORK[token]
    return fn(*args)
