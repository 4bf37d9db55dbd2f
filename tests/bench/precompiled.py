"""The package's bytecode, written before a benchmark starts its measured processes.

An installed kufertui has it (pip compiles on install). A checkout run with PYTHONDONTWRITEBYTECODE=1 (this
sandbox, some CI images) keeps no bytecode of a module changed since it was last compiled: every measured process
would compile those modules again (py-spy: ~1 % of a sync's CPU), a cost no user pays."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_package(root: Path) -> None:
    compileall.compile_dir(root / "kufertui", quiet=1)
