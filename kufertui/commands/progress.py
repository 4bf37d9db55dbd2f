"""Engine events on a terminal: Rich progress bars on a TTY, plain lines otherwise (cron, logs)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from kufertui import i18n
from kufertui.core.hints import DEFAULT_API_HOST
from kufertui.core.terminal import printable_params
from kufertui.messages.hints import hint
from kufertui.sync import events as ev


def _counts_column() -> Any:
    """Rich's "done/total" column with the numbers grouped the reader's way (1.558/2.000)."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class Counts(ProgressColumn):
        def render(self, task: Task) -> Text:
            total = i18n.number(int(task.total)) if task.total is not None else "?"
            return Text(f"{i18n.number(int(task.completed))}/{total}", style="progress.download")

    return Counts()


class EventPrinter:
    """Consumes the engine's event stream for the headless CLI."""

    def __init__(self, *, interactive: bool, quiet: bool = False, host: str = DEFAULT_API_HOST) -> None:
        self.interactive = interactive
        self.quiet = quiet
        self.host = host  # the Maileon host the connection hints name
        self._progress: Any = None
        self._task: Any = None
        self._phase = ""
        self._tenth = -1  # the last tenth of a single-call phase shown as a plain line

    def __enter__(self) -> EventPrinter:
        if self.interactive and not self.quiet:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), _counts_column(),
                                      TimeRemainingColumn(), transient=True)
            self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _line(self, text: str, *, to_err: bool = False) -> None:
        if self.quiet and not to_err:
            return
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=sys.stderr if to_err else sys.stdout, flush=True)

    def _next_tenth(self, event: ev.Progress) -> bool:
        """Objection pushes report each contact: a log gets a line per tenth of them, and the last."""
        if event.phase != "push" or event.total <= 0:
            return False
        tenth = event.done * 10 // event.total
        if tenth == self._tenth and event.done < event.total:
            return False
        self._tenth = tenth
        return True

    def __call__(self, event: ev.Event) -> None:
        t = i18n.t
        event = event.as_message() or event
        if isinstance(event, ev.PhaseStarted):
            self._phase = event.phase
            self._tenth = -1
            label = t(f"phase.{event.phase}")
            if self._progress is not None:
                if self._task is not None:
                    self._progress.remove_task(self._task)
                self._task = self._progress.add_task(label, total=event.total)
            else:
                self._line(f"» {label}")
        elif isinstance(event, ev.Progress):
            if self._progress is not None and self._task is not None:
                self._progress.update(self._task, completed=event.done, total=event.total)
            elif event.phase == "upload" or self._next_tenth(event):
                self._line(f"  {i18n.number(event.done)}/{i18n.number(event.total)}")
        elif isinstance(event, ev.Message):
            text = t(event.key, **printable_params(event.params))  # details may come from a server
            if event.hint_id and event.level != "info":
                text += f"  [{t('cli.hint')}: {event.hint_id}]"
            self._line(("⚠ " if event.level == "warning" else "") + text, to_err=event.level == "error")
        elif isinstance(event, ev.Failed):
            text = t(event.key, **printable_params(event.params))  # details may come from a server
            self._line(f"✖ {text}", to_err=True)
            if event.hint_id:
                hint_id = hint(event.hint_id).id  # "unknown" for an id the handbook lacks
                self._line(f"  {t('cli.hint')} [{hint_id}]: {i18n.hint_title(hint_id, self.host)}", to_err=True)
                self._line(f"  {t('cli.fix')}: {i18n.hint_fix(hint_id, self.host)}", to_err=True)
            if event.resumable:
                self._line("  " + t("cli.resume"), to_err=True)
