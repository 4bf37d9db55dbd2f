"""What `kufertui demo` shows while it prepares (sync.demo_setup.DemoStarter works in a thread): the step it is at,
at once, instead of a blank terminal for the seconds 100,000 contacts take to generate and import."""

from __future__ import annotations

import time
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from kufertui.i18n import number, t
from kufertui.tui.plain import plain


class DemoLoadingScreen(Screen[None]):
    DEFAULT_CSS = """
    DemoLoadingScreen { align: center middle; }
    DemoLoadingScreen > Vertical { width: 90%; max-width: 100; height: auto; padding: 1 2; }
    DemoLoadingScreen #demo-progress { color: $text-muted; }
    """

    def __init__(self, starter: Any) -> None:
        super().__init__()
        self.starter = starter  # sync.demo_setup.DemoStarter

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(t("demo.preparing", n=number(self.starter.contacts))), id="demo-title")
            yield Static(plain(self._progress_line()), id="demo-progress")
            yield Static(plain(t("demo.wait")), id="demo-wait")

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.2, self._tick)

    def _progress_line(self) -> str:
        phases = self.starter.PHASES
        phase = self.starter.phase
        step = phases.index(phase) + 1 if phase in phases else 0
        what = t(f"demo.phase.{phase}") if phase in phases else t("demo.phase.start")
        seconds = int(time.monotonic() - self.starter.started)
        return t("demo.phase", step=step, steps=len(phases), what=what, seconds=seconds)

    def _tick(self) -> None:
        if not self.starter.done.is_set():
            self.query_one("#demo-progress", Static).update(plain(self._progress_line()))
            return
        self._timer.stop()
        error = self.starter.error
        if error is not None:
            detail = str(error) or type(error).__name__
            self.query_one("#demo-progress", Static).update(plain(t("demo.failed", detail=detail)))
            self.query_one("#demo-wait", Static).display = False
            return
        self.app.demo_ready()  # type: ignore[attr-defined]
