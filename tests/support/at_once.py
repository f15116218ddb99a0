"""Run one call from many threads released together, as many processes or operators would."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine

T = TypeVar("T")

WAIT = 60.0
"""Seconds a thread waits for the others at the start, and the test for every thread's end."""


def at_once(n: int, call: Callable[[int], T]) -> list[T | BaseException]:
    """What each of `n` threads got from `call(i)` (its result or what it raised), in thread
    order; the threads are released by one barrier, so the calls truly overlap."""
    start = threading.Barrier(n, timeout=WAIT)
    outcomes: dict[int, T | BaseException] = {}

    def run(i: int) -> None:
        try:
            start.wait()
            outcomes[i] = call(i)
        except BaseException as error:
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,), name=f"at-once-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"still running after {WAIT} s: {stuck}"
    return [outcomes[i] for i in range(n)]


def warm(engine: Engine, n: int) -> None:
    """Open `n` connections in the engine's pool beforehand, so that threads released together
    reach the database together instead of queueing to connect."""
    with contextlib.ExitStack() as stack:
        for _ in range(n):
            stack.enter_context(engine.connect())
