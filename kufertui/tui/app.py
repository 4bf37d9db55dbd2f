"""The kufertui Textual app: thin. Screens live in screens/, dialogs in modals/, widgets in widgets/."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from kufertui import i18n
from kufertui.config import Settings
from kufertui.core.exitcodes import EXIT_ABORTED
from kufertui.core.terminal import printable
from kufertui.i18n import t
from kufertui.store import Workspace
from kufertui.tui import palette
from kufertui.tui.keys import key_label, localize_bindings
from kufertui.tui.pathfit import fit_paths_in, toast_width
from kufertui.tui.screens.help import HelpScreen
from kufertui.tui.screens.registry import HELP_KEY, SCREENS
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.state import AppState


class KuferApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "kufertui"
    ENABLE_COMMAND_PALETTE = True
    MODES = {entry.mode: entry.screen for entry in SCREENS}
    DEFAULT_MODE = "contacts"
    # Function keys and ctrl letters survive SSH, tmux and Windows Terminal; every id can be remapped
    # in [ui.keymap] of the settings (e.g. nav.upload = "ctrl+u" where VS Code takes F4/F5/F6).
    BINDINGS = [
        Binding(HELP_KEY, "help", "key.help", id="app.help"),
        *(Binding(entry.key, f"nav({entry.mode!r})", f"key.{entry.mode}", id=f"nav.{entry.mode}", show=False)
          for entry in SCREENS),
        Binding("f8", "copy", "key.copy", id="app.copy", show=False),
        Binding("f7", "support_bundle", "key.support-bundle", id="app.support-bundle", show=False),
        Binding("ctrl+q", "quit", "key.quit", id="app.quit", show=False, priority=True),
    ]

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.animation_level = "none"  # slow SSH links: no animations
        localize_bindings(self)
        if state.settings.ui.keymap:
            self.set_keymap(dict(state.settings.ui.keymap))

    def on_mount(self) -> None:
        if self.state.demo_notice:  # the demo's folder, its exports and bundles vanish when it ends
            self.notify(t("demo.notice"), timeout=20)
        if self.state.preparing is not None:  # `kufertui demo`: its progress at once, Contacts when ready
            from kufertui.tui.screens.demo_loading import DemoLoadingScreen

            self.push_screen(DemoLoadingScreen(self.state.preparing))

    def demo_ready(self) -> None:
        """The demo's contacts are imported and its simulator runs: the screens read the workspace afresh."""
        self.state.preparing = None
        self.pop_screen()
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()

    def on_unmount(self) -> None:
        self.state.workspace.close()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the reader's keyboard names them, in footers, help and the palette: "Strg+R", "F8", "Esc"
        in German, "Ctrl+R" in English (Textual writes "^r", "f8", "esc")."""
        return binding.key_display or key_label(binding.key)

    def notify(self, message: str, **kwargs: Any) -> None:
        """Every notification: plain text (never markup: names, paths and server answers are shown as they
        are, tui/plain.py), control characters escaped, long paths broken at their separators, never cut
        by the toast's edge. Widgets' and screens' notify come here too (with markup=True: overruled)."""
        kwargs["markup"] = False
        if kwargs.get("title"):
            kwargs["title"] = printable(kwargs["title"])
        super().notify(printable(fit_paths_in(message, toast_width(self.size.width)), keep_lines=True), **kwargs)

    # --- actions -------------------------------------------------------------------------------
    async def action_nav(self, mode: str) -> None:
        if self.state.preparing is not None:  # the demo's workspace is still being filled
            return
        while self.screen.is_modal and len(self.screen_stack) > 1:
            self.pop_screen()
        if self.current_mode != mode:
            await self.switch_mode(mode)

    async def action_quit(self) -> None:
        """Ctrl+Q: at once, unless a run is under way; then ask, stop it and quit once it has checkpointed
        (it quit at once, the batches in flight went on for seconds, and the exit code said all was well)."""
        cancel = self.state.run_cancel
        if cancel is None:
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if not yes or self.state.run_cancel is None:
                if self.state.run_cancel is None:
                    self.exit()
                return
            cancel.set()
            self.notify(t("app.quit-stopping"), timeout=30)
            self.set_interval(0.2, self._exit_when_stopped)

        from kufertui.tui.modals.confirm import ConfirmModal

        self.push_screen(ConfirmModal(t("app.quit-running-demo" if self.state.demo else "app.quit-running")), answer)

    def _exit_when_stopped(self) -> None:
        if self.state.run_cancel is None:
            self.exit(return_code=EXIT_ABORTED)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_copy(self) -> None:
        copy = getattr(self.screen, "copy_text", None)
        text = copy() if callable(copy) else None
        if text:
            self.copy_text(text)

    def copy_text(self, text: str) -> None:
        """OSC 52 (works over SSH in most terminals), no pyperclip: headless servers have no clipboard."""
        self.copy_to_clipboard(text)
        self.notify(t("app.copied"), timeout=3)

    def action_support_bundle(self) -> None:
        """Doctor output, redacted settings, last runs, log tail and screens as one zip in exports/."""
        if self.state.read_only:
            self.notify(t("app.read-only", what=t("app.read-only.bundle")), severity="warning", timeout=6)
            return
        if any(w.group == "support-bundle" and not w.is_finished for w in self.workers):
            self.notify(t("app.bundle-busy"), timeout=4)
            return
        self.notify(t("app.bundle-working"), timeout=6)
        self._write_bundle()

    @work(thread=True, exclusive=True, group="support-bundle", exit_on_error=False)
    def _write_bundle(self) -> None:
        from kufertui.paths import WorkspacePaths
        from kufertui.sync.bundle import build_bundle
        from kufertui.tui.screenshots import render_all

        state = self.state
        lang = i18n.language()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out = WorkspacePaths(state.workspace_root).exports_dir / f"kufertui-support-{stamp}.zip"

        def screens(folder: Path) -> list[Path]:
            return asyncio.run(render_all(make_app, folder, contacts=200, langs=(lang,)))

        try:
            # The bundle renders the screens with apps of its own: a fresh context keeps their
            # active_app out of this pooled worker thread (later workers would see the wrong app).
            path = contextvars.Context().run(build_bundle, state.settings, state.settings_path, state.workspace_root,
                                             out, render_screens=screens, transport=state.transport)
        except Exception as exc:  # reported, never crashes the UI
            self.call_from_thread(self.notify, t("app.bundle-failed", detail=f"{type(exc).__name__}: {exc}"),
                                  severity="error", timeout=10)
            return
        text = t("app.bundle-written", path=str(path)) + (" " + t("app.bundle-demo") if state.demo else "")
        self.call_from_thread(self.notify, text, timeout=15)

    def show_results(self, run_id: int | None) -> None:
        self.state.last_run_id = run_id
        self.call_later(self._show_results)

    async def _show_results(self) -> None:
        try:
            visited = bool(self.get_screen_stack("results"))
        except KeyError:  # the first visit: the screen loads state.last_run_id as it mounts
            visited = False
        await self.switch_mode("results")
        screen = self.screen
        if visited and isinstance(screen, ResultsScreen):
            screen.load(self.state.last_run_id)

    # --- command palette and Textual's own prompts, in our language (tui/palette.py) ----------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from palette.binding_commands(self, screen)
        yield from palette.system_commands(self, screen)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(palette.KuferCommandPalette(id="--command-palette"))

    def action_change_theme(self) -> None:
        palette.open_theme_picker(self)

    def action_help_quit(self) -> None:
        palette.quit_prompt(self)

    @on(events.DeliveryComplete)
    @on(events.DeliveryFailed)
    def _on_screenshot_delivered(self, event: events.DeliveryComplete | events.DeliveryFailed) -> None:
        if event.name == palette.SCREENSHOT_DELIVERY:
            if isinstance(event, events.DeliveryFailed):
                why = str(event.exception) or type(event.exception).__name__
                text, severity = palette.screenshot_notice(None, failed=why)
            else:
                text, severity = palette.screenshot_notice(str(event.path) if event.path else None)
            self.notify(text, severity=severity, timeout=12)  # type: ignore[arg-type]


def make_app(settings: Settings, settings_path: Path, workspace_root: Path, *, lang: str = "de",
             demo: bool = False, transport: Any = None, read_only: bool = False,
             now: Callable[[], datetime] | None = None, demo_notice: bool = False,
             preparing: Any = None) -> KuferApp:
    """Build the app with explicit dependencies (tests, the screenshots command and `demo` use this);
    ``now``: the clock of the screens (a fixed one makes the pictures repeatable); ``demo_notice``: say at
    start what quitting a demo deletes (`kufertui demo`; not in pictures of demo data)."""
    i18n.set_language(lang)
    workspace = Workspace.open(workspace_root)
    state = AppState(settings=settings, settings_path=settings_path, workspace_root=workspace_root,
                     workspace=workspace, demo=demo, transport=transport, read_only=read_only,
                     demo_notice=demo_notice, preparing=preparing)
    if now is not None:
        state.now = now
    return KuferApp(state)


def run_tui(settings: Settings, settings_path: Path, workspace_root: Path, *, lang: str = "de",
            demo: bool = False, transport: Any = None, read_only: bool = False, preparing: Any = None) -> int:
    """Run the TUI in the terminal; returns the exit code. ``preparing``: a sync.demo_setup.DemoStarter at work."""
    app = make_app(settings, settings_path, workspace_root, lang=lang, demo=demo, transport=transport,
                   read_only=read_only, demo_notice=demo, preparing=preparing)
    result = app.run()
    return int(app.return_code or result or 0)  # a quit that stopped a run: 4 (resumable)
