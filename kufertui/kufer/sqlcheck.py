"""Statement checks for the admin's SQL, by parsing (sqlglot, T-SQL dialect) rather than pattern matching.

KuferSQL runs on MS SQL Server, which executes several statements sent in one batch even without `;`,
and whose quoting ([brackets], '' and N'…') a regular expression cannot follow. So the text is parsed
the way the server reads it, and only what we can fully read is run:

- the source: exactly one SELECT (or a UNION of SELECTs), nowhere an INTO, anything that writes, or a
  pass-through to another server (OPENQUERY, OPENROWSET, OPENDATASOURCE);
- the write-back: exactly one UPDATE with a WHERE that uses :email or :person_no, only our named
  parameters, no OUTPUT clause and nothing else that writes.

Anything the parser cannot read is refused ("sql-unparseable"), never passed on to the driver.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.tokens import TokenType

from kufertui.kufer.errors import ImportFailure

DIALECT = "tsql"
WRITEBACK_PARAMS: frozenset[str] = frozenset({"email", "person_no", "date", "status", "source"})
_KEY_PARAMS = frozenset({"email", "person_no"})
# nodes that write, run code or control the server; none may appear in a checked statement
_WRITES: tuple[type[exp.Expression], ...] = tuple(
    node for node in (getattr(exp, name, None) for name in (
        "Insert", "Update", "Delete", "Merge", "Into", "Returning", "Create", "Drop", "Alter", "TruncateTable",
        "Command", "Execute", "Kill", "Declare", "Set", "Use", "Grant", "Revoke", "Transaction", "Commit",
        "Rollback", "Copy", "LoadData", "Cache", "Uncache", "Refresh", "Pragma", "Analyze"))
    if isinstance(node, type))

# T-SQL words that start a statement (reserved there): sqlglot may read one as a bare alias
# ("SELECT a FROM p SHUTDOWN"), where the server starts a second statement. Never a plain name.
_STATEMENT_WORDS = frozenset("""
    ADD ALTER BACKUP BEGIN BREAK BULK CHECKPOINT CLOSE COMMIT CONTINUE CREATE DBCC DEALLOCATE DECLARE DELETE
    DENY DISABLE DROP DUMP ELSE ENABLE END EXEC EXECUTE FETCH GO GOTO GRANT IF INSERT KILL LOAD MERGE MOVE OPEN
    PRINT RAISERROR READTEXT RECEIVE RECONFIGURE RESTORE RETURN REVERT REVOKE ROLLBACK SAVE SEND SET SETUSER
    SHUTDOWN THROW TRUNCATE TRY UPDATE UPDATETEXT USE WAITFOR WHILE WITH WRITETEXT SELECT
""".split())  # noqa: SIM905 - a word list reads better as text
# functions that send a statement text to another server, where it may write
_PASS_THROUGH = frozenset({"OPENQUERY", "OPENROWSET", "OPENDATASOURCE"})
# clause keywords; the parsed statement must still hold each one the text has (see _parse)
_CLAUSES = frozenset(getattr(TokenType, name) for name in (
    "SELECT", "UPDATE", "DELETE", "INSERT", "SET", "WHERE", "FROM", "INTO", "HAVING", "GROUP_BY", "ORDER_BY"))


def _clause_counts(text: str) -> Counter[TokenType]:
    return Counter(t.token_type for t in sqlglot.tokenize(text, read=DIALECT) if t.token_type in _CLAUSES)


def _parse(text: str) -> list[exp.Expression]:
    try:
        statements = [s for s in sqlglot.parse(text, read=DIALECT) if s is not None]
        # the parser is lenient: a repeated clause ("… WHERE a = 1 WHERE b = 2", "… SET x = 1") replaces the
        # first one silently, so what it read must hold every clause keyword the text has
        regenerated = Counter[TokenType]()
        for statement in statements:
            regenerated += _clause_counts(statement.sql(dialect=DIALECT))
        lost = _clause_counts(text) - regenerated
        if lost:
            raise ImportFailure("sql-unparseable", line="?", col="?", near=" ".join(t.name for t in lost))
        return statements
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        near = " ".join(f"{str(first.get('start_context', ''))[-24:]}{first.get('highlight', '')}".split())
        raise ImportFailure("sql-unparseable", line=first.get("line", "?"), col=first.get("col", "?"),
                            near=near) from None
    except SqlglotError as exc:  # e.g. an unterminated string or bracket (tokenizer)
        raise ImportFailure("sql-unparseable", line="?", col="?", near=str(exc).splitlines()[0][:60]) from None


def _kind(statement: exp.Expression) -> str:
    """The statement's leading keyword(s) in SQL terms, for the refusal message."""
    if isinstance(statement, exp.Select) and statement.args.get("into"):
        return "SELECT … INTO"
    return statement.key.upper()


def _writing_node(statement: exp.Expression, allowed_root: type[exp.Expression] | None = None) -> str | None:
    for node in statement.walk():
        if node is statement and allowed_root is not None and isinstance(node, allowed_root):
            continue
        if isinstance(node, _WRITES):
            return node.key.upper() if not isinstance(node, exp.Into) else "INTO"
        if isinstance(node, exp.Identifier | exp.Var) and not node.args.get("quoted") \
                and node.name.upper() in _STATEMENT_WORDS:
            return node.name.upper()
        if isinstance(node, exp.Func) and node.name.upper() in _PASS_THROUGH:
            return node.name.upper()
    return None


def check_select(query: str) -> None:
    """Accept exactly one read-only SELECT; raise ImportFailure ("sql-not-readonly"/"sql-unparseable")."""
    statements = _parse(query)
    if len(statements) != 1:
        raise ImportFailure("sql-not-readonly", detail="; ".join(_kind(s) for s in statements) or "–")
    statement = statements[0]
    if not isinstance(statement, exp.Select | exp.SetOperation):
        raise ImportFailure("sql-not-readonly", detail=_kind(statement))
    found = _writing_node(statement)
    if found:
        raise ImportFailure("sql-not-readonly", detail=f"SELECT … {found}")


def check_update(statement_text: str) -> set[str]:
    """Accept exactly one UPDATE keyed by :email or :person_no; return the parameter names it uses."""
    statements = _parse(statement_text)
    if len(statements) != 1 or not isinstance(statements[0], exp.Update):
        raise ImportFailure("writeback-invalid", detail="; ".join(_kind(s) for s in statements) or "–")
    update = statements[0]
    found = _writing_node(update, allowed_root=exp.Update)
    if found:
        raise ImportFailure("writeback-invalid", detail=f"UPDATE … {found}")
    names: set[str] = set()
    for holder in update.find_all(exp.Placeholder):
        if not holder.name or holder.name == "?" or holder.name not in WRITEBACK_PARAMS:
            raise ImportFailure("writeback-invalid",
                                detail=f":{holder.name or '?'} ∉ {{{', '.join(sorted(WRITEBACK_PARAMS))}}}")
        names.add(holder.name)
    where = update.args.get("where")
    keys = {h.name for h in where.find_all(exp.Placeholder)} if where is not None else set()
    if not keys & _KEY_PARAMS:
        raise ImportFailure("writeback-invalid", detail="WHERE … = :email / :person_no")
    return names


def to_pyformat(statement: str) -> str:
    """The checked statement for a pyformat driver (pymssql): `:name` becomes `%(name)s` only where the
    parser sees a parameter (never inside a string or comment), and every other `%` is doubled, because
    the driver runs Python's % formatting over the whole text."""
    tokens = sqlglot.tokenize(statement, read=DIALECT)
    spans: list[tuple[int, int, str]] = []
    for colon, name in pairwise(tokens):
        if colon.token_type == TokenType.COLON and name.start == colon.end + 1 and name.text in WRITEBACK_PARAMS:
            spans.append((colon.start, name.end + 1, name.text))
    out: list[str] = []
    pos = 0
    for start, end, name in spans:
        out.append(statement[pos:start].replace("%", "%%"))
        out.append(f"%({name})s")
        pos = end
    out.append(statement[pos:].replace("%", "%%"))
    return "".join(out)
