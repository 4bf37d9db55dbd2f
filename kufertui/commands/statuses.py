"""`--status J,K` of `sync` and `segment add`: the newsletter statuses, or a usage error (exit 2).

A typo used to select nobody and end with exit 0, so a cron job sent nothing without a word. `sync` takes
only what it can send (J, K): `--status N` selected nobody, as N and empty are never sent.
"""

from __future__ import annotations

import argparse
from typing import Any

from kufertui import i18n
from kufertui.core.contact import UPLOADABLE_STATUSES, Status


class KeyedArgumentError(argparse.ArgumentTypeError):
    """A refused option value that keeps its message id (the `error` of --json) and hint id."""

    def __init__(self, key: str, hint_id: str | None = None, *, text_key: str | None = None, **params: Any) -> None:
        super().__init__(i18n.t(text_key or key, **params))
        self.key = key
        self.hint_id = hint_id


def _statuses(raw: str) -> frozenset[str] | None:
    """The statuses of a comma list in Status.parse's words ("leer" or "-" for no status); None: a word it does
    not know. Empty for "" or "," (which is not "everybody")."""
    try:
        return frozenset(Status.parse(part).value for part in raw.split(",") if part.strip())
    except ValueError:
        return None


def parse_statuses(raw: str) -> frozenset[str]:
    """The statuses of a comma list ("" stands for no status); argparse's type for --status."""
    statuses = _statuses(raw)
    if statuses is None:
        raise KeyedArgumentError("cli.bad-status", given=raw.strip())
    if not statuses:
        raise KeyedArgumentError("cli.no-status")
    return statuses


def parse_sync_statuses(raw: str) -> frozenset[str]:
    """`sync --status`: J and/or K; N and empty are refused with the reason (they are never sent)."""
    statuses = _statuses(raw)
    if statuses is None:
        raise KeyedArgumentError("cli.bad-status", text_key="cli.sync-bad-status", given=raw.strip())
    if not statuses:
        raise KeyedArgumentError("cli.no-status", text_key="cli.sync-no-status")
    never = sorted(statuses - UPLOADABLE_STATUSES, key=lambda s: s or "~")
    if never:
        shown = ", ".join(s or i18n.t("cli.status-empty") for s in never)
        raise KeyedArgumentError("cli.status-not-sent", "status-not-uploadable", given=raw.strip(), refused=shown)
    return statuses
