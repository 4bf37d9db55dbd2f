"""KUFER CSV import: encodings, delimiters, mapping, and the whole "Bad input" list."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from kufertui.core.contact import Status
from kufertui.kufer import ImportFailure, open_source
from kufertui.kufer.csv_detect import detect_delimiter, detect_encoding
from kufertui.kufer.csv_source import MAX_CONTINUATION_LINES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kufer"
HEADER = "TNR;Vorname;Name;E-Mail;Newsletter\n"


def write(tmp_path: Path, data: bytes | str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def read_all(path: Path, **kwargs: object) -> tuple[list, object]:
    source = open_source(path, **kwargs)  # type: ignore[arg-type]
    contacts = list(source)
    assert source.rows_read == len(contacts) + len(source.errors)  # every row accounted for
    return contacts, source


def test_windows_1252_kufer_export_shows_umlauts() -> None:
    contacts, source = read_all(FIXTURES / "kufer_cp1252.csv")
    assert source.encoding == "cp1252"
    assert source.delimiter == ";"
    assert source.unmapped == []
    assert source.mapping["PLZ Ort"] == "city"
    by_tnr = {c.person_no: c for c in contacts}
    joerg = by_tnr["4711"]
    assert (joerg.first_name, joerg.last_name, joerg.street) == ("Jörg", "Müller", "Hauptstraße 1")
    assert (joerg.zip, joerg.city) == ("84453", "Mühldorf a. Inn")
    assert joerg.email == "Joerg.Mueller@example.de"  # domain lower-cased, local part kept
    assert joerg.status is Status.J and joerg.is_dozent and joerg.birthday == "1965-04-03"
    assert joerg.title == "Dr." and joerg.gender == "m" and joerg.source_line == 2
    aenne = by_tnr["4712"]
    assert aenne.first_name == "Änne" and aenne.birthday is None and "bad-date" in aenne.flags
    firm = by_tnr["4713"]
    assert firm.gender_raw == "F" and firm.gender is None and "organisation" in firm.flags
    assert firm.status is Status.EMPTY
    assert by_tnr["4716"].birthday == "1970-02-01" and by_tnr["4716"].status is Status.N
    assert "unknown-gender" in by_tnr["4716"].flags
    reasons = {(e.line, e.reason) for e in source.errors}
    assert reasons == {(5, "missing-email"), (6, "invalid-status")}
    assert [e.detail for e in source.errors if e.reason == "missing-email"] == ["TNR 4714"]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters_and_quoted_fields(tmp_path: Path, delimiter: str) -> None:
    d = delimiter
    text = (f"E-Mail{d}Vorname{d}Name{d}Newsletter\n"
            f'a@b.de{d}"Anna{d} Maria"{d}"Mei""er"{d}J\n'
            f'c@d.de{d}"Multi\nLine"{d}X{d}K\n')
    contacts, source = read_all(write(tmp_path, text))
    assert source.delimiter == delimiter
    assert [c.first_name for c in contacts] == [f"Anna{d} Maria", "Multi\nLine"]
    assert contacts[0].last_name == 'Mei"er'
    assert [c.source_line for c in contacts] == [2, 3]


def test_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffE-Mail;Vorname\r\nx@y.de;Jürgen\r\n")
    contacts, source = read_all(path)
    assert source.encoding == "utf-8-sig"
    assert source.mapping == {"E-Mail": "email", "Vorname": "first_name"}
    assert contacts[0].first_name == "Jürgen"


def test_detectors() -> None:
    assert detect_encoding(b"abc") == "utf-8"
    assert detect_encoding("Jörg".encode()) == "utf-8"
    assert detect_encoding("Jörg".encode()[:-1] + "ö".encode()[:1]) == "utf-8"  # cut multibyte at sample end
    assert detect_encoding("Jörg".encode("cp1252")) == "cp1252"
    assert detect_encoding(b"\xef\xbb\xbfx") == "utf-8-sig"
    assert detect_delimiter("a,b,c") == "," and detect_delimiter("a\tb") == "\t"
    assert detect_delimiter("a;b,c;d") == ";" and detect_delimiter("single") == ";"


def test_header_synonyms_and_unmapped(tmp_path: Path) -> None:
    text = "Teilnehmernummer;eMail;NL-Status;Nachname;Bemerkung;E-Mail-Adresse\n1;a@b.de;J;X;frei;c@d.de\n"
    contacts, source = read_all(write(tmp_path, text))
    assert source.mapping == {"Teilnehmernummer": "person_no", "eMail": "email", "NL-Status": "status",
                              "Nachname": "last_name", "E-Mail-Adresse": "email"}
    assert source.unmapped == ["Bemerkung"]
    assert contacts[0].email == "a@b.de" and contacts[0].extra_emails == "c@d.de"
    assert "several-emails" in contacts[0].flags


def test_blank_lines_are_not_rows(tmp_path: Path) -> None:
    contacts, source = read_all(write(tmp_path, HEADER + "\n1;A;B;a@b.de;J\n\n;;;;\n   \n2;C;D;c@d.de;K\n"))
    assert len(contacts) == 2 and source.rows_read == 2 and not source.errors


def test_short_and_long_rows(tmp_path: Path) -> None:
    contacts, _ = read_all(write(tmp_path, HEADER + "1;A;B;a@b.de\n2;C;D;c@d.de;J;surplus\n"))
    assert contacts[0].status is Status.EMPTY
    assert "extra-columns" in contacts[1].flags


# ---- Bad input ------------------------------------------------------------------------------------
def test_path_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        open_source(tmp_path / "missing.csv")
    assert info.value.code == "file-not-found" and info.value.params["path"].endswith("missing.csv")


def test_path_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        open_source(tmp_path)
    assert info.value.code == "is-directory"


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ImportFailure) as info:
        open_source(write(tmp_path, data))
    assert info.value.code == "empty-file"


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        open_source(write(tmp_path, HEADER + "\n\n"))
    assert info.value.code == "header-only"
    assert info.value.params["columns"] == ["TNR", "Vorname", "Name", "E-Mail", "Newsletter"]


def test_missing_email_column_names_the_columns_found(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        open_source(write(tmp_path, "TNR;Vorname;Name;Telefon\n1;A;B;0123\n"))
    assert info.value.code == "no-email-column"
    assert info.value.params["columns"] == ["TNR", "Vorname", "Name", "Telefon"]


def test_broken_quotes_cost_one_row(tmp_path: Path) -> None:
    text = HEADER + '1;"Anna;A;a@b.de;J\n2;B;B;b@b.de;J\n3;"Ca"rl;C;c@b.de;J\n4;D;D;d@b.de;K\n'
    contacts, source = read_all(write(tmp_path, text))
    assert [c.person_no for c in contacts] == ["2", "4"]
    assert [(e.line, e.reason) for e in source.errors] == [(2, "broken-quotes"), (4, "broken-quotes")]


def test_unclosed_quote_is_cut_after_the_continuation_limit(tmp_path: Path) -> None:
    rows = "".join(f"{i};N;N;n{i}@b.de;J\n" for i in range(2, MAX_CONTINUATION_LINES + 10))
    contacts, source = read_all(write(tmp_path, HEADER + '1;"open;X;x@b.de;J\n' + rows))
    assert [(e.line, e.reason) for e in source.errors] == [(2, "broken-quotes")]
    assert len(contacts) == MAX_CONTINUATION_LINES + 8  # the swallowed lines were read again
    assert contacts[0].source_line == 3


def test_unclosed_quote_at_end_of_file(tmp_path: Path) -> None:
    contacts, source = read_all(write(tmp_path, HEADER + '1;A;B;a@b.de;J\n2;"B;B;b@b.de;J'))
    assert len(contacts) == 1 and [(e.line, e.reason) for e in source.errors] == [(3, "broken-quotes")]


def test_mixed_encodings_decode_per_line(tmp_path: Path) -> None:
    data = (HEADER.encode() + "1;Jörg;Weiß;a@b.de;J\n".encode() + "2;Jörg;Weiß;c@d.de;K\n".encode("cp1252")
            + "3;Zoë;Groß;e@f.de;J\n".encode())
    contacts, source = read_all(write(tmp_path, data))
    assert source.encoding == "utf-8"
    assert [(c.first_name, c.last_name) for c in contacts] == [("Jörg", "Weiß"), ("Jörg", "Weiß"),
                                                               ("Zoë", "Groß")]
    assert ["mixed-encoding" in c.flags for c in contacts] == [False, True, False]


def test_utf8_line_inside_a_windows_1252_file(tmp_path: Path) -> None:
    data = (HEADER.encode("cp1252") + "1;Jörg;Müller;a@b.de;J\n".encode("cp1252")
            + "2;Jörg;Müller;c@d.de;J\n".encode() + "3;Ägid;Strauß;e@f.de;J\n".encode("cp1252"))
    contacts, source = read_all(write(tmp_path, data))
    assert source.encoding == "cp1252"
    assert [c.last_name for c in contacts] == ["Müller", "Müller", "Strauß"]
    assert contacts[2].first_name == "Ägid"
    assert ["mixed-encoding" in c.flags for c in contacts] == [False, True, False]


def test_ten_megabyte_line_is_rejected_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with open(path, "wb") as fh:
        fh.write(HEADER.encode() + b"1;A;B;a@b.de;J\n")
        fh.write(b"2;" + b"x" * (10 * 1024 * 1024) + b";y@b.de;J\n")
        fh.write(b"3;C;D;c@d.de;K\n")
    tracemalloc.start()
    try:
        contacts, source = read_all(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [c.person_no for c in contacts] == ["1", "3"]
    assert [(e.line, e.reason) for e in source.errors] == [(3, "line-too-long")]
    assert int(source.errors[0].detail) > 10 * 1024 * 1024
    assert peak < 24 * 1024 * 1024  # never the whole line (plus its decoded copy) at once


def test_nul_bytes_reject_the_row(tmp_path: Path) -> None:
    data = HEADER.encode() + b"1;A;B;a@b.de;J\n2;A\x00B;B;b@b.de;J\n3;C;D;c@d.de;K\n"
    contacts, source = read_all(write(tmp_path, data))
    assert [c.person_no for c in contacts] == ["1", "3"]
    assert [(e.line, e.reason) for e in source.errors] == [(3, "nul-byte")]


@pytest.mark.parametrize(("head", "code", "detail"), [
    (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "unknown-format", "xlsx"),
    (b"\xd0\xcf\x11\xe0rest", "unknown-format", "xls"),
    (b"PK\x03\x04rest", "not-an-export", "ZIP"),  # a ZIP that is no spreadsheet: not called one (issue 26.7)
    (b"\x00\x01\x02\x00\x00\x00\x00\x00", "binary-file", None)])
def test_unknown_formats(tmp_path: Path, head: bytes, code: str, detail: str | None) -> None:
    with pytest.raises(ImportFailure) as info:
        open_source(write(tmp_path, head))
    assert info.value.code == code
    assert (info.value.params.get("detail") or info.value.params.get("kind")) == detail


def test_invalid_status_and_missing_email_do_not_stop_the_file(tmp_path: Path) -> None:
    rows = "".join(f"{i};A;B;{'' if i % 3 == 0 else f'a{i}@b.de'};{'Q' if i % 5 == 0 else 'J'}\n"
                   for i in range(1, 31))
    contacts, source = read_all(write(tmp_path, HEADER + rows))
    assert source.rows_read == 30
    assert {e.reason for e in source.errors} == {"missing-email", "invalid-status"}
    assert len(contacts) == 30 - 10 - 4  # multiples of 3 lack e-mail; 5, 10, 20, 25 have status Q
