"""Issue 17.6: text from input never reaches the terminal raw. A CSV header carrying an OSC title
sequence and a clear-screen was printed as-is by `kufertui import`; now it shows as visible escapes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kufertui.core.terminal import printable

HOSTILE = "\x1b]0;pwned\x07\x1b[2J"


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUFERTUI_HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", "kufertui", "--workspace", str(tmp_path / "ws"), *args],
                          env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("value", "shown"), [
    (HOSTILE, "\\x1b]0;pwned\\x07\\x1b[2J"), ("Jörg Weiß", "Jörg Weiß"), ("a\tb\nc\r", "a\\x09b\\x0ac\\x0d"),
    ("\x9b31m", "\\x9b31m"), ("abc\u202egpj.exe", "abc\\u202egpj.exe"), (None, ""), (4711, "4711"),
    ("[b]x[/b]", "[b]x[/b]"),
])
def test_printable(value: object, shown: str) -> None:
    assert printable(value) == shown


def test_import_prints_hostile_headers_escaped(tmp_path: Path) -> None:
    path = tmp_path / "kufer.csv"
    path.write_text(f'TNR;E-Mail;Newsletter;"Bemerkung{HOSTILE}"\r\n1;a@b.de;J;x\r\n2;c@d.de;"{HOSTILE}";y\r\n',
                    encoding="utf-8")
    proc = run(tmp_path, "--lang", "en", "import", str(path))
    assert proc.returncode == 0, proc.stderr
    for stream in (proc.stdout, proc.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "Bemerkung\\x1b]0;pwned\\x07\\x1b[2J" in proc.stdout  # the reader sees what is in the file


def test_import_failure_prints_hostile_columns_escaped(tmp_path: Path) -> None:
    path = tmp_path / "no-email.csv"
    path.write_text(f'TNR;"Name{HOSTILE}"\r\n1;x\r\n', encoding="utf-8")
    proc = run(tmp_path, "--lang", "en", "import", str(path))
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr + proc.stdout and "\x07" not in proc.stderr + proc.stdout
    assert "Name\\x1b]0;pwned" in proc.stderr


def test_engine_messages_with_server_text_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    """A proxy or server answer (an error body) is input too: the CLI's event printer escapes it."""
    from kufertui.commands.progress import EventPrinter
    from kufertui.sync import events as ev

    with EventPrinter(interactive=False) as printer:
        printer(ev.Message("warning", "engine.maileon-error", {"detail": f"502 {HOSTILE}"}))
        printer(ev.Failed("engine.maileon-error", {"detail": f"body {HOSTILE}"}, None, 3))
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\x07" not in out.out + out.err
    assert "502 \\x1b]0;pwned" in out.out + out.err and "body \\x1b]0;pwned" in out.err
