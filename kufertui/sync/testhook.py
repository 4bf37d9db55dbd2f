"""A hold point for the kill-and-resume tests: with ``KUFERTUI_TEST_HOLD=<phase>`` set, the engine
stops at the start of that phase (after writing ``KUFERTUI_TEST_HOLD_FILE``) until it is killed.

Used only for phases that talk to nobody (lock, write-back, pre-flight, report); the network phases
are slowed in the simulator instead. Without the variable this is one dictionary lookup.
"""

from __future__ import annotations

import os
import time

HOLD_ENV = "KUFERTUI_TEST_HOLD"
HOLD_FILE_ENV = "KUFERTUI_TEST_HOLD_FILE"


def hold_point(phase: str) -> None:
    if os.environ.get(HOLD_ENV) != phase:
        return
    marker = os.environ.get(HOLD_FILE_ENV)
    if marker:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(phase)
    while True:  # blocks the event loop on purpose: the test kills the process here
        time.sleep(1)
