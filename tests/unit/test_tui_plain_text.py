"""Issue 24.1, the static half: no text that may carry a value reaches a markup-parsing call in tui/.

Textual parses a ``str`` given to Static, Label, Button, Option, Select, SelectionList, a DataTable cell,
``Widget.update``, ``label =``/``tooltip =``/``title =`` and the command palette as markup: an e-mail
``[/]`` killed the TUI, ``[@click=app.screenshot(…)]`` ran an app action. This test walks the syntax tree
of every module in kufertui/tui/ and fails on such a call whose text is not provably safe.

Safe is: a string literal (our own); ``t("literal.key")`` with no parameters (a bare catalogue text, which
has no markup: checked below); a ``Text``/``Content`` (built with ``plain``/``plain_t`` of tui/plain.py, or
by a function of tui/ annotated to return Text or Content); a local name all of whose assignments are safe;
both arms of a conditional. Anything else (an f-string with a value, ``t(key, name=…)``, a concatenation, an
attribute, a loop variable) is reported with file and line. Toasts are not checked here: ``KuferApp.notify``
makes every one plain (tests/tui/test_hostile_markup.py shows it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import kufertui.tui
from kufertui import i18n

TUI = Path(kufertui.tui.__file__).parent

# widgets whose first argument (or these keywords) is parsed as markup when it is a str
SINK_CLASSES = frozenset({"Static", "Label", "Button", "Markdown", "MarkdownViewer", "Option", "Checkbox",
                          "TickBox", "RadioButton", "Selection", "Link", "Tab", "Toast"})
SINK_KEYWORDS = frozenset({"content", "label", "markdown", "prompt", "tooltip", "renderable", "title"})
# widgets whose options are (prompt, value) pairs, each prompt parsed as markup
OPTION_CLASSES = frozenset({"Select", "SelectionList", "OptionList"})
SINK_ATTRIBUTES = frozenset({"label", "tooltip", "title", "sub_title", "border_title", "border_subtitle",
                             "prompt", "placeholder_markup"})
# Text/Content builders (never parse markup) and the safe text helpers of tui/plain.py
SAFE_CALLS = frozenset({"plain", "plain_t", "Text", "Content", "assemble", "styled", "center", "markup_escape"})

# Calls that receive a str on purpose, each with its reason. Keep it short: a new entry needs a reason a
# reviewer accepts (the text holds only our own catalogue texts, any value in it escaped for its syntax).
ALLOWED: dict[tuple[str, str], str] = {
    ("modals/hint.py", "Markdown(self.markdown())"):
        "the hint's title, cause and fix from the catalogue (our Markdown); the only value in it, the "
        "Maileon host of the settings, goes through markdown_escape; the examples and error texts of a "
        "hint are shown below it in a plain Static, outside the Markdown (a title given instead of the "
        "hint's own goes through markdown_escape too)",
}


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"tui/{self.path}:{self.line}: {self.call}"


def _returns_text(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if fn.returns is None:
        return False
    names = {n.id for n in ast.walk(fn.returns) if isinstance(n, ast.Name)}
    names |= {n.value for n in ast.walk(fn.returns) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return bool(names) and names <= {"Text", "Content", "None"} and bool(names - {"None"})


class Module:
    """One module of tui/: which of its functions return Text/Content, and what it imports from tui/."""

    def __init__(self, path: Path, tree: ast.Module) -> None:
        self.path = path
        self.tree = tree
        self.defs: dict[str, list[bool]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.defs.setdefault(node.name, []).append(_returns_text(node))
        self.imports: dict[str, str] = {}  # name → module path relative to tui/
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kufertui.tui."):
                rel = node.module.removeprefix("kufertui.tui.").replace(".", "/") + ".py"  # type: ignore[union-attr]
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = rel


class Checker:
    def __init__(self, modules: dict[str, Module], allowed: dict[tuple[str, str], str] = ALLOWED) -> None:
        self.modules = modules
        self.allowed = allowed
        self.findings: list[Finding] = []
        self.bare_keys: set[str] = set()  # catalogue keys handed to a widget as a str

    # --- what is safe -----------------------------------------------------------------------------
    def returns_text(self, module: Module, name: str) -> bool:
        if name in SAFE_CALLS:
            return True
        if name in module.defs:
            return all(module.defs[name])
        origin = self.modules.get(module.imports.get(name, ""))
        return origin is not None and all(origin.defs.get(name, [False]))

    def safe(self, node: ast.expr, module: Module, scope: ast.AST | None) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str | int | float) or node.value is None
        if isinstance(node, ast.IfExp):
            return self.safe(node.body, module, scope) and self.safe(node.orelse, module, scope)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(v, module, scope) for v in node.values)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "t":  # a bare catalogue text: a literal key, no values put in
                bare = (bool(node.args) and isinstance(node.args[0], ast.Constant) and not node.keywords
                        and len(node.args) <= 2)
                if bare:
                    self.bare_keys.add(str(node.args[0].value))  # type: ignore[attr-defined]
                return bare
            if name == "from_markup":  # Content.from_markup("[b]$x[/b]", x=value): the template must be ours
                return bool(node.args) and isinstance(node.args[0], ast.Constant)
            if name == "join" and isinstance(func, ast.Attribute):  # Text("\n").join(…), never "\n".join(…)
                receiver = func.value
                return (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name)
                        and receiver.func.id in ("Text", "Content"))
            return name in SINK_CLASSES or self.returns_text(module, name)  # Option(…) is checked on its own
        if isinstance(node, ast.Name):
            return self.safe_name(node.id, module, scope)
        return False

    def safe_name(self, name: str, module: Module, scope: ast.AST | None) -> bool:
        if scope is None:
            return False
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in (*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs):
                if arg.arg == name:
                    return arg.annotation is not None and _returns_text(
                        ast.FunctionDef(name="_", args=scope.args, body=[], decorator_list=[],
                                        returns=arg.annotation, type_params=[]))
        values: list[ast.expr] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                values.append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                if node.value is not None:
                    values.append(node.value)
            elif isinstance(node, ast.For | ast.comprehension | ast.withitem | ast.AugAssign | ast.NamedExpr):
                target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
                if target is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                    return False
        return bool(values) and all(self.safe(v, module, None if v is scope else scope) for v in values)

    # --- option lists and table rows ---------------------------------------------------------------
    def rows(self, node: ast.expr, module: Module, scope: ast.AST | None, *, whole_row: bool) -> list[ast.expr]:
        """The texts of a list of options (first of each pair) or of table rows (every cell) that are unsafe."""
        if isinstance(node, ast.Starred):
            return self.rows(node.value, module, scope, whole_row=whole_row)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return [bad for elt in node.elts for bad in (
                self.rows(elt, module, scope, whole_row=whole_row) if isinstance(elt, ast.Starred)
                else self.row(elt, module, scope, whole_row=whole_row))]
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self.row(node.elt, module, scope, whole_row=whole_row)
        if isinstance(node, ast.Name) and scope is not None:
            bad: list[ast.expr] = []
            for n in ast.walk(scope):
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets):
                    bad += self.rows(n.value, module, scope, whole_row=whole_row)
            return bad
        return [node]

    def row(self, node: ast.expr, module: Module, scope: ast.AST | None, *, whole_row: bool) -> list[ast.expr]:
        if isinstance(node, ast.Tuple | ast.List):
            cells = node.elts if whole_row else node.elts[:1]
            return [cell for cell in cells if not self.safe(cell, module, scope)]
        return [] if self.safe(node, module, scope) else [node]

    # --- the sinks -----------------------------------------------------------------------------------
    def report(self, module: Module, node: ast.AST, call: str) -> None:
        rel = module.path.relative_to(TUI).as_posix()
        if (rel, call) not in self.allowed:
            self.findings.append(Finding(rel, getattr(node, "lineno", 0), call))

    def check_call(self, node: ast.Call, module: Module, scope: ast.AST | None) -> None:
        func = node.func.value if isinstance(node.func, ast.Subscript) else node.func  # SelectionList[str](…)
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in SINK_CLASSES:
            if any(k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
                   for k in node.keywords):
                return
            texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg in SINK_KEYWORDS)]
            for text in texts:
                if not self.safe(text, module, scope):
                    self.report(module, node, f"{name}({ast.unparse(text)})")
        elif name in OPTION_CLASSES:
            for arg in node.args[:1] if name == "Select" else node.args:
                for bad in self.rows(arg, module, scope, whole_row=False):
                    self.report(module, node, f"{name}(option {ast.unparse(bad)})")
            for k in node.keywords:
                if k.arg == "prompt" and not self.safe(k.value, module, scope):
                    self.report(module, node, f"{name}(prompt={ast.unparse(k.value)})")
        elif name == "SystemCommand":  # the palette parses title and help as markup
            for text in node.args[:2]:
                if not self.safe(text, module, scope):
                    self.report(module, node, f"SystemCommand({ast.unparse(text)})")
        elif isinstance(func, ast.Attribute):
            self.check_method(node, func, module, scope)

    def check_method(self, node: ast.Call, func: ast.Attribute, module: Module, scope: ast.AST | None) -> None:
        name = func.attr
        texts: list[ast.expr] = []
        if name == "update" and len(node.args) == 1 and not node.keywords:
            if not self.is_dict(func.value, scope):
                texts = node.args[:1]
        elif name in ("add_column", "add_option"):
            texts = node.args[:1]
        elif name in ("add_columns", "add_row"):
            texts = list(node.args)
        elif name in ("replace_option_prompt_at_index", "replace_option_prompt"):
            texts = node.args[1:2]
        elif name in ("add_rows", "set_options", "add_options"):
            for bad in self.rows(node.args[0], module, scope, whole_row=name == "add_rows") if node.args else []:
                self.report(module, node, f".{name}({ast.unparse(bad)})")
        elif name == "from_markup" and node.args and not isinstance(node.args[0], ast.Constant):
            self.report(module, node, f".from_markup({ast.unparse(node.args[0])})")
        for text in texts:
            if not self.safe(text, module, scope):
                self.report(module, node, f".{name}({ast.unparse(text)})")

    def is_dict(self, receiver: ast.expr, scope: ast.AST | None) -> bool:
        """``found.update(other)`` on a dict built in the same function is no widget."""
        if not isinstance(receiver, ast.Name) or scope is None:
            return False
        for n in ast.walk(scope):
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == receiver.id for t in n.targets):
                v = n.value
                if isinstance(v, ast.Dict | ast.DictComp) or (
                        isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "dict"):
                    return True
        return False

    def check_assign(self, node: ast.Assign, module: Module, scope: ast.AST | None) -> None:
        for target in node.targets:
            if (isinstance(target, ast.Attribute) and target.attr in SINK_ATTRIBUTES
                    and not self.safe(node.value, module, scope)):
                self.report(module, node, f".{target.attr} = {ast.unparse(node.value)}")

    def run(self, module: Module) -> None:
        def visit(node: ast.AST, scope: ast.AST | None) -> None:
            for child in ast.iter_child_nodes(node):
                inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
                if isinstance(child, ast.Call):
                    self.check_call(child, module, inner)
                elif isinstance(child, ast.Assign) and not isinstance(node, ast.ClassDef):
                    self.check_assign(child, module, inner)
                visit(child, inner)

        visit(module.tree, None)


def checked(sources: dict[str, str], allowed: dict[tuple[str, str], str] = ALLOWED) -> Checker:
    """The checker after a walk over modules given as {path relative to tui/: source}."""
    modules = {rel: Module(TUI / rel, ast.parse(src)) for rel, src in sources.items()}
    checker = Checker(modules, allowed)
    for module in modules.values():
        checker.run(module)
    return checker


def check_sources(sources: dict[str, str]) -> list[Finding]:
    return checked(sources).findings


def tui_sources() -> dict[str, str]:
    return {p.relative_to(TUI).as_posix(): p.read_text(encoding="utf-8") for p in sorted(TUI.rglob("*.py"))}


def test_no_value_reaches_a_markup_parsing_call_in_the_tui() -> None:
    findings = check_sources(tui_sources())
    assert not findings, "text parsed as markup; use plain()/plain_t() of tui/plain.py:\n" + "\n".join(
        map(str, findings))


def test_every_allowed_call_still_exists() -> None:
    """An allowlist entry whose call is gone would hide the next one written there."""
    found = {(f.path, f.call) for f in checked(tui_sources(), allowed={}).findings}
    for entry, reason in ALLOWED.items():
        assert reason and entry in found, entry


@pytest.mark.parametrize("source", [
    'Static(f"Examples: {emails}")',
    "label.update(t('results.reject-detail', examples=examples))",
    "self.query_one('#x', Static).update(value)",
    "table.add_row(cause_label(code), Text('1'))",
    "select.set_options([(d, d) for d in departments])",
    "SelectionList(*[(s['name'], s['name']) for s in segments])",
    "Button(name)",
    "button.label = f'{key} {label}'",
    "Static(t(f'run.state.{state}'))",
    "Static('a' + name)",
    "Static('\\n'.join(lines))",
    "Select([('-', 1), *((f, f) for f in fields)])",
    "Markdown(text)",
    "Checkbox(self.label_text)",
    "def f():\n    for name in names:\n        Static(name)",
    "def f(x: str):\n    y = x\n    Label(y)",
    "Content.from_markup(template)",
    "SystemCommand(title, app.get_key_display(b), cb)",
    "SelectionList[str](*rows)\nrows = [(_row(s), s) for s in segments]\ndef _row(s) -> str:\n    return s",
])
def test_the_check_finds_a_value_given_as_markup(source: str) -> None:
    assert check_sources({"probe.py": source}), source


@pytest.mark.parametrize("source", [
    'Static("", id="x")',
    "Static(t('results.rejects'), classes='box-title')",
    "Static(plain(value))",
    "label.update(plain_t('results.reject-detail', examples=examples))",
    "table.add_row(plain(cause_label(code)), Text('1'))",
    "select.set_options([(plain(d), d) for d in departments])",
    "def f(x: Text):\n    Static(x)",
    "def f():\n    x = plain(a) if a else t('k')\n    Static(x)",
    "def g() -> Text:\n    return plain('x')\nStatic(g())",
    "def f():\n    found = dict(problems)\n    found.update(other)",
    "Label(label, markup=False)",
    "Content.from_markup('[b]$name[/b]', name=value)",
    "Static(Text('\\n').join(lines))",
    "Select([('-', 1), *((plain(f), f) for f in fields)])",
])
def test_the_check_leaves_safe_calls_alone(source: str) -> None:
    assert not check_sources({"probe.py": source}), source


def test_catalogue_texts_handed_over_bare_have_no_markup() -> None:
    """A bare catalogue text (``Static(t("key"))``) goes to its widget as a str: so none of those may hold
    what Textual reads as markup (a ``[proxy]`` would vanish). Texts with values go through plain_t."""
    from textual.content import Content

    keys = checked(tui_sources()).bare_keys
    assert len(keys) > 20  # the walk found them
    for lang, table in i18n.catalogues().items():
        for key in sorted(keys):
            text = table.get(key, key)
            try:
                shown = Content.from_markup(text).plain
            except Exception as exc:  # a MarkupError is as bad as a vanished word
                shown = f"<{type(exc).__name__}>"
            assert shown == text, (lang, key, text)
