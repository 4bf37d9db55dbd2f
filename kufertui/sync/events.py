"""Events the engine emits. The TUI and the headless CLI consume the same stream.

Texts travel as message keys + parameters (see kufertui.i18n), never as finished sentences,
so every consumer shows them in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PHASES: tuple[str, ...] = (
    "lock", "pull", "writeback", "push", "preflight", "xml", "fields", "upload", "report", "targetgroup",
)


@dataclass(frozen=True, slots=True)
class Event:
    pass


@dataclass(frozen=True, slots=True)
class PhaseStarted(Event):
    phase: str
    total: int | None = None  # units of work in this phase, when known


@dataclass(frozen=True, slots=True)
class Progress(Event):
    phase: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Message(Event):
    level: str  # info, warning, error
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    hint_id: str | None = None


@dataclass(frozen=True, slots=True)
class BatchFinished(Event):
    batch_no: int
    batches: int
    size: int
    new: int
    existing: int
    invalid: int
    unsubscribed: int


@dataclass(frozen=True, slots=True)
class Finished(Event):
    report: Any  # kufertui.core.report.RunReport


@dataclass(frozen=True, slots=True)
class Failed(Event):
    key: str
    params: dict[str, Any]
    hint_id: str | None
    exit_code: int  # DESIGN §4: 2 usage/config, 3 unreachable, 4 aborted (resumable)
    run_id: int | None = None
    resumable: bool = False


EventSink = Callable[[Event], None]
