"""Upload: the manual's confirmation, then progress with rate and ETA, the live log, and cancel.

Ctrl+D runs a dry run against Maileon first (same worker and events) and shows its per-contact result
in a pane before the real upload is confirmed.

The engine is async and does its own I/O; it runs in a thread worker under `asyncio.run`, and its
events go through a queue that a 10 Hz timer drains, so a fast engine never floods the UI.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.clock import Clock
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Log, ProgressBar, Static

from kufertui.core.fields import FIELDS_BY_ID, custom_field_types
from kufertui.core.legal import k_notice_confirmed
from kufertui.core.terminal import printable, printable_params
from kufertui.i18n import field_label, has, number, t
from kufertui.sync.engine import run_to_end
from kufertui.sync.events import (
    BatchFinished,
    DryRunWritten,
    Event,
    Failed,
    Finished,
    Message,
    PhaseStarted,
    Progress,
    Pulled,
)
from kufertui.sync.preview import upload_preview
from kufertui.tui.keys import key_for
from kufertui.tui.modals.confirm import ChoiceModal, ConfirmModal
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.plain import plain, plain_t
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.banner import RetentionBanner
from kufertui.tui.widgets.dryrun_pane import DryRunPane


def permission_words(code: str) -> str:
    """A Maileon permission in words with its code ("Double-Opt-in (doi)"); an unknown code as it is."""
    key = f"settings.option.permission.{code}"
    return t(key) if has(key) else code


def objections_line(n: int, seconds: float | None, rate: float | None, in_flight: int) -> str:
    """What the run does first with KUFER's objections, and how long that takes at the rate learned."""
    if seconds is None or rate is None:
        return t("upload.confirm-objections-unknown", n=n, calls=in_flight)
    shown: float | int = round(rate, 1) if rate < 10 else round(rate)  # "0,2" and "85", not "85,0"
    if seconds < 60:
        return t("upload.confirm-objections-fast", n=n, rate=shown)
    return t("upload.confirm-objections", n=n, minutes=max(1, round(seconds / 60)), rate=shown)


class UploadScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "start", "key.start", id="upload.start"),
        Binding("f", "resume", "key.resume", id="upload.resume"),  # shown while a run is resumable
        Binding("ctrl+d", "dry_run", "key.dry-run", id="upload.dry-run"),
        Binding("escape", "cancel", "key.cancel", id="upload.cancel"),
        Binding("ctrl+h", "last_hint", "key.hint", id="upload.hint", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: queue.SimpleQueue[Event | BaseException] = queue.SimpleQueue()
        self.cancel_event = threading.Event()
        self.running = False
        self.started_at = 0.0
        self.phase_total = 0
        self.last_hint: str | None = None
        self.pulled = 0
        self.dry_running = False
        self.dry_export: Path | None = None
        self.resume_run_id: int | None = None  # the run the resume button continues
        self.just_mounted = False  # the first resume events come with the mount: confirmed once, not thrice

    def compose_body(self) -> ComposeResult:
        with Vertical(id="upload-confirm"):
            yield Static("", id="confirm-text")
            yield Static("", id="unsub-info", classes="info-box")
            with Horizontal(classes="buttons"):
                yield Button("", id="start", variant="primary", compact=True)
                yield Button("", id="dry-run", compact=True)
                yield Button("", id="resume", compact=True)
                yield Button(t("seg.tui.drop"), id="drop-segments", compact=True)
        with Vertical(id="upload-progress"):
            yield Static("", id="phase")
            yield ProgressBar(id="bar", show_eta=True, clock=Clock(get_time=self._seconds))
            yield Static("", id="rate")
            yield Log(id="event-log", max_lines=5000)
        with Vertical(id="upload-dry"):
            yield DryRunPane(id="dry-pane")
            yield Static(t("dry.next"), id="dry-next")

    def on_unmount(self) -> None:
        # quitting mid-run: let the engine finish the batches in flight and checkpoint (resumable)
        self.cancel_event.set()

    def on_mount(self) -> None:
        self.set_interval(0.1, self._drain)
        # the keys as the keymap has them; hidden where the helpdesk's read-only view refuses them
        self.query_one("#start", Button).label = plain_t("upload.start", key=key_for(self.app, "upload.start", self))
        self.query_one("#dry-run", Button).label = plain_t("dry.start", key=key_for(self.app, "upload.dry-run", self))
        for button in ("#start", "#dry-run"):
            self.query_one(button).display = not self.state.read_only
        # the first visit counts with what Contacts shows (100k contacts: 60 ms a count, and the screen's first
        # resume events asked twice more); later visits count afresh (a run may have set contacts to N)
        self.refresh_confirmation(self.state.known_status_counts(self.state.upload_filter()))
        self.just_mounted = True
        self.call_after_refresh(self._mounted_shown)

    def _mounted_shown(self) -> None:
        self.just_mounted = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":  # the footer offers resume only while there is a run to resume
            return not self.running and self.resume_run_id is not None
        return True

    def on_screen_resume(self) -> None:
        if not self.running and not self.just_mounted:
            self.refresh_confirmation()

    # --- confirmation --------------------------------------------------------------------------
    def refresh_confirmation(self, known_counts: dict[str, int] | None = None) -> None:
        state = self.state
        flt = state.upload_filter()
        ids = state.upload_ids()
        counts = known_counts if known_counts is not None else state.workspace.contacts.count_by_status(flt)
        sent = state.upload_statuses()
        j = counts.get("J", 0) if "J" in sent else 0
        k = counts.get("K", 0) if "K" in sent else 0
        total = len(ids) if ids is not None else j + k
        fields = ", ".join([t("upload.field-email"), t("upload.field-external-id", label=field_label("person_no")),
                            *(field_label(m.kufer_field) + f" → {m.maileon_field}"
                              for m in state.mappings if m.kufer_field in FIELDS_BY_ID)])
        s = state.settings
        lines = [t("upload.confirm-title"), "",
                 t("upload.confirm-count", n=total, j=number(j), k=number(k)) if ids is None
                 else t("upload.confirm-ticked", n=total),
                 t("upload.confirm-fields", fields=fields),
                 t("upload.confirm-permission", j=permission_words(s.permissions.J),
                   k=permission_words(s.permissions.K)),
                 t("upload.confirm-marker", field=s.maileon.import_field)]
        custom = custom_field_types(state.mappings)
        if custom:
            lines.append(t("upload.confirm-custom", fields=", ".join(
                f"{name} ({t('fieldtype.' + kind)})" for name, kind in custom.items())))
        preview = upload_preview(state.workspace, s, state.mappings, state.segments)
        if preview.objections:  # as many as the run's push will count (one per address), at the rate a run learned
            lines.append(objections_line(preview.objections, preview.seconds, preview.rate,
                                         s.maileon.single_call_concurrency))
        if k and not k_notice_confirmed(s.legal.k_notice_confirmed_on):  # the run's own rule and day
            lines.append(t("upload.k-gate"))
        if preview.needs_consent:  # a finished run's file is replaced unasked
            lines.append(t("upload.xml-exists"))
        if preview.refusal:  # from a hand-edited [fields]: the run would refuse it, say so before it starts
            lines.append("✗ " + t(preview.refusal[0], **preview.refusal[1]))
        if state.segments:  # a segment refresh: its members replace the selection
            lines[2] = t("seg.tui.upload", names=", ".join(state.segments), n=preview.refresh_size)
        self.query_one("#drop-segments", Button).display = bool(state.segments)
        self.query_one("#confirm-text", Static).update(plain("\n".join(lines)))
        last = state.workspace.get_meta("last_pull_at")
        self.query_one("#unsub-info", Static).update(
            plain_t("upload.unsub-info", when=(last or t("upload.never"))[:16].replace("T", " ")))
        resumable = state.workspace.journal.resumable_run()
        resume = self.query_one("#resume", Button)
        resume.display = resumable is not None and not state.read_only
        self.resume_run_id = resumable.id if resumable is not None else None
        if resumable is not None:
            resume.label = plain_t("upload.resume", id=resumable.id, key=key_for(self.app, "upload.resume", self))
        self.set_class(False, "-running")
        self.refresh_bindings()

    # --- start ---------------------------------------------------------------------------------
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """A new run. While one is resumable, ask first: resume it, or start over (which supersedes it).
        Whether an upload file must not be replaced is the engine's call: it says so (xml-exists) before
        it touches anything, and only then the question comes (``handle``)."""
        if self.running or self.refused_read_only("upload"):
            return
        self.set_class(False, "-dry")
        if self.resume_run_id is None:
            self._start_with(False)
            return
        run_id = self.resume_run_id
        question = t("upload.resume-or-new", id=run_id)
        choices = [("resume", t("upload.choice-resume", id=run_id)), ("new", t("upload.choice-new")),
                   ("back", t("upload.choice-back"))]
        self.app.push_screen(ChoiceModal(question, choices, focus="resume"), self._resume_or_new)

    def _resume_or_new(self, choice: str | None) -> None:
        if choice == "resume":
            self.action_resume()
        elif choice == "new":  # said in the question: the new run replaces the interrupted one and its file
            self._start_with(True)

    def _replace_answered(self, replace: bool | None) -> None:
        if replace:
            self._start_with(True)
            return
        # "No": nothing starts, and a segment refresh chosen for this run stays chosen
        self.notify(t("upload.xml-kept"), timeout=8)

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        if not self.running and self.resume_run_id is not None and not self.refused_read_only("upload"):
            self.set_class(False, "-dry")
            self._start_with(True, resume_run_id=self.resume_run_id)

    @on(Button.Pressed, "#drop-segments")
    def _drop_segments(self) -> None:
        self.state.segments = []
        self.notify(t("seg.tui.dropped"))
        self.refresh_confirmation()

    @on(Button.Pressed, "#dry-run")
    def action_dry_run(self) -> None:
        """Page through the contacts in Maileon and show what an upload would do; writes nothing there."""
        if self.running or self.refused_read_only("dry-run"):
            return
        self.set_class(False, "-dry")
        self._start_with(False, dry_run=True)

    def _start_with(self, replace_xml: bool | None, resume_run_id: int | None = None, *,
                    dry_run: bool = False) -> None:
        try:
            from kufertui.sync.engine import SyncEngine, SyncOptions
        except ImportError:
            self.notify(t("settings.engine-missing"), severity="error")
            return
        state = self.state
        options = SyncOptions(selection=state.upload_filter(), ids=state.upload_ids(),
                              mappings=list(state.mappings), replace_xml=bool(replace_xml),
                              resume_run_id=resume_run_id, dry_run=dry_run,
                              segments=list(state.segments) if resume_run_id is None else [])
        if not dry_run:
            state.segments = []  # this run refreshes them; the next one is a normal run again
        self.cancel_event = threading.Event()
        engine = SyncEngine(state.settings, state.workspace_root, transport=state.transport,
                            on_event=self.events.put, cancel=self.cancel_event)
        self.running = True
        self.dry_running = dry_run
        self.dry_export = None
        self.pulled = 0
        self.started_at = self._seconds()
        self.set_class(True, "-running")
        self.query_one("#event-log", Log).clear()
        self.query_one("#bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#rate", Static).update("")  # not the last run's figures under this run's phase
        self._run(engine, options)

    @work(thread=True, exclusive=True, group="upload", exit_on_error=False)
    def _run(self, engine: Any, options: Any) -> None:
        self.state.run_cancel = self.cancel_event
        try:
            run_to_end(engine, options, self.events.put)  # anything unexpected is shown, never freezes the UI
        finally:
            self.state.run_cancel = None  # the engine has checkpointed: quitting is safe

    # --- events --------------------------------------------------------------------------------
    def _drain(self) -> None:
        log = self.query_one("#event-log", Log)
        lines: list[str] = []
        last_progress: Progress | None = None
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                break
            if isinstance(event, Progress):
                last_progress = event
                continue
            line = self.handle(event)
            if line:
                lines.append(line)
        if last_progress is not None:
            self._progress(last_progress)
        if lines:
            log.write_lines(lines)

    def handle(self, event: Event | BaseException) -> str | None:
        stamp = self.state.now().astimezone().strftime("%H:%M:%S")
        if isinstance(event, PhaseStarted):
            self.phase_total = event.total or 0
            self.query_one("#phase", Static).update(plain(t(f"upload.phase.{event.phase}")))
            self.query_one("#bar", ProgressBar).update(total=event.total, progress=0)
            self.started_at = self._seconds()
            return f"{stamp} ▶ {t(f'upload.phase.{event.phase}')}"
        if isinstance(event, DryRunWritten):
            self.dry_export = Path(event.path)
        if isinstance(event, Pulled):
            self.pulled = event.new
            self.query_one("#unsub-info", Static).update(plain_t("upload.unsub-taken", n=self.pulled))
            self._check_banner()  # "never pulled" is over now, dry run or not
        if isinstance(event, Event):
            event = event.as_message() or event  # typed facts are logged as their message line
        if isinstance(event, Message):
            if event.hint_id:
                self.last_hint = event.hint_id
            mark = {"warning": "!", "error": "✗"}.get(event.level, "·")
            return f"{stamp} {mark} {t(event.key, **printable_params(event.params))}"
        if isinstance(event, BatchFinished):
            return f"{stamp} · " + t("upload.batch", no=event.batch_no, of=event.batches, new=event.new,
                                     existing=event.existing, invalid=event.invalid)
        if isinstance(event, Finished):
            self.running = False
            self._check_banner()
            report = event.report
            self.query_one("#unsub-info", Static).update(plain_t("upload.unsub-taken", n=report.unsubscribes_pulled))
            run_id = report.run_id or None
            if report.dry_run and run_id is not None:
                self.show_dry_run(run_id)
            else:
                self.app.show_results(run_id)  # type: ignore[attr-defined]
            return f"{stamp} ✓ {t('upload.done')}"
        if isinstance(event, Failed) and event.key == "engine.xml-exists":
            # the engine will not replace this upload file unasked (it stopped before anything else): ask
            self.running = False
            self.refresh_confirmation()
            self.app.push_screen(ConfirmModal(t("upload.replace-question")), self._replace_answered)
            return None
        if isinstance(event, Failed):
            self.running = False
            self.last_hint = event.hint_id
            self._check_banner()
            self.refresh_confirmation()  # offers "resume run #N" at once
            text = t(event.key, **printable_params(event.params))
            if event.resumable and event.key != "engine.cancelled":  # that text says so itself
                # the detail may be an exception's text without a full stop
                text = text.rstrip() + ("" if text.rstrip().endswith((".", "!", "?")) else ".")
                text += " " + t("upload.resumable", key=key_for(self.app, "upload.resume", self))
            if event.hint_id:
                self.app.push_screen(HintModal(event.hint_id, text))
            return f"{stamp} ✗ {text}"
        if isinstance(event, BaseException):
            self.running = False
            self.refresh_confirmation()
            return f"{stamp} ✗ {type(event).__name__}: {printable(event)}"
        return None

    def _check_banner(self) -> None:
        for banner in self.query(RetentionBanner):
            banner.check()

    def _seconds(self) -> float:
        return self.state.now().timestamp()

    def _progress(self, event: Progress) -> None:
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=event.total or None, progress=event.done)
        elapsed = max(self._seconds() - self.started_at, 1.0)  # no wild rate in the first second
        rate = event.done / elapsed
        self.query_one("#rate", Static).update(
            plain_t("upload.rate", done=number(event.done), total=number(event.total), rate=number(int(rate))))

    def show_dry_run(self, run_id: int) -> None:
        self.dry_running = False
        self.set_class(False, "-running")
        self.set_class(True, "-dry")
        pane = self.query_one("#dry-pane", DryRunPane)
        pane.show_running()
        pane.load(self.state.workspace_root, run_id, self.dry_export)
        pane.query_one(DataTable).focus()

    # --- cancel --------------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if not self.running:
            if self.has_class("-dry"):  # back from the dry-run pane to the confirmation
                self.set_class(False, "-dry")
                self.refresh_confirmation()
            return

        if self.cancel_event.is_set():  # asked and answered already: the engine is stopping
            self.query_one("#event-log", Log).write_line(t("upload.cancelling"))
            return

        def answer(yes: bool | None) -> None:
            if yes and self.running:
                self.cancel_event.set()
                self.query_one("#event-log", Log).write_line(t("upload.cancelling"))

        demo = "-demo" if self.state.demo else ""  # a demo's run cannot be resumed once the demo has ended
        question = t(f"upload.cancel-question{demo}", key=key_for(self.app, "upload.resume", self))
        self.app.push_screen(ConfirmModal(question), answer)

    def action_last_hint(self) -> None:
        if self.last_hint:
            self.app.push_screen(HintModal(self.last_hint))

    def copy_text(self) -> str | None:
        return "\n".join(str(line) for line in self.query_one("#event-log", Log).lines) or None
