"""`kufertui import` converts a plain block of a CSV export a column at a time (kufer/block.py) and every other
row one by one (normalise.convert_values); the workspace must not tell them apart. On files that mix every rule
(spaces, capitals, several or no e-mails, unknown statuses and genders, bad dates, PLZ and Ort in one cell or two,
blank rows, quotes, lines in the other encoding), value_columns gives what iterating the Contacts gives, row for
row, with the same errors, counts and remarks; and the workspace ends up the same through either."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import kufertui.kufer.block as block
from kufertui.core.contact import CONTACT_FIELDS
from kufertui.kufer import open_source
from kufertui.kufer.normalise import FIELD_ORDER
from kufertui.store import LedgerEntry, Workspace
from kufertui.sync.importing import import_file

SALUTATIONS = ["Herr", "frau", "HR.", "", "Dr", " Frau "]
FIRST = ["Klaus", " Elif ", "", "Özlem", "Jürgen", "ANNA"]
LAST = ["Hübner", "Böhm", "Weiß", "Ärztin", "Müller "]
GENDERS = ["M", "w", "F", "x", "", " D ", "männlich"]
STATUSES = ["J", "K", "N", "", "ja", " J ", "Nein", "-", "vielleicht"]
DOZENT = ["", "X", "ja", "nein", " j "]
DATES = ["02.07.1962", "31.02.1980", "1980-01-02", "", "1.2.1980", "02.07.62", " 03.04.1975 "]
PLACES = ["73728 Esslingen", "D-10115 Berlin", "Köln", "", "1234", "12345  Ort", " 97070 Würzburg "]
ZIPS = ["", "10115", "D-10115", "10115 Berlin", " 12345 "]


def email(rng: random.Random, i: int) -> str:
    return rng.choice([f"p{i}@web.de", f"P.{i}@WEB.De", f"a{i}@x.de, b{i}@y.de", "", f" s{i}@x.de ", f"noat{i}",
                       f"Ö{i}@Bücher.DE", f"p{i}@web.de"])


def export(tmp_path: Path, name: str, rows: int, seed: int, *, zip_column: bool, quoted: bool = False,
           encoding: str = "utf-8", spaces: bool = True) -> Path:
    rng = random.Random(seed)
    header = ["TNR", "Anrede", "Vorname", "Name", "E-Mail", "Geschlecht", "Newsletter", "Dozent", "Geburtsdatum",
              "Ort"]
    if zip_column:
        header.insert(-1, "PLZ")
    lines = [";".join(header)]
    for i in range(rows):
        cells = [str(rng.randrange(rows)) if rng.random() < 0.9 else "", rng.choice(SALUTATIONS), rng.choice(FIRST),
                 rng.choice(LAST), email(rng, i), rng.choice(GENDERS), rng.choice(STATUSES), rng.choice(DOZENT),
                 rng.choice(DATES), rng.choice(PLACES)]
        if zip_column:
            cells.insert(-1, rng.choice(ZIPS))
        if not spaces:  # no cell begins or ends with white space: blocks that need no trimming
            cells = [c.strip() for c in cells]
        if quoted:
            cells = [f'"{c}"' for c in cells]
        line = ";".join(cells)
        if rng.random() < 0.01:
            line = ";" * (len(header) - 1)  # a blank row
        lines.append(line)
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding, "replace"))
    return path


def by_contacts(path: Path) -> tuple[list[tuple[object, ...]], dict[str, object], list[object]]:
    with open_source(path) as source:
        rows = [tuple(getattr(c, f) for f in CONTACT_FIELDS) for c in source]
    return rows, source.summary(), list(source.errors)


def by_columns(path: Path) -> tuple[list[tuple[object, ...]], dict[str, object], list[object]]:
    with open_source(path) as source:
        rows = [(*r[:-1], list(r[-1])) for columns in source.value_columns() for r in zip(*columns, strict=True)]
    return rows, source.summary(), list(source.errors)


@pytest.mark.parametrize(("zip_column", "quoted", "encoding", "spaces"),
                         [(False, False, "utf-8", True), (True, False, "utf-8", True), (False, True, "cp1252", True),
                          (True, True, "cp1252", True), (False, False, "cp1252", False), (True, False, "utf-8", False)])
def test_a_block_converted_a_column_at_a_time_gives_what_each_row_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zip_column: bool, quoted: bool, encoding: str,
        spaces: bool) -> None:
    blocks: list[int] = []
    convert_block = block.convert_block

    def counted(columns, first_line):  # type: ignore[no-untyped-def]
        blocks.append(len(columns[0]))
        return convert_block(columns, first_line)

    monkeypatch.setattr(block, "convert_block", counted)
    path = export(tmp_path, "export.csv", 3000, seed=len(str(tmp_path)), zip_column=zip_column, quoted=quoted,
                  encoding=encoding, spaces=spaces)
    expected = by_contacts(path)
    got = by_columns(path)
    assert sum(blocks) > 2500  # the blocks did go a column at a time
    assert got[0] == expected[0]
    assert got[1] == expected[1] and list(got[1]["flags"]) == list(expected[1]["flags"])  # type: ignore[call-overload]
    assert got[2] == expected[2]
    assert expected[1]["rejected"] and expected[1]["flags"]  # the file did break rules


def test_the_workspace_stores_the_same_through_columns_as_through_contacts(tmp_path: Path) -> None:
    spaces = {name: Workspace.open(tmp_path / name) for name in ("columns", "contacts")}
    for ws in spaces.values():
        ws.ledger.record([LedgerEntry("p7@web.de", None, "maileon", "link", None)])
    for seed in (1, 2):  # the second file updates, keeps N, meets persons twice, misses some
        path = export(tmp_path, f"export{seed}.csv", 1500, seed=seed, zip_column=seed == 2)
        s = import_file(spaces["columns"], path).summary
        with open_source(path) as source:
            t = spaces["contacts"].import_contacts(list(source), str(path), full=True)
        assert (s.inserted, s.updated, s.unchanged, s.kept_n, s.duplicates, s.duplicate_examples, s.missing, s.left,
                s.by_status) == (t.inserted, t.updated, t.unchanged, t.kept_n, t.duplicates, t.duplicate_examples,
                                 t.missing, t.left, t.by_status)
        assert s.duplicates and s.kept_n
        stored = [ws.conn.execute("SELECT * FROM contacts ORDER BY id").fetchall() for ws in spaces.values()]
        drop = {i for i, c in enumerate(spaces["columns"].conn.execute("SELECT * FROM contacts").description)
                if c[0] in ("import_id", "updated_at", "left_at")}
        assert [[v for i, v in enumerate(r) if i not in drop] for r in stored[0]] == \
            [[v for i, v in enumerate(r) if i not in drop] for r in stored[1]]
    for ws in spaces.values():
        ws.close()


@pytest.mark.parametrize("odd", ["Hübner ;", "; Klaus", "\n 7;", " \r\n", "Klaus\t", "Hübner\xa0;", "Kl\u2003;",
                                 '"Klaus "', "\x85Klaus", " \n"])
def test_one_cell_with_white_space_at_its_edge_is_trimmed_in_a_block_of_plain_rows(tmp_path: Path, odd: str) -> None:
    lines = ["TNR;Vorname;E-Mail;Newsletter;Name"]
    lines += [f"{i};Klaus;k{i}@web.de;J;Hübner" for i in range(1, 600)]
    newline = "\n" if odd == " \n" else "\r\n"  # a file with LF line ends too
    text = newline.join(lines) + newline
    at = text.index("\n300;") + 1
    line_end = text.index(newline, at)
    row = text[at:line_end]
    if odd == "\n 7;":
        row = " " + row
    elif odd in (" \r\n", " \n"):
        row += " "
    elif odd.startswith(";"):
        row = row.replace(";Klaus", odd, 1)
    elif odd.startswith("Hübner"):
        row = row.replace("Hübner", odd.rstrip(";"), 1)
    else:
        row = row.replace("Klaus", odd.rstrip(";"), 1)
    path = tmp_path / "export.csv"
    path.write_text(text[:at] + row + text[line_end:], encoding="utf-8")
    expected, got = by_contacts(path), by_columns(path)
    assert got == expected
    assert [c for c in expected[0] if c[CONTACT_FIELDS.index("person_no")] == "300"]


def block_of(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """The columns convert_block takes (FIELD_ORDER), from rows of cells by field id."""
    return [tuple(row.get(f, "") for row in rows) for f in FIELD_ORDER]


def test_cells_seen_before_convert_as_the_first_time_also_once_the_memory_is_full() -> None:
    # a guard of the memos behind the column conversion (bad dates remembered too): the same values cold, warm and
    # after a file of distinct cells filled them; and they stay bounded (the cells come from the file): so many
    # cells, none longer than MEMO_CELL_CHARS
    rows = [{"email": f"p{i}@web.de", "status": "J", "salutation": s, "gender_raw": g, "birthday": d, "city": c}
            for i, (s, g, d, c) in enumerate(zip(SALUTATIONS * 3, GENDERS * 3, DATES * 3, PLACES * 3, strict=False))]
    rows[0]["birthday"] = "31.02.1980"  # no such day: "bad-date"
    columns = block_of(rows)
    first = block.convert_block(columns, 2)
    assert block.convert_block(columns, 2) == first
    assert first[0][CONTACT_FIELDS.index("flags")][0] == ["bad-date"]
    long = "x" * (block.MEMO_CELL_CHARS + 1)
    out, _ = block.convert_block(block_of([{"email": "l@web.de", "status": "J", "salutation": long, "gender_raw": long,
                                            "birthday": long, "city": long}]), 2)
    assert out[CONTACT_FIELDS.index("flags")][0] == ["unknown-gender", "bad-date"]
    assert all(long not in memo for memo in (block._DATE_MEMO, block._GENDER_MEMO, block._SALUTATION_MEMO,
                                             block._PLACE_MEMO))  # converted, not remembered: a long cell each time
    memos = (block._DATE_MEMO, block._GENDER_MEMO, block._SALUTATION_MEMO, block._PLACE_MEMO)
    kept = [dict(memo) for memo in memos]  # shared with the rows' conversion: as they were, after the flood
    try:
        _flood_the_memos(columns, first)
    finally:
        for memo, before in zip(memos, kept, strict=True):
            memo.clear()
            memo.update(before)


def _flood_the_memos(columns: list[tuple[str, ...]], first: object) -> None:
    n = 70_000
    flood = block_of([{"email": f"q{i}@web.de", "status": "J", "salutation": f"S{i}", "gender_raw": f"G{i}",
                       "birthday": f"{i % 90 + 32}.01.{1000 + i // 90}", "city": f"Ort {i}"} for i in range(n)])
    out, todo = block.convert_block(flood, 2)
    assert not todo and all(flags == ["unknown-gender", "bad-date"] for flags in out[CONTACT_FIELDS.index("flags")])
    for memo, most in ((block._DATE_MEMO, 1 << 16), (block._GENDER_MEMO, 256), (block._SALUTATION_MEMO, 256),
                       (block._PLACE_MEMO, 1 << 14)):
        assert len(memo) <= most
    assert block.convert_block(columns, 2) == first
