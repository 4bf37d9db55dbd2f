"""The one-line warning above every screen: the last unsubscriber pull is older than Maileon's retention
window, or KUFER objections are not passed to Maileon (the setting is off)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from rich.cells import cell_len
from textual.widgets import Static

from kufertui.i18n import t
from kufertui.tui.plain import plain

_WORD = re.compile(r"`[^`]*`\S*|\S+")


def wrap_keeping_commands(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken between words but never inside a `command` (it is copied
    from the screen; a no-break space would not survive in the shell, and Textual breaks there anyway)."""
    lines: list[str] = []
    line = ""
    for word in _WORD.findall(text):
        if line and cell_len(line) + 1 + cell_len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def pull_overdue(last_pull_at: str | None, retention_days: int, now: datetime | None = None) -> bool:
    if not last_pull_at:
        return True
    try:
        when = datetime.fromisoformat(last_pull_at)
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) - when > timedelta(days=retention_days)


class RetentionBanner(Static):
    DEFAULT_CSS = """
    RetentionBanner {
        height: auto; max-height: 4; background: $warning 30%; color: $text; padding: 0 1; display: none;
    }
    RetentionBanner.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(id="retention-banner")
        self.warnings: list[str] = []

    def on_mount(self) -> None:
        self.check()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        width = self.content_region.width or self.app.size.width - 2
        self.update(plain("\n".join(line for w in self.warnings for line in wrap_keeping_commands(w, width))))

    def check(self) -> None:
        state = self.app.state  # type: ignore[attr-defined]
        last = state.workspace.get_meta("last_pull_at")
        days = state.settings.unsubscribers.retention_days
        warnings: list[str] = []
        if pull_overdue(last, days, state.now()):
            key = "banner.never-pulled" if not last else "banner.pull-overdue"
            warnings.append(t(key, days=days, when=(last or "")[:10]))
        if not state.settings.unsubscribers.push_objections:
            warnings.append(t("banner.push-off"))
        self.warnings = warnings
        if warnings:
            self._show()
        self.set_class(bool(warnings), "-shown")
