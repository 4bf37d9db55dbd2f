"""Write-back of unsubscribers to KUFER: CSV file (Excel-safe) and an admin's SQL UPDATE."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from kufertui.core.validation import valid_email
from kufertui.kufer import ImportFailure
from kufertui.kufer.csvsafe import csv_safe
from kufertui.kufer.writeback import WritebackRow, apply_sql_writeback, german_date, write_unsubscribers_csv


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+49 171", "'+49 171"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("jörg@web.de", "jörg@web.de"), ("", ""), (None, ""), (4711, "4711"),
    ("a=b", "a=b"),
])
def test_csv_safe(value: object, expected: str) -> None:
    assert csv_safe(value) == expected


def test_german_date() -> None:
    assert german_date(date(2026, 3, 1)) == "01.03.2026"
    assert german_date("2026-03-01T10:00:00Z") == "01.03.2026"
    assert german_date(datetime(2026, 12, 24, 8, 0)) == "24.12.2026"
    assert german_date(None) == "" and german_date("gestern") == "gestern"


def test_unsubscriber_csv_for_kufer(tmp_path: Path) -> None:
    target = tmp_path / "out" / "abmelder.csv"
    count = write_unsubscribers_csv(target, [
        WritebackRow("jörg.weiß@web.de", "4711", date(2026, 3, 1)),
        {"email": "=cmd|' /C calc'!A0@x.de", "person_no": None, "when": "2026-03-02", "source": "Maileon"},
    ])
    assert count == 2
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["E-Mail", "TNR", "Status", "Datum", "Quelle"]
    assert rows[1] == ["jörg.weiß@web.de", "4711", "N", "01.03.2026", "Maileon"]
    assert rows[2][0].startswith("'=") and rows[2][1:] == ["", "N", "02.03.2026", "Maileon"]
    assert [p.name for p in target.parent.iterdir()] == ["abmelder.csv"]  # no temp file left


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "abmelder.csv"
    target.write_text("old", encoding="utf-8")

    def rows():  # type: ignore[no-untyped-def]
        yield WritebackRow("a@b.de")
        raise RuntimeError("crash mid-way")

    with pytest.raises(RuntimeError):
        write_unsubscribers_csv(target, rows())
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["abmelder.csv"]


@pytest.fixture
def kufer_db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE adressen (tnr TEXT, email TEXT, nl TEXT, nl_datum TEXT)")
    conn.executemany("INSERT INTO adressen VALUES (?,?,?,NULL)",
                     [("1", "a@b.de", "J"), ("2", "c@d.de", "K"), ("3", "e@f.de", "J")])
    conn.commit()
    return conn


def test_sql_writeback_binds_parameters(kufer_db: sqlite3.Connection) -> None:
    statement = "UPDATE adressen SET nl = 'N', nl_datum = :date WHERE email = :email"
    changed = apply_sql_writeback(kufer_db, statement, [
        WritebackRow("a@b.de", None, date(2026, 3, 1)), {"email": "x'; DROP TABLE adressen; --", "person_no": "2"},
        {"email": "c@d.de", "person_no": "2"},
    ])
    assert changed == 2
    assert kufer_db.execute("SELECT tnr, nl, nl_datum FROM adressen ORDER BY tnr").fetchall() == [
        ("1", "N", "2026-03-01"), ("2", "N", ""), ("3", "J", None)]


@pytest.mark.parametrize("statement", [
    "DELETE FROM adressen WHERE email = :email", "UPDATE adressen SET nl='N' WHERE email=:email; DROP TABLE x",
    "UPDATE adressen SET nl = 'N'",
])
def test_sql_writeback_refuses_other_statements(kufer_db: sqlite3.Connection, statement: str) -> None:
    with pytest.raises(ImportFailure) as info:
        apply_sql_writeback(kufer_db, statement, [WritebackRow("a@b.de")])
    assert info.value.code == "writeback-invalid"


def test_sql_writeback_error_rolls_back(kufer_db: sqlite3.Connection) -> None:
    with pytest.raises(ImportFailure) as info:
        apply_sql_writeback(kufer_db, "UPDATE adressen SET missing_col = 'N' WHERE email = :email",
                            [WritebackRow("a@b.de")])
    assert info.value.code == "sql-error"
    assert kufer_db.execute("SELECT count(*) FROM adressen WHERE nl = 'N'").fetchone() == (0,)


def test_line_breaks_in_free_text_never_make_an_extra_row_and_addresses_stay_exact(tmp_path: Path) -> None:
    """Issue 24.6: a CR/LF inside a free-text cell (Maileon's `source`) made a physical line that a line-based
    KUFER import reads as a row of its own; "a@b.de\\n" passed as a valid address (`$` matched before it)."""
    rows = [WritebackRow("+news@example.org", "1", "2026-03-01", "Maileon (form\r\nFAKE@evil.example;2;N)"),
            WritebackRow("a@b.de\n", None, "2026-03-01\u2028x", "Maileon"),
            WritebackRow("=1+1@x.de", "3", None, "Maileon (\rlink\n)")]
    path = tmp_path / "abmelder.csv"
    assert write_unsubscribers_csv(path, rows) == 3
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 1 + 3 + 1  # header, three rows, nothing after the last CRLF
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
    assert "\u2028" not in raw.decode("utf-8-sig")
    body = raw.decode("utf-8-sig").split("\r\n")[1:4]
    assert body[0].startswith("+news@example.org;1;N;01.03.2026;")  # byte-exact address and number
    assert body[0].endswith("Maileon (form FAKE@evil.example;2;N)\"")  # one quoted cell, no new line
    assert body[1].startswith("a@b.de ;")  # not a valid address: its break is gone too
    assert body[2].startswith("=1+1@x.de;3;N;")  # a valid address stays exact, even with a leading =


@pytest.mark.parametrize("email", ["a@b.de\n", "a@b.de\r\n", "a@b.de\n\n", "\na@b.de", "a@b.de\x00"])
def test_valid_email_matches_the_whole_address(email: str) -> None:
    assert not valid_email(email)
    assert valid_email(email.strip("\r\n\x00"))
