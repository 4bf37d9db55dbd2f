"""The report line as a picture: one bar split into updated / new / invalid / unsubscribes (and K held
back, and a gap if any), as wide as the screen; the report line above it is coloured as its legend."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from kufertui.core.report import BAR_PARTS, RunReport, bar_values, bar_widths, report_line_parts

STYLES = dict(BAR_PARTS)


def styled_report_line(report: RunReport, lang: str) -> Text:
    """The manual's report line, each figure in the colour of its part of the bar."""
    text = Text()
    for piece, part in report_line_parts(report, lang):
        text.append(piece, style=f"bold {STYLES[part]}" if part else "")
    return text


def bar_text(report: RunReport, width: int) -> Text:
    values = bar_values(report)
    text = Text(no_wrap=True)
    for (name, _value), cells in zip(values, bar_widths([v for _, v in values], width), strict=True):
        text.append("█" * cells, style=STYLES[name])
    return text


class ReportBar(Static):
    DEFAULT_CSS = """
    ReportBar { height: 1; padding: 0 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.report: RunReport | None = None

    def show(self, report: RunReport | None) -> None:
        self.report = report
        self._draw()

    def on_resize(self, _event: Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.content_size.width or max(10, self.size.width - 2)
        self.update(bar_text(self.report, width) if self.report and self.report.selected else "")
