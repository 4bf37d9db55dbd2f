"""Demo data: deterministic, realistic, with the defects of real KUFER exports."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from kufertui.core.contact import Status
from kufertui.demo_data import DEMO_HEADERS, FACHBEREICHE, generate_contacts, write_demo_csv, write_demo_xml
from kufertui.kufer import open_source


def test_deterministic_by_seed() -> None:
    assert generate_contacts(300, 5) == generate_contacts(300, 5)
    assert generate_contacts(300, 5) != generate_contacts(300, 6)
    assert generate_contacts(50, 5) == generate_contacts(300, 5)[:50]


def test_mix_and_defects() -> None:
    rows = generate_contacts(5000, 1)
    assert all(tuple(r) == DEMO_HEADERS for r in rows)
    status = Counter(r["Newsletter"] for r in rows)
    for value, share in (("J", 0.45), ("K", 0.35), ("", 0.12), ("N", 0.08)):
        assert abs(status[value] / len(rows) - share) < 0.03, (value, status)
    assert 0.03 < sum(r["Dozent"] == "J" for r in rows) / len(rows) < 0.07
    genders = Counter(r["Geschlecht"] for r in rows)
    assert {"M", "W", "D", "F", "Frau", "x"} <= set(genders)
    emails = [r["E-Mail"] for r in rows]
    assert any(e and "@" not in e for e in emails)
    assert any(" @" in e for e in emails) and any(".." in e for e in emails)
    assert any(any(ch in e.split("@")[0] for ch in "äöüß") for e in emails if "@" in e)
    lowered = Counter(e.lower() for e in emails if e)
    assert any(n > 1 for n in lowered.values())  # duplicates differing only in case
    assert len(set(r["TNR"] for r in rows)) == len(rows)
    text = " ".join(r["Vorname"] + " " + r["Name"] for r in rows)
    for name in ("Jörg", "Müller", "Weiß", "Özdemir"):
        assert name in text
    assert {fb for r in rows for fb in r["Fachbereich"].split(",")} == set(FACHBEREICHE)
    births = [r["Geburtsdatum"] for r in rows if r["Geburtsdatum"]]
    assert any(b in ("31.02.1985", "00.00.0000", "1985", "12.13.1970", "31.04.1999") for b in births)


def test_csv_is_kufer_style_and_imports(tmp_path: Path) -> None:
    path = write_demo_csv(tmp_path / "demo.csv", 2000, seed=3)
    raw = path.read_bytes()
    assert raw.startswith(";".join(DEMO_HEADERS).encode("cp1252") + b"\r\n")
    raw.decode("cp1252")
    with open_source(path) as source:
        contacts = list(source)
    assert source.encoding == "cp1252" and source.unmapped == []
    assert source.rows_read == 2000 == len(contacts) + len(source.errors)
    assert {e.reason for e in source.errors} == {"missing-email"}
    assert {c.status for c in contacts} == set(Status)
    assert any(c.last_name == "Müller" for c in contacts)


def test_xml_styles_import(tmp_path: Path) -> None:
    for style, fmt in (("registration", "xml-registration"), ("flat", "xml-flat")):
        path = write_demo_xml(tmp_path / f"{style}.xml", 500, seed=3, style=style)
        with open_source(path) as source:
            contacts = list(source)
        assert source.format == fmt and source.rows_read == 500
        assert len(contacts) + len(source.errors) == 500
        assert any(c.last_name == "Müller" for c in contacts)


def test_fast_enough() -> None:
    start = time.perf_counter()
    generate_contacts(20_000, 1)
    assert time.perf_counter() - start < 2.0
