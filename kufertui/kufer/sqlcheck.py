"""Statement checks for the admin's SQL, by parsing (sqlglot, T-SQL dialect) rather than pattern matching.

KuferSQL runs on MS SQL Server, which executes several statements sent in one batch even without `;`,
and whose quoting ([brackets], '' and N'…') a regular expression cannot follow. So the text is parsed
the way the server reads it, and only what we can fully read is run:

- the source: exactly one SELECT (or a UNION of SELECTs), nowhere an INTO, anything that writes, or a
  pass-through to another server (OPENQUERY, OPENROWSET, OPENDATASOURCE, also where the parser took one for
  an alias), no cursor FETCH, no NEXT VALUE FOR (it advances a sequence), no table hint but the reading ones;
- the write-back: exactly one UPDATE of one plain table, really keyed: its WHERE only AND-ed equalities of a
  column with :email or :person_no (at least one), its SET only columns given our parameters or constants;
  no FROM, join, OUTPUT, TOP, CTE or anything else.

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
# table hints that only read: NOLOCK is common in reporting views; a locking hint (TABLOCKX, HOLDLOCK) is not
_READ_HINTS = frozenset({"NOLOCK", "READUNCOMMITTED", "READCOMMITTED"})
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
                and node.name.upper() in _STATEMENT_WORDS | _PASS_THROUGH:
            return node.name.upper()
        if isinstance(node, exp.Func) and node.name.upper() in _PASS_THROUGH:
            return node.name.upper()
        if isinstance(node, exp.NextValueFor):
            return "NEXT VALUE FOR"
        if isinstance(node, exp.Fetch) and not _paging_fetch(node):
            return "FETCH"  # a cursor FETCH the parser took for a row limit: MS SQL runs it as a statement
        if isinstance(node, exp.WithTableHint):
            for hint in node.expressions:
                if not (isinstance(hint, exp.Var) and hint.name.upper() in _READ_HINTS):
                    return f"WITH ({hint.sql(dialect=DIALECT)})"
    return None


def _paging_fetch(node: exp.Fetch) -> bool:
    """``ORDER BY … OFFSET n ROWS FETCH NEXT m ROWS ONLY``: the only FETCH a SELECT may hold."""
    select = node.parent
    options = node.args.get("limit_options")
    return (isinstance(select, exp.Select) and select.args.get("offset") is not None
            and isinstance(node.args.get("count"), exp.Literal) and options is not None and options.args.get("rows"))


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


def parse_update(statement_text: str) -> exp.Update:
    """The one UPDATE of the text, really keyed (see check_update); raises ImportFailure otherwise."""
    statements = _parse(statement_text)
    if len(statements) != 1 or not isinstance(statements[0], exp.Update):
        raise ImportFailure("writeback-invalid", detail="; ".join(_kind(s) for s in statements) or "–")
    update = statements[0]
    found = _writing_node(update, allowed_root=exp.Update)
    if found:
        raise ImportFailure("writeback-invalid", detail=f"UPDATE … {found}")
    for holder in update.find_all(exp.Placeholder):
        if not holder.name or holder.name == "?" or holder.name not in WRITEBACK_PARAMS:
            raise ImportFailure("writeback-invalid",
                                detail=f":{holder.name or '?'} ∉ {{{', '.join(sorted(WRITEBACK_PARAMS))}}}")
    extra = [key.rstrip("_").upper() for key, value in update.args.items()
             if value and key not in ("this", "expressions", "where")]
    if extra:  # FROM (a join), WITH (a CTE), OUTPUT, TOP, ORDER, OPTION: the rows touched are no longer plain
        raise ImportFailure("writeback-invalid", detail=f"UPDATE … {extra[0]}")
    table = update.this
    if not isinstance(table, exp.Table) or any(v for k, v in table.args.items() if k not in ("this", "db", "catalog")):
        raise ImportFailure("writeback-invalid", detail=f"UPDATE {table.sql(dialect=DIALECT) if table else '–'}")
    for assignment in update.expressions:
        if not (isinstance(assignment, exp.EQ) and _plain_column(assignment.this)
                and _own_value(assignment.expression)):
            raise ImportFailure("writeback-invalid", detail=f"SET {assignment.sql(dialect=DIALECT)}")
    where = update.args.get("where")
    if where is None or not _key_terms(where.this) & _KEY_PARAMS:
        raise ImportFailure("writeback-invalid", detail="WHERE … = :email / :person_no")
    return update


def check_update(statement_text: str) -> set[str]:
    """Accept exactly one UPDATE of one plain table, keyed by :email or :person_no: its WHERE only AND-ed
    equalities of a column with one of them, its SET only columns given our parameters or constants.
    Returns the parameter names it uses."""
    return {holder.name for holder in parse_update(statement_text).find_all(exp.Placeholder)}


def update_as_read(statement_text: str) -> str:
    """The write-back statement as the check read it, regenerated from the parse without comments: this text
    is what runs (so what was checked is what the server gets) and what doctor shows."""
    return parse_update(statement_text).sql(dialect=DIALECT, comments=False)


def _plain_column(node: exp.Expression | None) -> bool:
    """A column, perhaps qualified by its table (``nl``, ``p.nl``, ``[nl]``); never a variable or an expression."""
    return isinstance(node, exp.Column) and isinstance(node.this, exp.Identifier) and \
        not node.name.startswith("@")


def _own_value(node: exp.Expression | None) -> bool:
    """What SET may assign: one of our parameters, a constant, or NULL – never another column or an expression."""
    if isinstance(node, exp.Neg):
        node = node.this
    return isinstance(node, exp.Placeholder | exp.Literal | exp.Null)


def _key_terms(node: exp.Expression) -> set[str]:
    """The key parameters of a WHERE made only of AND-ed ``column = :email`` / ``column = :person_no``;
    anything else (OR, NOT, <>, a constant or a parameter on both sides, a function) raises."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return _key_terms(node.this) | _key_terms(node.expression)
    if isinstance(node, exp.EQ):
        for column, value in ((node.this, node.expression), (node.expression, node.this)):
            if _plain_column(column) and isinstance(value, exp.Placeholder) and value.name in _KEY_PARAMS:
                return {value.name}
    raise ImportFailure("writeback-invalid", detail=f"WHERE … {node.sql(dialect=DIALECT)}")


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
