"""Text keys built at run time (f"nav.{mode}", "import.warn." + warning, …): every such pattern in the package is
listed here with where its values come from, and each value's key exists in German and English. A new pattern
fails the first test until it is listed; a new value without its text fails the second. (A missing key that is
not built fails wherever a test reaches it: tests/conftest.py makes `t` strict.)"""

from __future__ import annotations

import ast
import bisect
import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from kufertui import i18n

PACKAGE = Path(i18n.__file__).parent
LOOKUPS = {"t", "plain_t", "i18n.t"}  # the calls that look a key up


def _pattern(node: ast.AST) -> str | None:
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _pattern(node.left), _pattern(node.right)
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


@functools.cache
def _trees() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))
            if "messages" not in path.relative_to(PACKAGE).parts]


def built_keys() -> dict[str, list[str]]:
    """Every key pattern the package builds: the first argument of a lookup, a binding's description, and any
    string built with a prefix that some catalogue key has (a key made first and looked up later)."""
    keys = sorted(i18n.catalogues()["en"])

    def is_prefix(head: str) -> bool:
        at = bisect.bisect_left(keys, head)
        return at < len(keys) and keys[at].startswith(head)

    found: dict[str, list[str]] = {}
    for path, tree in _trees():
        nested = {id(c) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr | ast.BinOp)
                  for c in ast.iter_child_nodes(n)}
        for node in ast.walk(tree):
            candidates: list[ast.AST] = []
            if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in LOOKUPS:
                candidates.append(node.args[0])
            elif isinstance(node, ast.JoinedStr | ast.BinOp) and id(node) not in nested:
                head = (_pattern(node) or "").split("{}")[0]
                if len(head) >= 3 and is_prefix(head):
                    candidates.append(node)
            for arg in candidates:
                pattern = _pattern(arg)
                if isinstance(arg, ast.JoinedStr | ast.BinOp) and pattern and "{}" in pattern:
                    found.setdefault(pattern, []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def literals(callee: str, arg: int | str) -> list[str]:
    """The string constants the package passes as argument ``arg`` (position or keyword) to calls of ``callee``
    (a function, or a method by its name)."""
    out = []
    for _path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name != callee and not name.endswith("." + callee):
                continue
            value = (node.args[arg] if isinstance(arg, int) and len(node.args) > arg
                     else next((k.value for k in node.keywords if k.arg == arg), None))
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append(value.value)
    assert out, f"no call of {callee} passes a literal as {arg!r}: update the source of these values"
    return sorted(set(out))


def strings_returned(function: str) -> list[str]:
    """The string constants a function of the package puts in the lists it returns."""
    out = []
    for _path, tree in _trees():
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name == function:
                for node in ast.walk(fn):
                    if isinstance(node, ast.List):
                        out += [e.value for e in node.elts if isinstance(e, ast.Constant)]
                    if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".append"):
                        out += [a.value for a in node.args if isinstance(a, ast.Constant)]
    assert out, function
    return out


def one(values: Iterable[str]) -> list[tuple[str, ...]]:
    return [(v,) for v in values]


def _modes() -> list[tuple[str, ...]]:
    from kufertui.tui.screens.registry import SCREENS

    return one(e.mode for e in SCREENS)


def _settings_types() -> list[str]:
    from kufertui.config import Settings

    settings = Settings()
    sections = [getattr(settings, f.name) for f in fields(settings) if is_dataclass(getattr(settings, f.name))]
    # a secret is read as text (config/files.py)
    return [type(getattr(s, f.name)).__name__ for s in sections for f in fields(s)
            if type(getattr(s, f.name)).__name__ != "Secret"]


def _commands() -> list[str]:
    """The text key of each subcommand: cli.py's _command(sub, name, common, key) uses the key, else the name."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "_command"]
    assert calls
    return [ast.literal_eval(c.args[3] if len(c.args) > 3 else c.args[1]) for c in calls]


def _settings_form() -> dict[str, list[tuple[str, ...]]]:
    from kufertui.tui.screens import settings as form

    selects = [spec for spec in form.FORM if spec.kind == "select"]
    return {
        "settings.{}": one(spec.key for spec in form.FORM),
        "settings.section.{}": one(form.SECTIONS.values()),
        "settings.option.{}.{}": [(form.OPTION_TEXTS[spec.key], option) for spec in selects
                                  if spec.key in form.OPTION_TEXTS for option in spec.options],
    }


def values() -> dict[str, Callable[[], list[tuple[str, ...]]]]:
    from kufertui.cli_i18n import ARGPARSE_PLURALS
    from kufertui.config import PERMISSIONS
    from kufertui.core.fields import KUFER_FIELDS
    from kufertui.core.report import BREAKDOWN_GROUPS
    from kufertui.messages.hints import HINTS
    from kufertui.sync.demo_setup import DemoStarter
    from kufertui.sync.events import PHASES
    from kufertui.sync.probe.steps import STEPS, Verdict
    from kufertui.tui.keys import _NAMED
    from kufertui.tui.widgets.dryrun_pane import CATEGORIES

    phases = sorted({*literals("PhaseStarted", 0), *PHASES})
    return {
        "nav.{}": _modes, "key.{}": _modes,
        "keyname.{}": lambda: one(_NAMED),
        "app.read-only.{}": lambda: one(literals("refused_read_only", 0)),
        "cli.help.cmd.{}": lambda: one(_commands()),
        "cli.serve-page.{}": lambda: one(strings_returned_tuple("page_texts")),
        "{}#one": lambda: one(ARGPARSE_PLURALS.values()),
        "config.type.{}": lambda: one({*literals("ConfigError", "expected"), *_settings_types()}),
        "demo.phase.{}": lambda: one(DemoStarter.PHASES),
        "dry.{}": lambda: one(CATEGORIES),
        "fieldtype.{}": lambda: one({"string", *(f.custom_type for f in KUFER_FIELDS)}),
        "hints.{}.{}": lambda: list(itertools.product([h.id for h in HINTS], ("title", "cause", "fix"))),
        "import.fail.{}": lambda: one(literals("ImportFailure", 0)),
        "import.reason.{}": lambda: one(literals("RowError", 1)),
        "import.flag.{}": lambda: one(literals("flags.append", 0)),
        "import.warn.{}": lambda: one([*strings_returned("source_warnings"), *strings_returned("presence_warnings")]),
        "phase.{}": lambda: one(phases), "upload.phase.{}": lambda: one(phases),
        "platform.shared-folder.{}": lambda: one(literals("SharedFolder", 1)),
        "probe.step.{}": lambda: one(s.id for s in STEPS),
        "probe.verdict.{}": lambda: one(v.value for v in Verdict),
        "report.group.{}": lambda: one(group for group, _names in BREAKDOWN_GROUPS),
        "report.{}": lambda: one(name for _group, names in BREAKDOWN_GROUPS for name in names),
        "results.code.{}": lambda: one(("preflight", "maileon")),  # i18n.cause_detail's two sources
        "run.kind.{}": lambda: one({*literals("start_run", 0), "sync", "dry-run", "leavers"}),
        "run.state.{}": lambda: one({"running", *literals("finish_run", 1), *literals("set_state", 1)}),
        "segment.part.{}": lambda: one(strings_in_tuples("_remove_locked", "sync/segments.py")),
        "settings.option.permission.{}": lambda: one(PERMISSIONS),
        "upload.cancel-question{}": lambda: one(("", "-demo")),
        **{pattern: (lambda p=pattern: _settings_form()[p]) for pattern in
           ("settings.{}", "settings.section.{}", "settings.option.{}.{}")},
    }


# Patterns whose values come from outside the package's code (a server, a file, the journal) and that are
# looked up with i18n.has first, so that an unknown value shows as it is: where their texts are checked instead.
ASKED_FIRST = {
    "cause.{}": "i18n.cause_label: a reject cause from Maileon or the journal; the known ones are hint ids",
    "code.{}": "i18n.cause_label: Maileon's invalid-contact codes; tests/unit/test_message_catalogue.py",
    "field.{}": "i18n.field_label: messages/fields.py is built from core/fields.py",
    "outcome.{}": "i18n.outcome_label: outcomes read from the journal of older versions too",
    "results.label.{}": "tui/screens/results.py breakdown_label: else the report's own label (report.{})",
    "probe.seen.{}": "the generic cases: tests/unit/test_probe_steps.py",
    "probe.seen.{}.{}": "step × case: tests/unit/test_probe_steps.py and the probe's runs in strict mode",
    "unknown.{}": "sync/marks.py report_observed: what the client met; messages/maileon_marks.py, test_doctor_probe",
}


def strings_returned_tuple(function: str) -> list[str]:
    """The strings of the tuple a function of the package iterates (``for name in ("a", "b")``)."""
    for _path, tree in _trees():
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name == function:
                return [e.value for n in ast.walk(fn)
                        if isinstance(n, ast.comprehension) and isinstance(n.iter, ast.Tuple)
                        for e in n.iter.elts if isinstance(e, ast.Constant)]
    raise AssertionError(function)


def strings_in_tuples(function: str, module: str) -> list[str]:
    """The first strings of the tuples a function of the package builds (``("field", call)``)."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    return [n.elts[0].value for fn in ast.walk(tree) if isinstance(fn, ast.AsyncFunctionDef | ast.FunctionDef)
            and fn.name == function for n in ast.walk(fn) if isinstance(n, ast.Tuple) and n.elts
            and isinstance(n.elts[0], ast.Constant) and isinstance(n.elts[0].value, str)]


def test_every_built_key_pattern_is_listed_with_its_values() -> None:
    found = built_keys()
    unlisted = {p: where for p, where in found.items() if p not in values() and p not in ASKED_FIRST}
    assert not unlisted, ("text keys built at run time that this test does not know: add each to values() with "
                          f"the source of its values, or to ASKED_FIRST with its reason: {unlisted}")
    gone = sorted(set(values()) - set(found))
    assert not gone, f"listed here, no longer built by the package: {gone}"


@pytest.mark.parametrize("pattern", sorted(values()))
def test_each_value_of_a_built_key_has_its_text_in_both_languages(pattern: str) -> None:
    catalogues = i18n.catalogues()
    wanted = [pattern.format(*parts) for parts in values()[pattern]()]
    assert wanted
    for lang in i18n.LANGUAGES:
        missing = [key for key in wanted if key not in catalogues[lang]]
        assert not missing, f"{lang}: {missing}"
