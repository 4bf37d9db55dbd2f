"""Formula neutralisation for CSV cells opened in Excel/LibreOffice (CSV injection)."""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """The cell as text; a leading =, +, -, @, TAB or CR gets a `'` so it is never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_TRIGGERS) else text
