"""Events the engine emits. The TUI and the headless CLI consume the same stream.

Texts travel as message keys + parameters (see kufertui.i18n), never as finished sentences,
so every consumer shows them in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kufertui.core.report import RunReport

PHASES: tuple[str, ...] = (
    "lock", "pull", "writeback", "push", "preflight", "xml", "fields", "upload", "report", "targetgroup",
)


@dataclass(frozen=True, slots=True)
class Event:
    def as_message(self) -> Message | None:
        """The line a log or a terminal shows for this event, if it is one of the typed facts below."""
        return None


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
class Pulled(Event):
    """Maileon's unsubscribes are on the ledger (before anything else happens)."""

    seen: int  # entries in Maileon's report for the window
    new: int  # addresses new to the ledger
    set_n: int  # workspace contacts switched to N

    def as_message(self) -> Message:
        return Message("info", "engine.pulled", {"seen": self.seen, "new": self.new, "set_n": self.set_n})


@dataclass(frozen=True, slots=True)
class DryRunWritten(Event):
    """A dry run's per-contact result was written (CSV, with a JSON beside it)."""

    path: str

    def as_message(self) -> Message:
        return Message("info", "engine.dry-run-written", {"path": self.path})


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
    report: RunReport


@dataclass(frozen=True, slots=True)
class Failed(Event):
    key: str
    params: dict[str, Any]
    hint_id: str | None
    exit_code: int  # core/exitcodes.py: 2 usage/config, 3 unreachable, 4 aborted (resumable)
    run_id: int | None = None
    resumable: bool = False


EventSink = Callable[[Event], None]
