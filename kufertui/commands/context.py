"""What every subcommand needs: settings, workspace folder, language, and output that respects TTYs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kufertui import i18n, paths
from kufertui.config import ConfigError, Settings, load_settings
from kufertui.core.exitcodes import EXIT_USAGE
from kufertui.core.hints import api_host_of
from kufertui.core.terminal import json_safe


@dataclass
class CommandContext:
    settings: Settings
    settings_path: Path
    workspace_root: Path
    lang: str
    json_printed: bool = field(default=False, compare=False)  # --json: the one object is out
    last_error: str = field(default="", compare=False)  # the last text on stderr

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, as_json: bool = False) -> CommandContext | int:
        settings_path = args.config or paths.default_config_file()
        try:
            settings = load_settings(settings_path)
        except ConfigError as exc:  # before any request: every face (CLI, TUI, serve) starts here
            i18n.set_language(args.lang or exc.lang or "de")
            text = exc.text()
            print(text, file=sys.stderr)
            if exc.message_id in ("config.bad-value", "config.bad-env-value"):
                print(f"    {i18n.t('cli.fix')}: {i18n.hint_fix('config-invalid')}", file=sys.stderr)
            if as_json:  # every problem with its id and params; the text in the user's language
                print(json_safe(json.dumps({"ok": False, "error": exc.message_id, "hint_id": "config-invalid",
                                            "exit_code": EXIT_USAGE, "message": text, "problems": exc.to_json()},
                                           ensure_ascii=False, indent=2, default=str)), flush=True)
            return EXIT_USAGE
        lang = args.lang or settings.ui.language
        if lang not in i18n.LANGUAGES:
            lang = "de"
        i18n.set_language(lang)
        settings.ui.language = lang
        if settings_path.exists() and not paths.is_private(settings_path):
            print(i18n.t("config.world-readable", path=str(settings_path)), file=sys.stderr)
        root = args.workspace or paths.default_workspace_dir()
        return cls(settings, settings_path, root, lang)

    @property
    def api_host(self) -> str:
        """The Maileon host in use, as the connection hints name it."""
        return api_host_of(self.settings.maileon.base_url)

    @property
    def interactive(self) -> bool:
        return sys.stdout.isatty() and not os.environ.get("CI")

    def out(self, text: str = "") -> None:
        print(text, flush=True)

    def err(self, text: str) -> None:
        self.last_error = text
        print(text, file=sys.stderr, flush=True)

    def json(self, data: Any) -> None:
        self.json_printed = True
        # values from KUFER and Maileon (headers, cells, reasons) may hold C1 controls or bidi overrides
        print(json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str)), flush=True)


def refuse_unusable_workspace(ctx: CommandContext, as_json: bool) -> int | None:
    """Exit code 2 with a clear message when --workspace is a file (or inside one); None when usable."""
    from kufertui.store import WorkspaceError
    from kufertui.store.workspace import check_root

    try:
        check_root(ctx.workspace_root)
    except WorkspaceError as exc:
        return json_error(ctx, as_json, exc.message_id, EXIT_USAGE, **exc.params)
    return None


def json_error(ctx: CommandContext, as_json: bool, key: str, exit_code: int, *, hint_id: str | None = None,
               **params: Any) -> int:
    """A refusal: the text on stderr and, with --json, the stable key and hint id beside a human message on
    stdout."""
    message = i18n.t(key, **params)
    ctx.err(message)
    if as_json:
        ctx.json({"ok": False, "error": key, "hint_id": hint_id, "message": message, "exit_code": exit_code})
    return exit_code
