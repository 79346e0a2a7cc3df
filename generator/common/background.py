"""Work that runs beside the main thread and hands its outcome over as a `Future`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


def in_background(name: str, work: Callable[[], T]) -> Future[T]:
    """Start `work` in a daemon thread; its result or exception arrives through the Future.

    A daemon thread rather than an executor's worker: the command that started it may fail
    before it asks for the result, and then leaves at once instead of waiting at exit for work
    whose outcome nobody reads (a look-up against an account that no longer answers)."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
