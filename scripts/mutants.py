"""Targeted mutation testing: does the suite notice a wrong legal choice or a loosened check?

Each mutant is one replacement of a piece of code in a throw-away copy of the tree; the tests then run in
that copy. A mutant the tests do not kill is a hole in the suite. Not part of CI (one suite run per
mutant); run it before you stop after touching ``maileon/``, the sync flags and permissions, the retry
policy or ``core/validation.py``:

    python scripts/mutants.py                      # all mutants, tests/integration + tests/reliability
    python scripts/mutants.py swap-jk-permissions  # only the named ones
    python scripts/mutants.py --list               # each mutant with the file and line it is found at today
    python scripts/mutants.py --tests tests/unit validation-gender-w
    python scripts/mutants.py --full               # every mutant against the whole suite (KNOWN_KILLERS unused)

A mutant names code, not a place: ``old`` is Python (statements, an expression, or a parameter written as
``name: type = default``) and is found by its syntax tree anywhere in ``kufertui/`` (the simulator, which plays
Maileon, aside), whatever the file, the
line, the quotes or the line breaks; ``within`` (a class or function name) narrows the search where the
code alone is not unique. Moving code keeps its mutants; changing it makes ``--list`` (and
tests/unit/test_mutants_found.py) say which mutant to update.

The unmutated tree runs first (a kill only counts when it passes). Exit status 1 when a mutant
marked ``must_kill`` survives, 2 when the unmutated tree fails.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "kufertui"
STAND_IN = "simulator"  # the simulator plays Maileon in the tests: never mutated, never searched
DEFAULT_TESTS = ("tests/integration", "tests/reliability")


@dataclass(frozen=True)
class Mutant:
    name: str
    old: str
    new: str
    must_kill: bool = False  # a legal error that would reach real people: the suite has to catch it
    within: str = ""  # the enclosing class or function (dotted for nesting), when ``old`` alone is not unique


MUTANTS: tuple[Mutant, ...] = (
    # the legal choices of an upload: every one of these must be killed
    Mutant("swap-jk-permissions", 'J: str = "doi"\nK: str = "other"', 'J: str = "other"\nK: str = "doi"', True),
    Mutant("override-permission-on", "override_permission: bool = False", "override_permission: bool = True", True),
    Mutant("reimport-unsubscribed-on", "reimport_unsubscribed_contacts: bool = False",
           "reimport_unsubscribed_contacts: bool = True", True),
    Mutant("drop-importapi-clear", "await client.clear_custom_field_values(name, resend=False)", "pass", True),
    Mutant("sync-mode-ignore", "sync_mode: int = 1", "sync_mode: int = 2", True),
    Mutant("invalid-contacts-fatal", "ignore_invalid_contacts: bool = True", "ignore_invalid_contacts: bool = False",
           True),
    Mutant("permission-k-as-j", "permission_code(ctx.settings, s)", 'permission_code(ctx.settings, "J")', True),
    # the wire format
    Mutant("body-drops-external-id", "email, external_id = contact.email, contact.external_id",
           "email, external_id = contact.email, None", within="build_sync_body"),
    Mutant("report-ignores-error-code", 'code = _int(err.get("code"), "error code")', "code = 0"),
    Mutant("unsubscriptions-drop-external-id", 'external_id = _child(contact, "external_id")', "external_id = None"),
    # pre-flight (core/validation.py)
    Mutant("validation-length-off-by-one", "name in LENGTH_CODES and len(value) > MAX_LEN",
           "name in LENGTH_CODES and len(value) >= MAX_LEN"),
    Mutant("validation-gender-w", 'GENDERS = frozenset({"m", "f", "d"})', 'GENDERS = frozenset({"m", "f", "d", "w"})'),
    Mutant("validation-birthday-month-13", "1 <= month <= 12", "1 <= month <= 13"),
    Mutant("validation-no-double-dot", '".." in email or email.startswith(".") or "@." in email or ".@" in email',
           'email.startswith(".") or "@." in email or ".@" in email', within="valid_email"),
    Mutant("custom-field-not-created", "custom_field_types(self.preflight.mappings).items()", "{}.items()"),
    Mutant("validation-locale-lowercase-country", r'_LOCALE = re.compile(r"^[a-z]{2}(_[A-Z]{2})?\Z")',
           r'_LOCALE = re.compile(r"^[a-z]{2}(_[A-Za-z]{2})?\Z")'),
    # people who left KUFER, the learned rate
    Mutant("leavers-stay-selected", 'clauses: list[str] = ["left_at IS NULL"]', 'clauses: list[str] = ["1"]', True),
    Mutant("leavers-delete-unsent", "return [p for p in people if p.person_no and p.in_maileon]",
           "return [p for p in people if p.person_no]", True),
    Mutant("outage-teaches-rate",
           "return resp.status_code == 429 or (resp.status_code == 503 and _retry_after(resp) is not None)",
           "return resp.status_code in (429, 503)"),
    # the shipped retry policy (maileon/options.py): a one-off fault must be ridden out with the options as shipped
    Mutant("no-retries", "max_retries: int = 5", "max_retries: int = 0", True),
    Mutant("no-retry-budget", "retry_budget_s: float = 120.0", "retry_budget_s: float = 0.0", True),
)

# The test that killed each mutant in the last full run (``--full``): tried first and alone, seconds instead of a
# suite run per mutant. A mutant it no longer kills gets the whole suite as before; the unmutated tree runs
# these tests too, so a kill still means a test that passes without the mutant.
KNOWN_KILLERS: dict[str, str] = {
    "swap-jk-permissions":
        "tests/integration/test_sync_legal_values.py::test_legal_values_on_the_wire_and_in_maileon[None-4-6]",
    "override-permission-on":
        "tests/integration/test_sync_legal_values.py::test_legal_values_on_the_wire_and_in_maileon[None-4-6]",
    "reimport-unsubscribed-on":
        "tests/integration/test_sync_email_moves.py::test_no_move_onto_an_address_unsubscribed_in_maileon[marker-before-code4]",
    "drop-importapi-clear":
        "tests/integration/test_cli_contract.py::test_exit_codes_json_rerun_and_target_group",
    "sync-mode-ignore":
        "tests/integration/test_maileon_contract.py::test_sync_report_counts_and_invalid_list[inproc]",
    "invalid-contacts-fatal":
        "tests/integration/test_sync_email_moves.py::test_changed_email_moves_the_contact_and_ambiguous_ones_are_reported",
    "permission-k-as-j":
        "tests/integration/test_sync_legal_values.py::test_legal_values_on_the_wire_and_in_maileon[None-4-6]",
    "body-drops-external-id":
        "tests/integration/test_doctor_probe.py::test_each_harsh_reading_makes_exactly_its_rows_differ[v2-orphan]",
    "report-ignores-error-code":
        "tests/integration/test_doctor_probe.py::test_each_harsh_reading_makes_exactly_its_rows_differ[v2-orphan]",
    "unsubscriptions-drop-external-id":
        "tests/integration/test_sync_anonymised_unsubscribes.py::test_anonymised_unsubscribe_is_matched_by_kufer_number_and_written_back",
    "validation-length-off-by-one":
        "tests/integration/test_sync_preflight_boundaries.py::test_preflight_limits_duplicates_addresses_and_dates",
    "validation-gender-w":
        "tests/integration/test_sync_manual_example.py::test_manual_example_report",
    "validation-birthday-month-13":
        "tests/integration/test_sync_preflight_boundaries.py::test_preflight_limits_duplicates_addresses_and_dates",
    "validation-no-double-dot":
        "tests/integration/test_sync_preflight_boundaries.py::test_preflight_limits_duplicates_addresses_and_dates",
    "custom-field-not-created":
        "tests/integration/test_sync_custom_fields.py::test_missing_custom_fields_are_created_before_the_first_send",
    "validation-locale-lowercase-country":
        "tests/integration/test_sync_preflight_boundaries.py::test_preflight_limits_duplicates_addresses_and_dates",
    "leavers-stay-selected":
        "tests/integration/test_cli_leavers.py::test_a_full_export_takes_leavers_out_of_the_selection_and_a_partial_one_changes_nobody",
    "leavers-delete-unsent":
        "tests/integration/test_cli_leavers.py::test_leavers_are_deleted_from_maileon_by_number_only_when_asked",
    "outage-teaches-rate":
        "tests/integration/test_rate_learning.py::test_an_outage_teaches_no_rate_and_costs_no_pace",
    "no-retries":
        "tests/reliability/test_fault_matrix.py::test_fault_cell[429-pull-once]",
    "no-retry-budget":
        "tests/reliability/test_fault_matrix.py::test_fault_cell[429-pull-once]",
}


@dataclass(frozen=True)
class Found:
    """Where a mutant's code stands today: the file and the character span to replace, and the text to put."""

    path: Path
    start: int
    end: int
    text: str

    @property
    def line(self) -> int:
        return self.path.read_text(encoding="utf-8").count("\n", 0, self.start) + 1


def _offsets(source: str) -> list[int]:
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _index(source: str, lines: list[int], lineno: int, col_bytes: int) -> int:
    """The character index of an AST position (col_offset counts UTF-8 bytes)."""
    line = source[lines[lineno - 1]:lines[lineno]]
    return lines[lineno - 1] + len(line.encode("utf-8")[:col_bytes].decode("utf-8"))


def _scopes(tree: ast.AST) -> list[tuple[str, list[ast.stmt] | None, ast.AST]]:
    """Every body of statements and every node with the dotted name of the class/function around it."""
    out: list[tuple[str, list[ast.stmt] | None, ast.AST]] = []

    def walk(node: ast.AST, scope: str) -> None:
        inner = scope
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            inner = f"{scope}.{node.name}" if scope else node.name
        for attr in ("body", "orelse", "finalbody", "handlers"):
            body = getattr(node, attr, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                out.append((inner, body, node))
        out.append((scope, None, node))
        for child in ast.iter_child_nodes(node):
            walk(child, inner)

    walk(tree, "")
    return out


Scopes = list[tuple[str, list[ast.stmt] | None, ast.AST]]
_PARSED: dict[tuple[Path, int, int], tuple[str, ast.Module, list[int], Scopes]] = {}
_DUMPS: dict[int, tuple[ast.AST, str]] = {}  # id → (the node, kept alive so that its id stays its own; its dump)


def _parsed(path: Path) -> tuple[str, ast.Module, list[int], Scopes]:
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        _PARSED[key] = (source, tree, _offsets(source), _scopes(tree))
    return _PARSED[key]


def _same(a: ast.AST, b: ast.AST) -> bool:
    if type(a) is not type(b):
        return False
    return _dump(a) == _dump(b)


def _dump(node: ast.AST) -> str:
    held = _DUMPS.get(id(node))
    if held is None or held[0] is not node:
        held = _DUMPS[id(node)] = (node, ast.dump(node))
    return held[1]


def _in_scope(scope: str, within: str) -> bool:
    return not within or scope == within or scope.endswith("." + within)


def _indent(text: str, column: str) -> str:
    first, *rest = text.split("\n")
    return "\n".join([first, *(column + line if line else line for line in rest)])


def locate(mutant: Mutant, root: Path = ROOT) -> Found:
    """The one place of ``mutant.old`` in the package (SystemExit when it is not there exactly once)."""
    pattern = ast.parse(mutant.old).body
    hits: list[Found] = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        if STAND_IN in path.relative_to(root / PACKAGE).parts:
            continue
        source, tree, lines, scopes = _parsed(path)
        for scope, body, node in scopes:
            if not _in_scope(scope, mutant.within):
                continue
            if body is not None:  # statements in a row
                for i in range(len(body) - len(pattern) + 1):
                    run = body[i:i + len(pattern)]
                    if all(_same(x, y) for x, y in zip(run, pattern, strict=True)):
                        start = _index(source, lines, run[0].lineno, run[0].col_offset)
                        end = _index(source, lines, run[-1].end_lineno or 0, run[-1].end_col_offset or 0)
                        column = " " * (start - lines[run[0].lineno - 1])
                        hits.append(Found(path, start, end, _indent(mutant.new, column)))
            elif len(pattern) == 1 and isinstance(pattern[0], ast.Expr) and isinstance(node, ast.expr) \
                    and _same(node, pattern[0].value) and not _is_statement(tree, node):
                start = _index(source, lines, node.lineno, node.col_offset)
                end = _index(source, lines, node.end_lineno or 0, node.end_col_offset or 0)
                hits.append(Found(path, start, end, mutant.new))
            elif len(pattern) == 1 and isinstance(pattern[0], ast.AnnAssign) and isinstance(node, ast.arguments):
                hits.extend(_parameter(path, source, lines, node, pattern[0], mutant))
    if len(hits) != 1:  # the code moved on: the mutant must be updated, not silently skipped
        where = ", ".join(f"{h.path.relative_to(root)}:{h.line}" for h in hits) or "nowhere"
        raise SystemExit(f"mutant {mutant.name}: expected its code once in {PACKAGE}/, found it {len(hits)} times "
                         f"({where}); update MUTANTS in scripts/mutants.py")
    return hits[0]


def _is_statement(tree: ast.AST, node: ast.expr) -> bool:
    """An expression that is a whole statement is matched as the statement (its replacement may be one)."""
    return any(isinstance(s, ast.Expr) and s.value is node for s in ast.walk(tree))


def _parameter(path: Path, source: str, lines: list[int], args: ast.arguments, pattern: ast.AnnAssign,
               mutant: Mutant) -> list[Found]:
    """A parameter with annotation and default, written like the field of a dataclass."""
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
    found = []
    new = ast.parse(mutant.new).body[0]
    for arg, default in pairs:
        if isinstance(pattern.target, ast.Name) and arg.arg == pattern.target.id and arg.annotation is not None \
                and _same(arg.annotation, pattern.annotation) and pattern.value is not None \
                and _same(default, pattern.value):
            start = _index(source, lines, default.lineno, default.col_offset)
            end = _index(source, lines, default.end_lineno or 0, default.end_col_offset or 0)
            assert isinstance(new, ast.AnnAssign) and new.value is not None
            found.append(Found(path, start, end, ast.unparse(new.value)))
    return found


_IGNORE = shutil.ignore_patterns(".git", ".venv", ".ci-venv", "__pycache__", "*.pyc", ".pytest_cache",
                                 ".ruff_cache", "bench-results", "screenshots", "*.egg-info")


def apply(tree: Path, mutant: Mutant) -> None:
    found = locate(mutant, tree)
    text = found.path.read_text(encoding="utf-8")
    mutated = text[:found.start] + found.text + text[found.end:]
    ast.parse(mutated)  # a mutant that breaks the syntax would be "killed" by every test: refuse it
    found.path.write_text(mutated, encoding="utf-8")


BASELINE = Mutant("baseline (no mutation)", "", "")


def run_one(mutant: Mutant, tests: list[str], extra: list[str]) -> tuple[bool, float, str]:
    """(killed, seconds, the first failed test or pytest's last line)."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(ROOT, tree, ignore=_IGNORE)
        if mutant is not BASELINE:
            apply(tree, mutant)
        env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", *extra, *tests],
                              cwd=tree, env=env, capture_output=True, text=True)
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
        last = lines[-1] if lines else proc.stderr[-200:]
        failed = [ln.split(" - ")[0] for ln in lines if ln.startswith("FAILED ")]
        # with -n (xdist), -x stops the workers and pytest exits 2 ("interrupted") after the first failure
        stopped_at_failure = proc.returncode == 2 and " failed" in last
        if proc.returncode not in (0, 1) and not stopped_at_failure:  # no tests, usage or internal error
            raise SystemExit(f"mutant {mutant.name}: pytest exited with {proc.returncode}: {last}")
        if proc.returncode == 1 and " failed" not in last:  # errors only: the copy is broken, not the mutant caught
            raise SystemExit(f"mutant {mutant.name}: tests errored without failing: {last}")
        return proc.returncode != 0, time.monotonic() - start, failed[0] if failed else last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--tests", action="append", help="test path to run per mutant (repeatable; default: "
                        + " ".join(DEFAULT_TESTS) + ")")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run of the unmutated tree")
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument (repeatable)")
    parser.add_argument("--full", action="store_true", help="run the whole suite for every mutant (no known killers)")
    args = parser.parse_args(argv)
    if args.list:
        for m in MUTANTS:
            found = locate(m)
            where = f"{found.path.relative_to(ROOT)}:{found.line}"
            print(f"{m.name:40} {where}{'  (must be killed)' if m.must_kill else ''}")
        return 0
    known = {m.name: m for m in MUTANTS}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"unknown mutants: {', '.join(unknown)}")
    chosen = [known[n] for n in args.names] if args.names else list(MUTANTS)
    survivors: list[Mutant] = []
    tests = args.tests or list(DEFAULT_TESTS)
    killers = {} if args.full else {m.name: KNOWN_KILLERS[m.name] for m in chosen if m.name in KNOWN_KILLERS}
    if not args.no_baseline:  # a kill only means something when the unmutated tree passes (the killers too)
        # two runs: pytest given a folder and a test inside it runs only that test, not the folder
        for chosen_tests in (tests, sorted(set(killers.values()))):
            if not chosen_tests:
                continue
            failed, seconds, last = run_one(BASELINE, chosen_tests, args.pytest_arg)
            print(f"{'FAILED ' if failed else 'passed '} {BASELINE.name:40} {seconds:6.1f}s  {last}", flush=True)
            if failed:
                return 2
    for m in chosen:
        killed = False
        if m.name in killers:  # alone, without the workers of -n: one test is quicker in one process
            killed, seconds, last = run_one(m, [killers[m.name]], [a for a in args.pytest_arg if not a.startswith(
                ("-n", "--dist", "--numprocesses"))])
        if not killed:
            killed, seconds, last = run_one(m, tests, args.pytest_arg)
        print(f"{'killed ' if killed else 'SURVIVED'} {m.name:40} {seconds:6.1f}s  {last}", flush=True)
        if not killed:
            survivors.append(m)
    print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} mutants killed"
          + (f"; survivors: {', '.join(m.name for m in survivors)}" if survivors else ""))
    return 1 if any(m.must_kill for m in survivors) else 0


if __name__ == "__main__":
    raise SystemExit(main())
