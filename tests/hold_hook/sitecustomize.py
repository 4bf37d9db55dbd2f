"""Hold points for the kill-and-resume tests, kept out of the installed package.

A test puts this folder first on a CLI subprocess's PYTHONPATH (``tests/hold_points.py``: ``hold_env``) and
sets ``KUFERTUI_TEST_HOLD=<phase>``; Python imports this module at start-up, and it wraps the one function the
engine calls at that point of the phase, so that the run writes ``KUFERTUI_TEST_HOLD_FILE`` and blocks there
until the test kills it. Without the variable it does nothing (and the product never sees this folder).

Used only for phases that talk to nobody (lock, write-back, pre-flight, moves, report); the network phases are
slowed in the simulator instead.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from typing import Any

HOLD_ENV = "KUFERTUI_TEST_HOLD"
HOLD_FILE_ENV = "KUFERTUI_TEST_HOLD_FILE"


def _hold(phase: str) -> None:
    marker = os.environ.get(HOLD_FILE_ENV)
    if marker:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(phase)
    while True:  # blocks the event loop on purpose: the test kills the process here
        time.sleep(1)


def _before(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def held(*args: Any, **kwargs: Any) -> Any:
        _hold(phase)
        return fn(*args, **kwargs)

    return held


def _after(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def held(*args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        _hold(phase)
        return result

    return held


def _install(phase: str) -> None:
    from kufertui.store.journal import Journal
    from kufertui.sync import engine
    from kufertui.sync.internals import reconcile, upload_step

    if phase == "lock":  # the run is journaled and its selection saved; next it opens its Maileon client
        engine.SyncEngine.client = _before(phase, engine.SyncEngine.client)
    elif phase == "writeback":  # the pull is journaled and PhaseStarted("writeback") emitted; nothing written yet
        engine.write_back = _before(phase, engine.write_back)
    elif phase == "preflight":  # the first batch is journaled as planned, nothing of it sent
        Journal.plan_batch = _after(phase, Journal.plan_batch)
    elif phase == "moves":  # the upload is done and the moves journaled; none of them sent
        upload_step.move_changed_emails = _before(phase, upload_step.move_changed_emails)
    elif phase == "report":  # every batch is done, PhaseStarted("report") emitted; the report not yet filled
        reconcile.fill_report = _before(phase, reconcile.fill_report)
    else:
        raise SystemExit(f"{HOLD_ENV}={phase}: no such hold point (tests/hold_hook/sitecustomize.py)")


if os.environ.get(HOLD_ENV):
    try:
        _install(os.environ[HOLD_ENV])
    except (ImportError, AttributeError) as exc:  # a module or function moved: say so loudly, not a timeout
        print(f"tests/hold_hook/sitecustomize.py: {exc!r}", file=sys.stderr)
        raise SystemExit(3) from exc
