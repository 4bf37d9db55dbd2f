"""scripts/mutants.py finds each mutant by its code, not by file and line: every mutant is found exactly once in
today's package, its replacement parses, and code that moves to another file (with other quotes) is still found."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def mutants() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutants", ROOT / "scripts" / "mutants.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutants"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


MUT = mutants()


@pytest.mark.parametrize("mutant", MUT.MUTANTS, ids=lambda m: m.name)
def test_each_mutant_is_found_once_and_its_change_parses(mutant: object) -> None:
    found = MUT.locate(mutant)
    text = found.path.read_text(encoding="utf-8")
    mutated = text[:found.start] + found.text + text[found.end:]
    assert mutated != text
    ast.parse(mutated)


def test_a_mutant_follows_its_code_to_another_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kufertui", tmp_path / "kufertui", ignore=shutil.ignore_patterns("__pycache__"))
    validation = tmp_path / "kufertui" / "core" / "validation.py"
    line = 'GENDERS = frozenset({"m", "f", "d"})\n'
    assert line in validation.read_text(encoding="utf-8")
    validation.write_text(validation.read_text(encoding="utf-8").replace(line, "from kufertui.core.genders import "
                                                                               "GENDERS\n"), encoding="utf-8")
    (tmp_path / "kufertui" / "core" / "genders.py").write_text("GENDERS = frozenset({'m', 'f',\n 'd'})\n",
                                                               encoding="utf-8")
    (gender,) = [m for m in MUT.MUTANTS if m.name == "validation-gender-w"]
    found = MUT.locate(gender, tmp_path)
    assert found.path.name == "genders.py"
    MUT.apply(tmp_path, gender)
    assert "w" in (tmp_path / "kufertui" / "core" / "genders.py").read_text(encoding="utf-8")


def test_each_known_killer_names_a_mutant_and_a_test_that_exists() -> None:
    """A killer tried first must be a real test of a real mutant: a renamed test would only cost a suite run,
    a misspelt mutant name would never be used."""
    names = {m.name for m in MUT.MUTANTS}
    for mutant, test in MUT.KNOWN_KILLERS.items():
        assert mutant in names
        path, _, function = test.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert f"def {function.split('[')[0]}(" in source, test
