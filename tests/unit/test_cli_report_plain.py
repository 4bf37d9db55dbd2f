"""The CLI's end-of-run report prints values from KUFER and Maileon as they are: a `[/]` in an e-mail or a
target-group name must not end the report in a MarkupError, `[link=…]` must not become a hyperlink, and a
control character is shown escaped (issue 24, item 1, on the CLI side)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.commands.report_view import print_report
from kufertui.config import Settings
from kufertui.core.report import RunReport


def test_hostile_values_in_the_cli_report_are_printed_literally(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("en")
    ctx = CommandContext(Settings(), tmp_path / "config.toml", tmp_path / "ws", "en")
    report = RunReport(run_id=1, selected=2, missing=["[/]a@example.org", "[link=https://evil.example]b@x.de[/link]"],
                       writeback_file=str(tmp_path / "[bold]wb\x1b[2J.csv"),
                       target_group={"name": "[@click=app.quit]G[/]", "target_group_id": 7,
                                     "count_active_contacts": 1, "run_marked": 1})
    print_report(ctx, report)
    out = capsys.readouterr().out
    assert "[/]a@example.org" in out
    assert "[link=https://evil.example]b@x.de[/link]" in out
    assert "[@click=app.quit]G[/]" in out
    assert "\x1b" not in out and "\\x1b[2J" in out
