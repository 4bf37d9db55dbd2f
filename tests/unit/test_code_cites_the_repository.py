"""Comments and docstrings cite what a reader can open: files of this repository, not design sections, reference
chapters or issue numbers that live elsewhere; and every file they cite exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "kufertui").rglob("*.py"), *(ROOT / "scripts").glob("*.py")])
ELSEWHERE = re.compile(r"\bissues? \d+|\bDESIGN\b|\breference §|§ ?\d+\.\d+")
CITED = re.compile(r"\b((?:docs|tests|scripts)/[\w./-]+\.(?:py|md)|"
                   r"(?:core|kufer|store|maileon|sync|tui|commands|config|simulator|messages)/[\w./-]*\w\.py)\b")


def test_no_citation_of_what_is_not_in_the_repository() -> None:
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}" for path in SOURCES
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if ELSEWHERE.search(line)]
    assert not found, "cite a file of the repository instead:\n" + "\n".join(found)


def test_every_cited_file_exists() -> None:
    missing = []
    for path in SOURCES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for cited in CITED.findall(line):
                if "*" in cited or "<" in cited:
                    continue
                if not any((base / cited).exists() for base in (ROOT, ROOT / "kufertui")):
                    missing.append(f"{path.relative_to(ROOT)}:{n}: {cited}")
    assert not missing, "cited, but not in the repository:\n" + "\n".join(missing)
