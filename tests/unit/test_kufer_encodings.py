"""KUFER files in UTF-16/UTF-32, a profile's encoding that does not fit the file, Excel's "sep=" line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kufertui.core.contact import Status
from kufertui.kufer import ImportFailure, open_source
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.reader import sniff_format
from kufertui.kufer.textcodec import wide_encoding

REG_XML = ('<?xml version="1.0" encoding="{enc}"?>\n<ANMELDUNGEN><ANMELDUNG><STAMMDATEN><TNR>1</TNR>'
           "<NAME>Weiß</NAME><NEWSLETTER>J</NEWSLETTER><KOMMUNIKATION><KOMMUNIKATIONSEINTRAG><KOMMART>E</KOMMART>"
           "<KOMMWERT>x1@example.org</KOMMWERT></KOMMUNIKATIONSEINTRAG></KOMMUNIKATION></STAMMDATEN></ANMELDUNG>"
           "</ANMELDUNGEN>")
CSV = "TNR;Name;E-Mail;Newsletter\r\n1;Weiß;a@example.org;J\r\n2;Groß €;b@example.org;K\r\n"


def read(path: Path, profile: MappingProfile | None = None) -> tuple[list, object]:
    with open_source(path, profile) as source:
        contacts = list(source)
    return contacts, source


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_xml_with_and_without_bom_imports(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "c16.xml"
    path.write_bytes(REG_XML.format(enc="UTF-16").encode(codec))  # "utf-16" writes a BOM
    contacts, _ = read(path)
    assert [(c.email, c.last_name, c.status) for c in contacts] == [("x1@example.org", "Weiß", Status.J)]


@pytest.mark.parametrize("construct", ["DOCTYPE", "ENTITY"])
def test_utf16_xml_with_bom_keeps_the_hostile_xml_refusal(tmp_path: Path, construct: str) -> None:
    decl = '<!DOCTYPE p [<!ENTITY e "x">]>' if construct == "DOCTYPE" else '<!ENTITY e "x">'
    text = (f'<?xml version="1.0" encoding="UTF-16"?>\n{decl}\n'
            "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL></PERSON></PERSONEN>")
    path = tmp_path / "evil.xml"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "xml-forbidden" and info.value.params["construct"] == construct


def test_utf16_xml_with_bom_keeps_the_depth_limit(tmp_path: Path) -> None:
    deep = "<A>" * 1200 + "x" + "</A>" * 1200
    text = ('<?xml version="1.0" encoding="UTF-16"?>\n<PERSONEN><PERSON><EMAIL>ok@b.de</EMAIL></PERSON>'
            f"<PERSON><EMAIL>deep@b.de</EMAIL>{deep}</PERSON></PERSONEN>")
    path = tmp_path / "deep.xml"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(ImportFailure) as info:  # libxml2's depth limit (no huge_tree) holds in UTF-16 too
        read(path)
    assert info.value.code == "xml-syntax" and "depth" in info.value.params["detail"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_csv_are_detected(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes(CSV.encode(codec))
    contacts, source = read(path)
    assert [(c.person_no, c.last_name, c.email, c.status) for c in contacts] == [
        ("1", "Weiß", "a@example.org", Status.J), ("2", "Groß €", "b@example.org", Status.K)]
    assert source.encoding == codec and not source.errors  # type: ignore[attr-defined]


def test_utf32_xml_is_refused_as_utf32_not_utf16(tmp_path: Path) -> None:
    path = tmp_path / "c32.xml"
    path.write_bytes(REG_XML.format(enc="UTF-32").encode("utf-32"))
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "unknown-format" and "UTF-32" in info.value.params["detail"]


def test_binary_with_scattered_nuls_is_still_binary() -> None:
    head = bytes(range(256)) * 4
    assert wide_encoding(head) is None
    with pytest.raises(ImportFailure) as info:
        sniff_format(b"\x00\x01\x02\x00\x00\x00\x00\x00" * 20)
    assert info.value.code == "binary-file"


@pytest.mark.parametrize(("written", "forced", "found"), [
    ("utf-8", "utf-16", "UTF-8"), ("cp1252", "utf-16-le", "Windows-1252"), ("utf-16", "utf-8", "UTF-16"),
    ("utf-32", "utf-16", "UTF-32"), ("utf-16", "cp1252", "UTF-16"),
])
def test_profile_encoding_that_does_not_fit_is_a_clear_failure(tmp_path: Path, written: str, forced: str,
                                                                found: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(CSV.replace(" €", "").encode(written))
    with pytest.raises(ImportFailure) as info:
        open_source(path, MappingProfile(encoding=forced))
    assert info.value.code == "encoding-mismatch"
    assert info.value.params == {"path": str(path), "encoding": forced, "found": found}


@pytest.mark.parametrize("name", ["rot13", "base64", "zlib", "idna", "no-such-codec"])
def test_profile_with_a_codec_that_is_no_text_encoding_is_invalid(name: str) -> None:
    with pytest.raises(ImportFailure) as info:
        MappingProfile.from_dict({"encoding": name}, "p.toml")
    assert info.value.code == "profile-invalid" and name in info.value.params["detail"]


@pytest.mark.parametrize(("written", "forced"), [("utf-16-le", "utf-16"), ("utf-16", "utf-16-le"),
                                                 ("utf-16", "utf-16"), ("cp1252", "cp1252")])
def test_profile_encoding_that_fits_reads_the_file(tmp_path: Path, written: str, forced: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(CSV.replace(" €", "").encode(written))
    contacts, _ = read(path, MappingProfile(encoding=forced))
    assert [(c.person_no, c.last_name) for c in contacts] == [("1", "Weiß"), ("2", "Groß")]


@pytest.mark.parametrize("first", ["sep=;", "SEP=;", '"sep=;"'])
def test_excel_sep_line_names_the_delimiter_and_is_skipped(tmp_path: Path, first: str) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(codecs.BOM_UTF8 + f"{first}\r\n{CSV}".encode())
    contacts, source = read(path)
    assert source.delimiter == ";" and source.mapping["E-Mail"] == "email"  # type: ignore[attr-defined]
    assert [(c.person_no, c.source_line) for c in contacts] == [("1", 3), ("2", 4)]  # lines as in the file


def test_sep_line_wins_over_the_header_guess(tmp_path: Path) -> None:
    # the header has more commas than tabs; "sep=\t" says tab
    path = tmp_path / "tab.csv"
    path.write_text("sep=\t\nTNR\tName, Vorname\tE-Mail\tNewsletter\n1\tWeiß, Jörg\ta@example.org\tJ\n",
                    encoding="utf-8")
    contacts, source = read(path)
    assert source.delimiter == "\t"  # type: ignore[attr-defined]
    assert [(c.email, c.status) for c in contacts] == [("a@example.org", Status.J)]


def test_sep_line_alone_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\r\n\r\n", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "empty-file"
