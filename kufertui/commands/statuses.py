"""`--status J,K` of `sync` and `segment add`: the newsletter statuses, or a usage error (exit 2).

A typo used to select nobody and end with exit 0, so a cron job sent nothing without a word.
"""

from __future__ import annotations

import argparse

from kufertui import i18n

LETTERS = ("J", "K", "N")
EMPTY_WORDS = ("LEER", "EMPTY", "-")  # contacts without a status


def parse_statuses(raw: str) -> frozenset[str]:
    """The statuses of a comma list ("" stands for no status); argparse's type for --status."""
    parts = [part.strip().upper() for part in raw.split(",") if part.strip()]
    unknown = [part for part in parts if part not in LETTERS and part not in EMPTY_WORDS]
    if unknown:
        raise argparse.ArgumentTypeError(i18n.t("cli.bad-status", given=raw.strip()))
    if not parts:  # "" or ",": not "everybody"
        raise argparse.ArgumentTypeError(i18n.t("cli.no-status"))
    return frozenset("" if part in EMPTY_WORDS else part for part in parts)
