"""Issue 17.4: the admin's SQL is parsed as T-SQL (sqlglot), not matched by a regular expression.
MS SQL runs several statements without `;` and quotes with [brackets], so only exactly one SELECT
(source) or exactly one keyed UPDATE (write-back) that the parser fully reads is ever sent."""

from __future__ import annotations

import sqlite3

import pytest

from kufertui import i18n
from kufertui.kufer import ImportFailure
from kufertui.kufer.sql_source import check_read_only, sql_findings
from kufertui.kufer.sqlcheck import check_update, to_pyformat
from kufertui.kufer.writeback import WritebackRow, apply_sql_writeback

HOSTILE_SOURCE = {
    "SELECT mail AS email INTO #copy FROM personen": "sql-not-readonly",
    "SELECT a FROM (SELECT * INTO kopie FROM personen) s": "sql-not-readonly",
    "WITH x AS (SELECT mail FROM personen) SELECT mail INTO kopie FROM x": "sql-not-readonly",
    "SELECT email AS [it's] FROM p DELETE FROM p --'": "sql-unparseable",  # the quote hid a DELETE
    "SELECT email AS [it]]'s] FROM p DELETE FROM p --'": "sql-unparseable",
    "SELECT mail FROM personen\nDROP TABLE personen": "sql-unparseable",  # no `;` needed on MS SQL
    "SHUTDOWN": "sql-not-readonly",
    "SHUTDOWN WITH NOWAIT": "sql-unparseable",
    "BACKUP DATABASE kufer TO DISK = 'C:\\temp\\k.bak'": "sql-unparseable",
    "KILL 52": "sql-not-readonly",
    "SELECT mail FROM personen SHUTDOWN": "sql-not-readonly",  # the parser took it for an alias; MS SQL runs it
    "SELECT mail FROM personen SHUTDOWN WITH NOWAIT": "sql-unparseable",
    "SELECT mail FROM personen BACKUP DATABASE kufer TO DISK = 'C:\\temp\\k.bak'": "sql-unparseable",
    "SELECT mail FROM personen KILL 52": "sql-unparseable",
    "EXEC xp_cmdshell 'dir'": "sql-not-readonly",
    "SELECT 1; DROP TABLE personen": "sql-not-readonly",
    "WITH x AS (SELECT 1 AS a) DELETE FROM personen": "sql-not-readonly",
    "DECLARE @x INT": "sql-not-readonly",
    "SELECT * FROM OPENQUERY(kufer_link, 'DELETE FROM personen')": "sql-not-readonly",  # runs remotely
    "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x;Trusted_Connection=yes;', 'EXEC sp_x')": "sql-not-readonly",
    "SELECT 'unterminated FROM p": "sql-unparseable",
    "SELECT mail FROM personen WHERE a = 1 WHERE b = 2": "sql-unparseable",
    # issue 24.6: read by the parser as harmless, run by MS SQL as something else
    "SELECT mail FROM personen FETCH c": "sql-not-readonly",  # a cursor FETCH: a second statement
    "SELECT mail FROM personen ORDER BY mail OFFSET 0 ROWS FETCH c": "sql-not-readonly",
    "SELECT mail FROM p OPENROWSET('SQLNCLI', 'Server=x;', 'EXEC sp_x')": "sql-not-readonly",  # taken for an alias
    "SELECT mail FROM p AS OPENQUERY": "sql-not-readonly",
    "SELECT NEXT VALUE FOR dbo.tnr_seq AS email FROM personen": "sql-not-readonly",  # advances a sequence
    "SELECT mail FROM personen WITH (TABLOCKX, HOLDLOCK)": "sql-not-readonly",  # locks KUFER's table
    "SELECT mail FROM personen WITH (UPDLOCK)": "sql-not-readonly",
    "SELECT mail FROM personen p JOIN kurse k WITH (XLOCK) ON 1 = 1": "sql-not-readonly",
}

LEGITIMATE_SOURCE = [
    "SELECT mail AS email FROM personen WHERE bemerkung <> 'delete me'",
    "SELECT tnr AS TNR, vorname AS Vorname, name AS Nachname, mail AS \"E-Mail\", verteiler AS Newsletter,"
    " geschlecht AS Geschlecht, gebdat AS Geburtsdatum, ort AS \"PLZ Ort\", dozent AS Dozent,"
    " 'x' AS Sonstiges FROM personen ORDER BY tnr",
    "SELECT tnr AS TNR, vname AS Vorname, zuname AS Nachname, mail AS [E-Mail], nl AS Newsletter FROM pers",
    "WITH aktiv AS (SELECT * FROM dbo.Personen WITH (NOLOCK) WHERE NL_Status IN ('J','K')) "
    "SELECT Mail AS [E-Mail], TNR FROM aktiv;",
    "SELECT mail AS [it's] FROM p -- a comment; DELETE FROM p",
    "SELECT mail FROM a UNION SELECT mail FROM b",
    "SELECT mail AS email FROM personen ORDER BY tnr OFFSET 0 ROWS FETCH NEXT 5000 ROWS ONLY",  # paging
    "SELECT mail AS email FROM personen WITH (READUNCOMMITTED)",
]

LEGITIMATE_WRITEBACK = [
    "UPDATE adressen SET nl = 'N', nl_datum = :date WHERE email = :email AND tnr = :person_no",
    "UPDATE personen SET nl = 'N' WHERE email = :email",
    "UPDATE adressen SET missing_col = 'N' WHERE email = :email",
    "UPDATE dbo.Personen SET nl = :status, quelle = :source WHERE (Personen.TNR = :person_no);",
    "UPDATE [dbo].[Adressen] SET [NL] = 'N', nl_datum = :date, zaehler = -1, grund = NULL WHERE :email = [EMail]",
]

HOSTILE_WRITEBACK = [
    "UPDATE adressen SET nl = 'N' WHERE email = :email DELETE FROM adressen",  # second statement, no `;`
    "UPDATE adressen SET nl = 'N' WHERE email = :email\nSHUTDOWN",
    "UPDATE adressen SET nl='N' WHERE email=:email; DROP TABLE x",
    "UPDATE adressen SET nl = 'N' WHERE email = :email SET @x = 1",  # the lenient parser drops the first SET
    "UPDATE adressen SET nl = 'N' WHERE tnr = tnr WHERE email = :email",
    "UPDATE adressen SET nl = 'N' OUTPUT deleted.* INTO kopie WHERE email = :email",
    "UPDATE adressen SET nl = 'N'",  # every row
    "UPDATE adressen SET nl = 'N', mail = :email WHERE 1 = 1",  # key not in the WHERE
    "UPDATE adressen SET nl = 'N' WHERE email = ?",
    "UPDATE adressen SET nl = :whatever WHERE email = :email",
    "DELETE FROM adressen WHERE email = :email",
    "WITH x AS (SELECT 1 AS a) DELETE FROM adressen WHERE email = :email",
]

# Issue 24.4: each of these passed the old check and could touch other persons (one unsubscribe set all 29
# persons of a test database to N): the WHERE must be AND-ed `column = :email` / `column = :person_no` only.
UNKEYED_WRITEBACK = {
    "UPDATE adressen SET nl = 'N' WHERE email <> :email": "email <> :email",
    "UPDATE adressen SET nl = 'N' WHERE :email = :email": ":email = :email",
    "UPDATE adressen SET nl = 'N' WHERE email = :email OR 1 = 1": "OR",
    "UPDATE adressen SET nl = 'N' WHERE email = :email OR tnr = :person_no": "OR",
    "UPDATE adressen SET nl = 'N' WHERE email = :email AND 1 = 1": "1 = 1",
    "UPDATE adressen SET nl = 'N' WHERE NOT email = :email": "NOT",
    "UPDATE adressen SET nl = 'N' WHERE email LIKE :email": "LIKE",
    "UPDATE adressen SET nl = 'N' WHERE email = :email AND nl = :status": "nl = :status",
    "UPDATE adressen SET nl = 'N' WHERE LOWER(email) = :email": "LOWER",
    "UPDATE adressen SET nl = 'N' WHERE email IN (:email, 'x@y.de')": "IN",
    "UPDATE a SET nl = 'N' FROM adressen a JOIN personen p ON 1 = 1 WHERE a.email = :email": "FROM",
    "UPDATE p SET nl = :status FROM dbo.Personen p WHERE p.TNR = :person_no": "FROM",
    "UPDATE adressen SET email = tnr WHERE email = :email": "SET email = tnr",
    "UPDATE adressen SET nl = (SELECT MAX(nl) FROM adressen) WHERE email = :email": "SET",
    "UPDATE adressen SET nl = UPPER(:status) WHERE email = :email": "UPPER",
    "UPDATE adressen SET @x = 1 WHERE email = :email": "@x",
    "UPDATE adressen WITH (TABLOCKX) SET nl = 'N' WHERE email = :email": "TABLOCKX",
    "WITH x AS (SELECT 1 AS a) UPDATE adressen SET nl = 'N' WHERE email = :email": "WITH",
}


@pytest.mark.parametrize(("query", "code"), HOSTILE_SOURCE.items())
def test_hostile_source_queries_are_refused(query: str, code: str) -> None:
    with pytest.raises(ImportFailure) as info:
        check_read_only(query)
    assert info.value.code == code


SECOND_STATEMENTS = ["SHUTDOWN", "SHUTDOWN WITH NOWAIT", "KILL 52", "BACKUP DATABASE k TO DISK = 'x'", "DELETE p",
                     "DELETE FROM p", "DROP TABLE p", "TRUNCATE TABLE p", "EXEC sp_x", "SET ROWCOUNT 0",
                     "INSERT p SELECT 1", "UPDATE p SET a = 1", "WAITFOR DELAY '0:0:5'", "DBCC CHECKDB",
                     "RESTORE DATABASE k FROM DISK = 'x'", "USE master", "WITH x AS (SELECT 1 a) DELETE FROM p"]


@pytest.mark.parametrize("second", SECOND_STATEMENTS)
@pytest.mark.parametrize("first", ["SELECT mail FROM personen", "SELECT mail FROM personen p WHERE a = 1",
                                   "SELECT mail AS [it's] FROM p ORDER BY mail"])
def test_no_second_statement_after_a_select(first: str, second: str) -> None:
    with pytest.raises(ImportFailure):
        check_read_only(f"{first} {second}")
    with pytest.raises(ImportFailure):
        check_update(f"UPDATE p SET nl = 'N' WHERE email = :email {second}")


@pytest.mark.parametrize("query", LEGITIMATE_SOURCE)
def test_legitimate_source_queries_pass(query: str) -> None:
    check_read_only(query)


@pytest.mark.parametrize("statement", LEGITIMATE_WRITEBACK)
def test_legitimate_writeback_statements_pass(statement: str) -> None:
    assert check_update(statement) & {"email", "person_no"}


@pytest.mark.parametrize("statement", HOSTILE_WRITEBACK)
def test_hostile_writeback_statements_never_reach_the_driver(statement: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE adressen (tnr TEXT, email TEXT, nl TEXT)")
    conn.execute("INSERT INTO adressen VALUES ('1', 'a@b.de', 'J')")
    conn.commit()
    with pytest.raises(ImportFailure) as info:
        apply_sql_writeback(conn, statement, [WritebackRow("a@b.de", "1")])
    assert info.value.code in ("writeback-invalid", "sql-unparseable")
    assert conn.execute("SELECT nl FROM adressen").fetchall() == [("J",)]


@pytest.mark.parametrize(("statement", "named"), UNKEYED_WRITEBACK.items())
def test_unkeyed_writeback_statements_are_refused_and_named(statement: str, named: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE adressen (tnr TEXT, email TEXT, nl TEXT)")
    conn.executemany("INSERT INTO adressen VALUES (?, ?, 'J')", [(str(n), f"p{n}@b.de") for n in range(29)])
    conn.commit()
    with pytest.raises(ImportFailure) as info:
        apply_sql_writeback(conn, statement, [WritebackRow("p1@b.de", "1")])
    assert info.value.code == "writeback-invalid"
    assert named in info.value.params["detail"]  # the message shows what was refused
    assert conn.execute("SELECT count(*) FROM adressen WHERE nl = 'N'").fetchone() == (0,)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_refusals_read_clearly_in_both_languages(lang: str) -> None:
    with pytest.raises(ImportFailure) as info:
        check_read_only("SELECT email AS [it's] FROM p DELETE FROM p --'")
    text = i18n.t(f"import.fail.{info.value.code}", lang, **info.value.params)
    assert "DELETE" in text and "SELECT" in text and "UPDATE" in text and "\x1b" not in text


def test_doctor_findings_name_each_statement_and_advise_a_narrow_login() -> None:
    good = sql_findings(LEGITIMATE_SOURCE[2], LEGITIMATE_WRITEBACK[0])
    assert [(f.ok, f.message_id) for f in good] == [
        (True, "sql.query-ok"), (True, "sql.writeback-ok"), (True, "sql.writeback-as-read"),
        (True, "sql.writeback-guard"), (True, "sql.least-privilege")]
    assert good[1].params == {"params": ":date, :email, :person_no"}
    bad = sql_findings("SELECT * INTO x FROM p", HOSTILE_WRITEBACK[0])
    assert [(f.ok, f.message_id) for f in bad] == [
        (False, "import.fail.sql-not-readonly"), (False, "import.fail.sql-unparseable"),
        (True, "sql.least-privilege")]
    for lang in ("de", "en"):
        assert "db_owner" in i18n.t("sql.least-privilege", lang)


def test_pyformat_conversion_touches_parameters_only() -> None:
    """pymssql formats the whole text with %: a parameter name inside a string stays text, % is doubled."""
    statement = "UPDATE p SET nl = :status, bem = 'Abmeldung 100% :email' WHERE email = :email -- 5%"
    converted = to_pyformat(statement)
    assert converted == ("UPDATE p SET nl = %(status)s, bem = 'Abmeldung 100%% :email' WHERE email = %(email)s"
                         " -- 5%%")
    assert converted % {"status": "'N'", "email": "'a@b.de'"} == (
        "UPDATE p SET nl = 'N', bem = 'Abmeldung 100% :email' WHERE email = 'a@b.de' -- 5%")
