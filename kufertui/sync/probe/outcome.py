"""What a probe run, or a cleanup of leftovers, comes to: the rows, what is left, the exit code, the JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_OK, EXIT_REJECTS, EXIT_UNREACHABLE, EXIT_USAGE
from kufertui.maileon.errors import (
    MaileonError,
    NetworkError,
    ProxyError,
    RateLimited,
    RequestTimeout,
    TLSError,
)

from .steps import Names, RowResult, Verdict


def fatal(exc: MaileonError) -> bool:
    """Failures that end the probe (the key, the rights, the way to Maileon); any other answer is what a step
    learns, or why it could not check."""
    return exc.configuration or isinstance(exc, NetworkError | RequestTimeout | TLSError | ProxyError | RateLimited)


@dataclass
class ProbeOutcome:
    names: Names
    base_url: str
    started_at: str
    seconds: float = 0.0
    rows: list[RowResult] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # of this probe, still in Maileon (record kept)
    earlier_removed: int = 0  # records of earlier probes whose leftovers this run removed
    earlier_left: list[str] = field(default_factory=list)
    report_entries: int = 0  # entries the probe's unsubscribes left in the report (Maileon keeps them)
    error: MaileonError | None = None
    interrupted: bool = False
    file: Path | None = None

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return int(EXIT_USAGE if self.error.configuration else EXIT_UNREACHABLE)
        if self.interrupted:
            return int(EXIT_ABORTED)
        if self.leftovers or any(r.verdict is Verdict.DIFFERS for r in self.rows):
            return int(EXIT_REJECTS)
        return int(EXIT_OK)

    def counts(self) -> dict[str, int]:
        return {str(v): sum(1 for r in self.rows if r.verdict is v) for v in Verdict}

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.exit_code == EXIT_OK, "exit_code": self.exit_code, "probe": self.names.token,
                "domain": self.names.domain, "base_url": self.base_url, "started_at": self.started_at,
                "seconds": self.seconds, "summary": self.counts(), "rows": [r.to_json() for r in self.rows],
                "cleanup": {"complete": not self.leftovers, "leftovers": self.leftovers},
                "earlier_leftovers_removed": self.earlier_removed, "earlier_leftovers": self.earlier_left,
                "report_entries_left": self.report_entries, "interrupted": self.interrupted,
                "error": None if self.error is None else {"hint_id": self.error.hint_id,
                                                          "detail": self.error.technical()},
                "file": str(self.file) if self.file else None}


@dataclass
class CleanupOutcome:
    removed: int = 0
    left: list[str] = field(default_factory=list)
    elsewhere: int = 0  # records made in another Maileon than the one configured (not touched)
    error: MaileonError | None = None

    @property
    def exit_code(self) -> int:
        if self.error is not None and fatal(self.error):
            return int(EXIT_USAGE if self.error.configuration else EXIT_UNREACHABLE)
        return int(EXIT_REJECTS if self.left else EXIT_OK)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.exit_code == EXIT_OK, "exit_code": self.exit_code, "removed": self.removed,
                "leftovers": self.left, "other_maileon": self.elsewhere,
                "error": None if self.error is None else {"hint_id": self.error.hint_id,
                                                          "detail": self.error.technical()}}
