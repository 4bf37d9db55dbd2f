"""Facts that used to be copied into several modules now stand in one (docs/ARCHITECTURE.md, "One fact, one
place"): these checks fail, naming the file, when a copy comes back."""

from __future__ import annotations

import ast
import codecs
from pathlib import Path

import pytest

from kufertui.config import Settings
from kufertui.core.contact import UPLOADABLE_STATUSES, Status
from kufertui.maileon.options import ClientOptions
from kufertui.sync.connect import client_options

PACKAGE = Path(__file__).resolve().parents[2] / "kufertui"


def modules(*parts: str) -> list[Path]:
    return sorted(p for part in parts for p in ((PACKAGE / part).rglob("*.py") if (PACKAGE / part).is_dir()
                                                 else [PACKAGE / part]))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"


def test_exit_codes_are_named_not_numbers() -> None:
    """A command returns ExitCode members (core/exitcodes.py), never a bare 2."""
    bare = []
    for path in modules("commands", "cli.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and fn.returns is not None \
                    and "int" in ast.unparse(fn.returns):
                bare += [where(path, n) for n in ast.walk(fn) if isinstance(n, ast.Return)
                         and isinstance(n.value, ast.Constant) and type(n.value.value) is int]
        bare += [where(path, n) for n in ast.walk(tree) if isinstance(n, ast.Call)
                 and ast.unparse(n.func).endswith("json_error")
                 and any(isinstance(a, ast.Constant) and type(a.value) is int for a in n.args)]
    assert not bare, f"bare exit codes (use core/exitcodes.py): {bare}"


def _string_sets(path: Path) -> list[tuple[ast.AST, frozenset[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n, frozenset(e.value for e in n.elts)) for n in ast.walk(tree)
            if isinstance(n, ast.Tuple | ast.List | ast.Set) and n.elts
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in n.elts)]


def test_the_languages_and_the_uploadable_statuses_are_not_written_out_again() -> None:
    """("de", "en") is i18n.LANGUAGES; ("J", "K") is core/contact.py's UPLOADABLE."""
    copies = [where(path, node) for path in modules(".") if path.name not in ("i18n.py", "contact.py")
              and "messages" not in path.parts
              for node, values in _string_sets(path) if values in ({"de", "en"}, {"J", "K"})]
    assert not copies, f"written out again: {copies}"


def test_regular_expressions_are_anchored_at_the_real_end() -> None:
    """A pattern that checks a whole value (^…) ends in \\Z: `$` lets a trailing newline through ("a@b.de\\n")."""
    loose = []
    for path in modules("."):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("re.compile", "re.match", "re.fullmatch") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                pattern = node.args[0].value
                if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
                    loose.append(where(path, node))
    assert not loose, f"patterns ending in $: {loose}"


@pytest.mark.parametrize("value", ["a@b.de\n", "2020-01-01\n", "de_DE\n"])
def test_a_trailing_newline_is_refused_by_the_pre_flight_and_the_simulator(value: str) -> None:
    from kufertui.core.validation import check_contact
    from kufertui.simulator.validation import standard_error, valid_email

    name = {"2": "BIRTHDAY", "d": "LOCALE"}.get(value[0], "")
    if name:
        assert check_contact("a@b.de", {name: value}, {}, {}) and standard_error(name, value) is not None
    else:
        assert check_contact(value, {}, {}, {}) and not valid_email(value)


def test_the_settings_and_the_client_start_from_the_same_connection_defaults() -> None:
    settings = Settings()
    ours, client = client_options(settings), ClientOptions(api_key="")
    for name in ("base_url", "connect_timeout", "read_timeout", "requests_per_second", "max_in_flight",
                 "single_in_flight"):
        assert getattr(ours, name) == getattr(client, name), name


def test_one_vocabulary_of_statuses_for_the_import_and_the_command_line() -> None:
    from kufertui.commands.statuses import parse_statuses

    for word in ("leer", "-", "Ja", "n", "K"):
        assert parse_statuses(f"J,{word}") == {"J", Status.parse(word).value}
    assert {s.value for s in Status if s.uploadable} == UPLOADABLE_STATUSES


def test_one_table_of_byte_order_marks_for_csv_and_xml() -> None:
    from kufertui.kufer.textcodec import BOMS, bom_encoding
    from kufertui.kufer.xml_source import xml_codec

    for mark, dropping, after in BOMS:
        head = mark + '<?xml version="1.0"?><a/>'.encode(after)
        assert bom_encoding(head) == dropping and xml_codec("x.xml", head) == after
        assert codecs.decode(head, dropping).startswith("<?xml")
