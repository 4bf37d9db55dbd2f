"""`--status J,K` of `sync` and `segment add`: the newsletter statuses, or a usage error (exit 2).

A typo used to select nobody and end with exit 0, so a cron job sent nothing without a word. `sync` takes
only what it can send (J, K): `--status N` selected nobody, as N and empty are never sent.
"""

from __future__ import annotations

import argparse
from typing import Any

from kufertui import i18n
from kufertui.core.contact import UPLOADABLE_STATUSES

LETTERS = ("J", "K", "N")
EMPTY_WORDS = ("LEER", "EMPTY", "-")  # contacts without a status


class KeyedArgumentError(argparse.ArgumentTypeError):
    """A refused option value that keeps its message id (the `error` of --json) and hint id."""

    def __init__(self, key: str, hint_id: str | None = None, *, text_key: str | None = None, **params: Any) -> None:
        super().__init__(i18n.t(text_key or key, **params))
        self.key = key
        self.hint_id = hint_id


def parse_statuses(raw: str) -> frozenset[str]:
    """The statuses of a comma list ("" stands for no status); argparse's type for --status."""
    parts = [part.strip().upper() for part in raw.split(",") if part.strip()]
    unknown = [part for part in parts if part not in LETTERS and part not in EMPTY_WORDS]
    if unknown:
        raise KeyedArgumentError("cli.bad-status", given=raw.strip())
    if not parts:  # "" or ",": not "everybody"
        raise KeyedArgumentError("cli.no-status")
    return frozenset("" if part in EMPTY_WORDS else part for part in parts)


def parse_sync_statuses(raw: str) -> frozenset[str]:
    """`sync --status`: J and/or K; N and empty are refused with the reason (they are never sent)."""
    parts = [part.strip().upper() for part in raw.split(",") if part.strip()]
    if any(part not in LETTERS and part not in EMPTY_WORDS for part in parts):
        raise KeyedArgumentError("cli.bad-status", text_key="cli.sync-bad-status", given=raw.strip())
    if not parts:
        raise KeyedArgumentError("cli.no-status", text_key="cli.sync-no-status")
    statuses = parse_statuses(raw)
    never = sorted(statuses - UPLOADABLE_STATUSES, key=lambda s: s or "~")
    if never:
        shown = ", ".join(s or i18n.t("cli.status-empty") for s in never)
        raise KeyedArgumentError("cli.status-not-sent", "status-not-uploadable", given=raw.strip(), refused=shown)
    return statuses
