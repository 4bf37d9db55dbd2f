"""The one-line warning above every screen: the last unsubscriber pull is older than Maileon's retention
window, or KUFER objections are not passed to Maileon (the setting is off)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Static

from kufertui.i18n import t


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
        height: 1; background: $warning 30%; color: $text; padding: 0 1; display: none;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    RetentionBanner.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(id="retention-banner")

    def on_mount(self) -> None:
        self.check()

    def check(self) -> None:
        state = self.app.state  # type: ignore[attr-defined]
        last = state.workspace.get_meta("last_pull_at")
        days = state.settings.unsubscribers.retention_days
        warnings: list[str] = []
        if pull_overdue(last, days):
            key = "banner.never-pulled" if not last else "banner.pull-overdue"
            warnings.append(t(key, days=days, when=(last or "")[:10]))
        if not state.settings.unsubscribers.push_objections:
            warnings.append(t("banner.push-off"))
        if warnings:
            self.update("  ".join(warnings))
        self.set_class(bool(warnings), "-shown")
