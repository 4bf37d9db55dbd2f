"""Read-only SQL source (SQLite stands in for KuferSQL's MS SQL Server)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from kufertui.core.contact import Status
from kufertui.kufer import ImportFailure
from kufertui.kufer.sql_source import check_read_only, connect_mssql, connect_sqlite, open_sql


@pytest.fixture
def kufer_db(tmp_path: Path) -> Path:
    path = tmp_path / "kufer.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE personen (tnr INTEGER, vorname TEXT, name TEXT, mail TEXT, verteiler TEXT,"
                 " geschlecht TEXT, gebdat TEXT, ort TEXT, dozent INTEGER)")
    conn.executemany("INSERT INTO personen VALUES (?,?,?,?,?,?,?,?,?)", [
        (4711, "Jörg", "Weiß", "Joerg@Web.DE", "J", "M", "03.04.1965", "80331 München", 1),
        (4712, "Änne", "Özdemir", None, "K", "W", None, None, 0),
        (4713, "Uwe", "Roth", "uwe@x.de", "?", "M", None, None, 0),
        (4714, "Firma", "Bäckerei", "info@b.de", None, "F", "1999-01-02", None, None),
    ])
    conn.commit()
    conn.close()
    return path


QUERY = ("SELECT tnr AS TNR, vorname AS Vorname, name AS Nachname, mail AS \"E-Mail\", verteiler AS Newsletter,"
         " geschlecht AS Geschlecht, gebdat AS Geburtsdatum, ort AS \"PLZ Ort\", dozent AS Dozent,"
         " 'x' AS Sonstiges FROM personen ORDER BY tnr")


def test_query_aliases_map_like_csv_headers(kufer_db: Path) -> None:
    conn = connect_sqlite(str(kufer_db))
    source = open_sql(conn, QUERY, label="kufer.sqlite")
    contacts = list(source)
    assert source.rows_read == len(contacts) + len(source.errors) == 4
    assert source.mapping["E-Mail"] == "email" and source.unmapped == ["Sonstiges"]
    joerg, firm = contacts
    assert (joerg.person_no, joerg.email, joerg.first_name, joerg.status) == ("4711", "Joerg@web.de", "Jörg", Status.J)
    assert (joerg.zip, joerg.city, joerg.birthday, joerg.is_dozent) == ("80331", "München", "1965-04-03", True)
    assert firm.status is Status.EMPTY and firm.birthday == "1999-01-02" and firm.gender is None
    assert [(e.line, e.reason) for e in source.errors] == [(2, "missing-email"), (3, "invalid-status")]


def test_connection_is_read_only(kufer_db: Path) -> None:
    conn = connect_sqlite(str(kufer_db))
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM personen")


@pytest.mark.parametrize("query", [
    "DELETE FROM personen", "SELECT 1; DROP TABLE personen", "WITH x AS (SELECT 1) DELETE FROM personen",
    "UPDATE personen SET mail = NULL",
])
def test_only_select_is_accepted(query: str) -> None:
    with pytest.raises(ImportFailure) as info:
        check_read_only(query)
    assert info.value.code == "sql-not-readonly"


def test_select_with_quoted_words_is_fine() -> None:
    check_read_only("SELECT mail AS email FROM personen WHERE bemerkung <> 'delete me'")


def test_query_without_email_column(kufer_db: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        open_sql(connect_sqlite(str(kufer_db)), "SELECT tnr, name FROM personen")
    assert info.value.code == "no-email-column" and info.value.params["columns"] == ["tnr", "name"]


def test_sql_error_is_reported(kufer_db: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        open_sql(connect_sqlite(str(kufer_db)), "SELECT nope FROM personen")
    assert info.value.code == "sql-error"


def test_missing_database_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        connect_sqlite(str(tmp_path / "none.sqlite"))
    assert info.value.code == "file-not-found"


def test_pymssql_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymssql", None)  # import fails as if not installed
    with pytest.raises(ImportFailure) as info:
        connect_mssql("server", "user", "pw", "kufer")
    assert info.value.code == "driver-missing" and info.value.params == {"driver": "pymssql"}


def test_kufer_package_never_imports_textual() -> None:
    import subprocess

    code = ("import sys, kufertui.kufer, kufertui.kufer.sql_source, kufertui.kufer.writeback, kufertui.demo_data;"
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
