"""The import contracts (pyproject.toml, run by lint-imports) cover the whole package: every module stands in a
layer, and "no Textual" names every module that is no face. A new top-level module fails here until it is placed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FACES = {"kufertui.__main__", "kufertui.cli", "kufertui.commands", "kufertui.tui"}


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]  # type: ignore[no-any-return]


def top_level() -> set[str]:
    package = ROOT / "kufertui"
    return {f"kufertui.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"} | {
        f"kufertui.{p.parent.name}" for p in package.glob("*/__init__.py")}


def test_every_module_stands_in_a_layer() -> None:
    (layers,) = [c for c in contracts() if c["type"] == "layers"]
    named = {name.strip() for layer in layers["layers"] for name in re.split(r"[|:]", layer)}  # type: ignore[attr-defined]
    assert top_level() - named == set(), "in no layer of pyproject.toml"
    assert named - top_level() == set(), "a layer names a module that is gone"


def test_no_textual_names_every_module_that_is_no_face() -> None:
    (no_textual,) = [c for c in contracts() if c.get("forbidden_modules") == ["textual"]]
    assert set(no_textual["source_modules"]) == top_level() - FACES  # type: ignore[arg-type]


def test_the_faces_contracts_name_every_face() -> None:
    faces = [c for c in contracts() if c["type"] == "forbidden" and "kufertui.tui" in c["source_modules"]]  # type: ignore[operator]
    assert len(faces) == 3  # Maileon; the workspace, KUFER files and the simulator; the internals of sync/
    for contract in faces:
        assert set(contract["source_modules"]) == FACES - {"kufertui.__main__"} | {"kufertui.cli_i18n"}  # type: ignore[arg-type]
        assert contract.get("unmatched_ignore_imports_alerting", "error") == "error"
