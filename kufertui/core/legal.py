"""The § 7 Abs. 3 UWG gate: whether the admin's confirmation of the objection notice holds.

One rule for every place that decides about K contacts (pre-flight, previews, the TUI, doctor,
the settings check at load): the value is an ISO date YYYY-MM-DD that is not in the future.
Anything else ("nein", "false", "gestern") never opens the gate.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # fromisoformat alone also takes 20261201 and 2026-W48-2


class KNotice(Enum):
    UNSET = "unset"  # no confirmation: K contacts are held back
    MALFORMED = "malformed"  # not an ISO date: a settings error
    FUTURE = "future"  # a date still to come: not yet confirmed, K held back
    CONFIRMED = "confirmed"


def k_notice_date(value: str) -> date | None:
    """The confirmation date, or None when the value is not a strict YYYY-MM-DD date."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None


def k_notice_state(value: str, today: date | None = None) -> KNotice:
    if value == "":
        return KNotice.UNSET
    when = k_notice_date(value)
    if when is None:
        return KNotice.MALFORMED
    return KNotice.FUTURE if when > (today or date.today()) else KNotice.CONFIRMED


def k_notice_confirmed(value: str, today: date | None = None) -> bool:
    """True only for a well-formed date that is today or earlier: then K contacts may be sent."""
    return k_notice_state(value, today) is KNotice.CONFIRMED
