"""Print the fault matrix (fault × step → what happened) and keep it in bench-results/fault-matrix.txt.

A report, not a test: tests/reliability/test_fault_matrix.py asserts every cell against its table;
this script runs the same cells in one process and shows what it observed, marking cells that differ
from the table. ``python scripts/fault_matrix.py``
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reliability")]

from rel_helpers import snapshot  # noqa: E402
from test_fault_matrix import DONE, EXPECTED, STEPS, clean_state, expected, run_cell  # noqa: E402


def describe(kind: str, step: str, mode: str, root: Path, clean: dict[str, object]) -> str:
    cell = run_cell(kind, step, mode, root)
    seen = cell.outcome()
    if seen == DONE:
        text = "completed"
    else:
        text = f"exit {cell.first.exit_code} [{seen}]"
        second = cell.second
        text += " → resumed" if second is not None and second.exit_code == 0 else " → resume FAILED"
    text += ", state ok" if snapshot(cell.state) == clean else ", STATE DIFFERS"
    return text if seen == expected(kind, step, mode) else f"{text} (table: {expected(kind, step, mode)})"


def main() -> int:
    steps = list(STEPS)
    rows: list[tuple[str, list[str]]] = []
    with tempfile.TemporaryDirectory(prefix="fault-matrix-") as tmp:
        clean = clean_state(Path(tmp) / "clean")
        for n, (kind, mode) in enumerate(EXPECTED):
            cells = [describe(kind, step, mode, Path(tmp) / f"{n}-{i}", clean) for i, step in enumerate(steps)]
            rows.append((f"{kind} {mode}", cells))
            print(f"{kind} {mode}: {' | '.join(cells)}", file=sys.stderr, flush=True)
    width = max(len(c) for _, cells in rows for c in cells) + 2
    lines = ["fault matrix (rows: fault/mode, columns: step; 'exit N [hint] → resumed' = stopped, then resumed;",
             "'state ok' = the simulator ends as after a clean run)", "",
             f"{'fault':<18}" + "".join(f"{s:<{width}}" for s in steps)]
    lines += [f"{name:<18}" + "".join(f"{c:<{width}}" for c in cells) for name, cells in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench-results" / "fault-matrix.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 1 if "(table:" in text or "DIFFERS" in text or "FAILED" in text else 0


if __name__ == "__main__":
    raise SystemExit(main())
