"""CSV exports (issue 7.8): write-back and reject/dry-run exports neutralise formula prefixes
(=, +, -, @, TAB, CR) and round-trip umlauts in an Excel-compatible encoding (UTF-8 with BOM,
read back with utf-8-sig)."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pytest
from rel_helpers import make_settings, make_workspace, run_engine, seed_sim

from kufertui.core.validation import valid_email
from kufertui.kufer.csvsafe import csv_safe
from kufertui.kufer.writeback import WritebackRow, write_unsubscribers_csv
from kufertui.simulator import running_simulator

HOSTILE = ["=HYPERLINK(\"http://evil\";\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
UMLAUTS = ["Jörg Weiß", "Käthe Müller-Lüdenscheidt", "Straße", "Zoë", "Ömer Özdemir", "€ 5"]


def read_back(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8), "Excel needs the BOM to show umlauts"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def is_inert(cell: str) -> bool:
    return not cell or cell[0] not in "=+-@\t\r"


@pytest.mark.parametrize("value", HOSTILE + UMLAUTS + ["", "plain", "a@b.de"])
def test_csv_safe(value: str) -> None:
    out = csv_safe(value)
    assert is_inert(out)
    assert out == value or out == "'" + value


def test_writeback_file_neutralises_and_round_trips(tmp_path: Path) -> None:
    rows = [WritebackRow(email=f"{h}@example.org" if h[0] != "@" else "x" + h, person_no=h,
                         when="2024-05-01", source=u) for h, u in zip(HOSTILE, UMLAUTS * 2, strict=False)]
    path = tmp_path / "wb.csv"
    assert write_unsubscribers_csv(path, rows) == len(rows)
    table = read_back(path)
    assert table[0] == ["E-Mail", "TNR", "Status", "Datum", "Quelle"]
    for row, original in zip(table[1:], rows, strict=True):
        # a valid address is KUFER's match key and goes out exactly (issue 17.1); the rest is inert
        assert row[0] == original.email if valid_email(original.email) else is_inert(row[0]), row
        assert all(is_inert(c) for c in row[1:]), row
        assert row[1] == "'" + str(original.person_no).replace("\r", " ")  # no line break inside (issue 24.6)
        assert row[4] == original.source  # umlauts intact
        assert row[3] == "01.05.2024"


def test_pulled_unsubscribes_with_formula_addresses_are_written_back_safely(tmp_path: Path) -> None:
    """Addresses like "=1+1@x.de" are valid e-mails; Maileon hands them back. KUFER matches on the
    address, so it is written exactly (issue 17.1); the other cells stay inert."""
    ws_root = make_workspace(tmp_path, 10)
    state = seed_sim()
    hostile = ["=1+1@evil.example", "+cmd@evil.example", "-2+3@evil.example", "jörg.weiß@example.org"]
    for i, email in enumerate(hostile):
        state.seed_contact(email, external_id=f"=HYPERLINK(\"x{i}\")")
        assert state.recipient_unsubscribes(email)
    with running_simulator(state) as url:
        out = run_engine(make_settings(url), ws_root)
    assert out.exit_code == 0, out.failed
    files = list((ws_root / "writeback").glob("*.csv"))
    assert len(files) == 1
    table = read_back(files[0])
    cells = [c for row in table[1:] for c in row[1:]]
    assert all(is_inert(c) for c in cells), cells
    emails = {row[0] for row in table[1:]}
    assert emails == set(hostile)  # byte-exact, nothing lost, umlauts intact


def test_dry_run_export_neutralises(tmp_path: Path) -> None:
    import asyncio

    from kufertui.store import ContactFilter
    from kufertui.sync.engine import SyncEngine, SyncOptions
    from kufertui.sync.mapping import mappings_from_settings

    root = tmp_path / "ws"
    csv_path = tmp_path / "kufer.csv"
    csv_path.write_text("TNR;Vorname;Name;E-Mail;Newsletter\r\n"
                        "1;Jörg;=HYPERLINK(\"x\");=1+1@evil.example;J\r\n"
                        "2;Käthe;Müller;@foo;J\r\n"
                        "3;Zoë;+49;-x@evil.example;J\r\n", encoding="utf-8")
    from kufertui.store import Workspace
    from kufertui.sync.importing import import_file

    with Workspace.open(root) as ws:
        import_file(ws, csv_path)
    state = seed_sim()
    with running_simulator(state) as url:
        settings = make_settings(url)
        engine = SyncEngine(settings, root)
        asyncio.run(engine.run(SyncOptions(selection=ContactFilter(frozenset({"J", "K"})),
                                           mappings=mappings_from_settings(settings), dry_run=True)))
    files = list((root / "exports").glob("dry-run-*.csv"))
    assert files
    table = read_back(files[0])
    assert len(table) > 1
    for row in table[1:]:
        assert all(is_inert(c) for c in row), row
