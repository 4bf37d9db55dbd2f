"""Targeted mutation testing: does the suite notice a wrong legal choice or a loosened check?

Each mutant is one exact text replacement in a throw-away copy of the tree; the tests then run in
that copy. A mutant the tests do not kill is a hole in the suite. Not part of CI (one suite run per
mutant); run it before you stop after touching ``maileon/``, the sync flags and permissions, or
``core/validation.py``:

    python scripts/mutants.py                      # all mutants, tests/integration + tests/reliability
    python scripts/mutants.py swap-jk-permissions  # only the named ones
    python scripts/mutants.py --list
    python scripts/mutants.py --tests tests/unit validation-gender-w

The unmutated tree runs first (a kill only counts when it passes). Exit status 1 when a mutant
marked ``must_kill`` survives, 2 when the unmutated tree fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TESTS = ("tests/integration", "tests/reliability")


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    must_kill: bool = False  # a legal error that would reach real people: the suite has to catch it


MUTANTS: tuple[Mutant, ...] = (
    # the legal choices of an upload (issue 19: every one of these must be killed)
    Mutant("swap-jk-permissions", "kufertui/config/model.py",
           'J: str = "doi"\n    K: str = "other"', 'J: str = "other"\n    K: str = "doi"', True),
    Mutant("override-permission-on", "kufertui/maileon/client.py",
           "override_permission: bool = False,", "override_permission: bool = True,", True),
    Mutant("reimport-unsubscribed-on", "kufertui/maileon/client.py",
           "reimport_unsubscribed_contacts: bool = False,", "reimport_unsubscribed_contacts: bool = True,", True),
    Mutant("drop-importapi-clear", "kufertui/sync/upload_step.py",
           "await client.clear_custom_field_values(m.import_field)", "pass", True),
    Mutant("sync-mode-ignore", "kufertui/maileon/client.py", "sync_mode: int = 1,", "sync_mode: int = 2,", True),
    Mutant("invalid-contacts-fatal", "kufertui/maileon/client.py",
           "ignore_invalid_contacts: bool = True,", "ignore_invalid_contacts: bool = False,", True),
    Mutant("permission-k-as-j", "kufertui/sync/upload_step.py",
           'self.permissions = {s: permission_code(ctx.settings, s) for s in ("J", "K")}',
           'self.permissions = {s: permission_code(ctx.settings, "J") for s in ("J", "K")}', True),
    # the wire format
    Mutant("body-drops-external-id", "kufertui/maileon/xml.py",
           'if external_id is not None:\n            add(markup + "<external_id>")',
           'if False:\n            add(markup + "<external_id>")'),
    Mutant("report-ignores-error-code", "kufertui/maileon/xml.py",
           'code = _int(err.get("code"), "error code")', "code = 0"),
    Mutant("unsubscriptions-drop-external-id", "kufertui/maileon/xml.py",
           'external_id = _child(contact, "external_id")', "external_id = None"),
    # pre-flight (core/validation.py)
    Mutant("validation-length-off-by-one", "kufertui/core/validation.py",
           "if name in LENGTH_CODES and len(value) > MAX_LEN:", "if name in LENGTH_CODES and len(value) >= MAX_LEN:"),
    Mutant("validation-gender-w", "kufertui/core/validation.py",
           'GENDERS = frozenset({"m", "f", "d"})', 'GENDERS = frozenset({"m", "f", "d", "w"})'),
    Mutant("validation-birthday-month-13", "kufertui/core/validation.py",
           "1 <= month <= 12", "1 <= month <= 13"),
    Mutant("validation-no-double-dot", "kufertui/core/validation.py",
           'if ".." in email or email.startswith(".")', 'if email.startswith(".")'),
    Mutant("custom-field-not-created", "kufertui/sync/upload_step.py",
           "for name, kind in custom_field_types(self.preflight.mappings).items():", "for name, kind in {}.items():"),
    Mutant("validation-locale-lowercase-country", "kufertui/core/validation.py",
           '_LOCALE = re.compile(r"^[a-z]{2}(_[A-Z]{2})?$")', '_LOCALE = re.compile(r"^[a-z]{2}(_[A-Za-z]{2})?$")'),
    # people who left KUFER (issue 23.4) and the learned rate (issue 23.5)
    Mutant("leavers-stay-selected", "kufertui/store/contacts.py",
           'clauses: list[str] = ["left_at IS NULL"]', 'clauses: list[str] = ["1"]', True),
    Mutant("leavers-delete-unsent", "kufertui/sync/leavers.py",
           "return [p for p in people if p.person_no and p.in_maileon]", "return [p for p in people if p.person_no]",
           True),
    Mutant("outage-teaches-rate", "kufertui/maileon/transport.py",
           "return resp.status_code == 429 or (resp.status_code == 503 and _retry_after(resp) is not None)",
           "return resp.status_code in (429, 503)"),
)

_IGNORE = shutil.ignore_patterns(".git", ".venv", ".ci-venv", "__pycache__", "*.pyc", ".pytest_cache",
                                 ".ruff_cache", "bench-results", "screenshots", "*.egg-info")


def apply(tree: Path, mutant: Mutant) -> None:
    target = tree / mutant.path
    text = target.read_text(encoding="utf-8")
    hits = text.count(mutant.old)
    if hits != 1:  # the code moved on: the mutant must be updated, not silently skipped
        raise SystemExit(f"mutant {mutant.name}: expected the text once in {mutant.path}, found it {hits} times")
    target.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")


BASELINE = Mutant("baseline (no mutation)", "", "", "")


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
        if proc.returncode not in (0, 1):  # no tests collected, usage error, internal error: not a verdict
            raise SystemExit(f"mutant {mutant.name}: pytest exited with {proc.returncode}: {last}")
        if proc.returncode == 1 and " failed" not in last:  # errors only: the copy is broken, not the mutant caught
            raise SystemExit(f"mutant {mutant.name}: tests errored without failing: {last}")
        return proc.returncode == 1, time.monotonic() - start, failed[0] if failed else last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--tests", action="append", help="test path to run per mutant (repeatable; default: "
                        + " ".join(DEFAULT_TESTS) + ")")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run of the unmutated tree")
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument (repeatable)")
    args = parser.parse_args(argv)
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:40} {m.path}{'  (must be killed)' if m.must_kill else ''}")
        return 0
    known = {m.name: m for m in MUTANTS}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"unknown mutants: {', '.join(unknown)}")
    chosen = [known[n] for n in args.names] if args.names else list(MUTANTS)
    survivors: list[Mutant] = []
    if not args.no_baseline:  # a kill only means something when the unmutated tree passes
        failed, seconds, last = run_one(BASELINE, args.tests or list(DEFAULT_TESTS), args.pytest_arg)
        print(f"{'FAILED ' if failed else 'passed '} {BASELINE.name:40} {seconds:6.1f}s  {last}", flush=True)
        if failed:
            return 2
    for m in chosen:
        killed, seconds, last = run_one(m, args.tests or list(DEFAULT_TESTS), args.pytest_arg)
        print(f"{'killed ' if killed else 'SURVIVED'} {m.name:40} {seconds:6.1f}s  {last}", flush=True)
        if not killed:
            survivors.append(m)
    print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} mutants killed"
          + (f"; survivors: {', '.join(m.name for m in survivors)}" if survivors else ""))
    return 1 if any(m.must_kill for m in survivors) else 0


if __name__ == "__main__":
    raise SystemExit(main())
