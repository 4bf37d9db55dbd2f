"""`kufertui import` hands the workspace its contacts as columns of fields (KuferFile.value_columns), not as Contacts:
the workspace must end up exactly as from the Contacts of the same file, on a first import and on a re-import
that updates, keeps an N and meets a person twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kufertui.kufer import open_source
from kufertui.store import LedgerEntry, Workspace
from kufertui.sync.importing import import_file

HEADER = "TNR;Anrede;Vorname;Name;E-Mail;Geschlecht;Newsletter;Dozent;Fachbereich;Geburtsdatum;Firma;PLZ Ort\n"
FIRST = [
    "1;Herr;Klaus;Hübner;K.Huebner@WEB.de;M;J;X;Sprachen;02.07.1962;;73728 Esslingen\n",
    "2;frau;Elif;Böhm;eboehm@gmx.de;W;K;;Politik;31.02.1980;;D-10115 Berlin\n",
    "3;;Ada;Firma;info@firma.de;F;N;;;;ACME GmbH;\n",
    ";;Ohne;Nummer;ohne@nummer.de;x;;ja;;1980-01-02;;12345\n",
    "4;Herr;Otto;Ledger;otto@ledger.de;M;J;;;;;Köln\n",
]
SECOND = [
    "1;Herr;Klaus;Hübner;K.Huebner@WEB.de;M;J;X;Sprachen, Politik;02.07.1962;;73728 Esslingen\n",  # updated
    "2;frau;Elif;Böhm;eboehm@gmx.de;W;K;;Politik;31.02.1980;;D-10115 Berlin\n",  # unchanged
    "3;;Ada;Firma;info@firma.de;F;J;;;;ACME GmbH;\n",  # N stays N
    "4;Herr;Otto;Ledger;otto@ledger.de;M;J;;;;;Köln\n",  # on the ledger: imports as N
    "1;Herr;Klaus;Hübner;k.huebner@web.de;M;K;;Sprachen;02.07.1962;;73728 Esslingen\n",  # twice: the later wins
]  # "Ohne Nummer" is missing: a full export lets them leave


def rows_columns(ws: Workspace) -> list[str]:
    return [r[1] for r in ws.conn.execute("PRAGMA table_info(contacts)") if r[1] not in ("import_id", "updated_at")]


def stored(ws: Workspace) -> list[tuple[object, ...]]:
    cols = ",".join(rows_columns(ws))
    return ws.conn.execute(f"SELECT {cols}, left_at IS NOT NULL FROM contacts ORDER BY id").fetchall()


def by_contacts(ws: Workspace, path: Path) -> tuple[object, ...]:
    """The same import, but through Contact objects (what XML, SQL and hand-made contacts take)."""
    with open_source(path) as source:
        summary = ws.import_contacts(list(source), str(path), full=True)
    return (summary.inserted, summary.updated, summary.unchanged, summary.kept_n, summary.duplicates,
            summary.duplicate_examples, summary.missing, summary.left, summary.by_status)


def by_file(ws: Workspace, path: Path) -> tuple[object, ...]:
    s = import_file(ws, path).summary
    return (s.inserted, s.updated, s.unchanged, s.kept_n, s.duplicates, s.duplicate_examples, s.missing, s.left,
            s.by_status)


def test_the_import_of_field_lists_stores_what_the_import_of_contacts_stores(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    spaces = {name: Workspace.open(tmp_path / name) for name in ("rows", "contacts")}
    for ws in spaces.values():
        ws.ledger.record([LedgerEntry("otto@ledger.de", "4", "maileon", "link", None)])
    for lines in (FIRST, SECOND):
        path.write_text(HEADER + "".join(lines), encoding="utf-8")
        via_rows = by_file(spaces["rows"], path)
        via_contacts = by_contacts(spaces["contacts"], path)
        assert via_rows == via_contacts
        assert stored(spaces["rows"]) == stored(spaces["contacts"])
    rows = stored(spaces["rows"])
    # Klaus updated twice (he is in the file twice); Elif unchanged, so are Ada and Otto, kept N
    assert via_rows[:5] == (0, 2, 3, 2, 1)
    assert via_rows[6:8] == (1, 1)  # "Ohne Nummer" left KUFER
    klaus = next(r for r in rows if r[1] == "tnr:1")
    assert "klaus hübner k.huebner@web.de 1 esslingen" in klaus  # the search column, lower-cased
    ohne = next(r for r in rows if r[1] == "email:ohne@nummer.de")
    assert ohne[rows_columns(spaces["rows"]).index("is_dozent")] == 1  # "ja"
    for ws in spaces.values():
        ws.close()


def test_runs_of_any_length_reach_the_statements_in_order_in_batches_of_one_size() -> None:
    # a guard of _batches (runs cut by rejected rows, joined again): every contact once, in the file's order, in
    # batches of `size` but the last, a run of exactly `size` passed on as it is; columns of any sequence type
    from kufertui.store.contact_import import _batches

    runs: list[list[Any]] = []
    first = 0
    for n in (3, 0, 7, 10, 1, 1, 25, 4, 10, 2, 9):
        runs.append([list(range(first, first + n)), tuple(str(i) for i in range(first, first + n)),
                     range(first, first + n)] if n or first % 2 else [])
        first += n
    for size in (1, 4, 10, 100):
        batches = list(_batches(runs, size))
        assert [len(b[0]) for b in batches[:-1]] == [size] * (len(batches) - 1) and 0 < len(batches[-1][0]) <= size
        assert [list(map(list, zip(*b, strict=True))) for b in batches] == \
            [[[i, str(i), i] for i in range(start, min(start + size, first))] for start in range(0, first, size)]
    assert any(batch is runs[3] for batch in _batches(runs, 10))  # no copy of a run that is one batch
