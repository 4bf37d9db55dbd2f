"""Ctrl+C in a command: the first asks the work to stop where it can (``cancel``), the second stops at once."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from kufertui.i18n import t


@contextmanager
def graceful_interrupt(cancel: threading.Event, text_key: str = "cli.stopping", *, sigterm: bool = False,
                       stream: TextIO | None = None) -> Iterator[None]:
    """First Ctrl+C (and, with ``sigterm``, a service stopping): set ``cancel`` and say ``text_key``; the work
    checkpoints and stops. A second Ctrl+C stops at once. Outside the main thread signals are not ours: nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(_sig: int, _frame: Any) -> None:
        cancel.set()
        print(t(text_key), file=stream or sys.stdout, flush=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signals = [signal.SIGINT, *([signal.SIGTERM] if sigterm and hasattr(signal, "SIGTERM") else [])]
    previous = {s: signal.signal(s, first) for s in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
