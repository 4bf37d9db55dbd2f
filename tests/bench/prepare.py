"""What the benchmarks do before they measure: the package's bytecode written, and how fast this machine is now.

Bytecode: an installed kufertui has it (pip compiles on install). A checkout run with PYTHONDONTWRITEBYTECODE=1
(this sandbox, some CI images) keeps no bytecode of a module changed since it was last compiled: every measured
process would compile those modules again (py-spy: ~1 % of a sync's CPU), a cost no user pays.

Speed: the 2-core VM this runs on was a quarter slower at one hour than at another of the same session (the same
commit's sync measured 2.57 s and 3.24 s of CPU). ``machine_seconds`` times a fixed piece of pure Python in a
process of its own, so that a report says how fast the machine was when its figures were taken."""

from __future__ import annotations

import compileall
import subprocess
import sys
from pathlib import Path

_FIXED_WORK = ("import time\nt = time.process_time()\ntotal = 0\nfor i in range(10_000_000):\n    total += i\n"
               "print(time.process_time() - t)")


def compile_package(root: Path) -> None:
    compileall.compile_dir(root / "kufertui", quiet=1)


def machine_seconds(runs: int = 3) -> float:
    """CPU seconds of 10 million additions in pure Python (the fastest of ``runs`` processes): about 0.6 s on this
    VM at its quickest. Compare figures only where this is alike."""
    return round(min(float(subprocess.run([sys.executable, "-c", _FIXED_WORK], capture_output=True, text=True,
                                          check=True).stdout) for _ in range(runs)), 3)
