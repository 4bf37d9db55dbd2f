"""The probe's steps and docs/maileon-assumptions.md name each other (every row has a step, every step a row); the
domain of its addresses must be one somebody owns; a record in the workspace decides what is deleted in Maileon,
so one naming anything but the probe's own is not trusted; and anonymised report entries are recognised in every
shape, a placeholder without its flag included."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from kufertui import i18n
from kufertui.core.probe_ids import is_probe_id
from kufertui.maileon.probe_client import EntryShape, parse_entry_shapes
from kufertui.sync.probe import STEPS, Names, probe_domain_problem
from kufertui.sync.probe.record import ProbeRecord, pending_records, save_record
from kufertui.sync.probe.report import entry_shapes
from kufertui.sync.probe.steps import GENERIC_CASES

DOC = Path(__file__).resolve().parents[2] / "docs" / "maileon-assumptions.md"


def table_rows() -> dict[str, str]:
    """Row id → the text of its last column ("probe step")."""
    rows: dict[str, str] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| ([A-Z]?\d+) \|", line)
        if match:
            cells = re.split(r"(?<!\\)\|", line)
            rows[match.group(1)] = cells[-2].strip()
    return rows


def test_every_row_of_the_assumptions_has_a_probe_step_and_every_step_a_row() -> None:
    rows = table_rows()
    named = {}
    for row, cell in rows.items():
        match = re.match(r"^probe: ([a-z0-9-]+)", cell)
        assert match, f"row {row} names no probe step: {cell!r}"
        named[row] = match.group(1)
    assert named == {s.row: s.id for s in STEPS}
    assert [s.row for s in STEPS] == list(rows)  # the probe's table in the document's order


def test_every_step_has_its_texts_in_both_languages() -> None:
    catalogue = i18n.catalogues()
    for lang in ("de", "en"):
        for step in STEPS:
            assert f"probe.step.{step.id}" in catalogue[lang]
            assert any(k.startswith(f"probe.seen.{step.id}.") for k in catalogue[lang])
        for case in GENERIC_CASES:
            assert f"probe.seen.{case}" in catalogue[lang]


@pytest.mark.parametrize(("domain", "problem"), [
    (None, "probe.domain-missing"), ("", "probe.domain-missing"), ("  ", "probe.domain-missing"),
    ("example.org", "probe.domain-reserved"), ("probe.example.com", "probe.domain-reserved"),
    ("vhs.test", "probe.domain-reserved"), ("x.invalid", "probe.domain-reserved"),
    ("localhost", "probe.domain-invalid"),
    ("vhs musterstadt.de", "probe.domain-invalid"), ("a@vhs.de", "probe.domain-invalid"),
    ("10.0.0.1", "probe.domain-invalid"), ("-vhs.de", "probe.domain-invalid"),
    ("vhs-musterstadt.de", None), ("probe.vhs-musterstadt.de", None), ("VHS-Müllheim.de", None),
])
def test_the_domain_must_be_one_somebody_owns(domain: str | None, problem: str | None) -> None:
    assert probe_domain_problem(domain) == problem


def test_the_probes_external_ids_are_no_kufer_number() -> None:
    names = Names("0a1b2c3d", "vhs-musterstadt.de")
    assert all(is_probe_id(e) for e in names.all_eids()) and not is_probe_id("100978") and not is_probe_id(None)
    assert all(e.endswith("@vhs-musterstadt.de") and e.startswith("kufertui-probe-0a1b2c3d-")
               for e in names.all_emails())


def test_a_record_naming_anything_but_the_probes_own_is_not_trusted(tmp_path: Path) -> None:
    names = Names("0a1b2c3d", "vhs-musterstadt.de")
    record = ProbeRecord.planned(names, "https://api.maileon.com/1.0", "2025-01-01 10:00:00")
    path = save_record(tmp_path, record)
    assert path.stat().st_mode & 0o777 == 0o600
    assert [r.token for r in pending_records(tmp_path)] == ["0a1b2c3d"]
    data = asdict(record)
    for tampered in ({"emails": [*data["emails"], "chef@vhs-musterstadt.de"]},
                     {"external_ids": ["100978"]}, {"custom_field": "ImportAPI"}, {"name_prefix": "kufertui"},
                     {"token": "../../x"}, {"filter_ids": ["1"]}):
        path.write_text(json.dumps({**data, **tampered}), encoding="utf-8")
        assert pending_records(tmp_path) == [], tampered
    path.write_text("not json", encoding="utf-8")
    assert pending_records(tmp_path) == []


def entry(email: str | None, shape: str, flagged: bool, contact: str = "1") -> EntryShape:
    return EntryShape(contact, "100978", flagged, shape, email)


def test_anonymised_entries_are_recognised_in_every_shape() -> None:
    xml = (b"<unsubscriptions>"
           b"<unsubscription><contact anonymous='true'><id>1</id><external_id>7</external_id></contact>"
           b"</unsubscription>"
           b"<unsubscription><contact><id>2</id><email nil='true'/></contact></unsubscription>"
           b"<unsubscription><contact><id>3</id><email></email></contact></unsubscription>"
           b"<unsubscription><contact><id>4</id><email>anonymous@anonymous.invalid</email></contact></unsubscription>"
           b"<unsubscription><contact><id>5</id><email>anna@vhs.de</email></contact></unsubscription>"
           b"</unsubscriptions>")
    shapes = parse_entry_shapes(xml)
    assert [(e.flagged, e.email_shape) for e in shapes] == [
        (True, "missing"), (False, "nil"), (False, "empty"), (False, "address"), (False, "address")]
    looking, unflagged, counted = entry_shapes(shapes)
    assert (looking, unflagged) == (4, 3)  # a real address is no anonymised entry
    assert counted == {"missing": 1, "nil": 1, "empty": 1, "placeholder": 1}
    # one address on entries of three different contacts is a placeholder, whatever it looks like
    shared = [entry("x@vhs.de", "address", False, str(i)) for i in range(3)]
    assert entry_shapes(shared)[:2] == (3, 3)
    assert entry_shapes([entry("x@vhs.de", "address", False, "1"), entry("x@vhs.de", "address", False, "2")]) \
        == (0, 0, {})
