"""KUFER XML import: registration style, flat export, and the XML attacks (refused before parsing)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kufertui.core.contact import Status
from kufertui.kufer import ImportFailure, open_source, xml_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kufer"


def read_all(path: Path) -> tuple[list, object]:
    source = open_source(path)
    contacts = list(source)
    assert source.rows_read == len(contacts) + len(source.errors)
    return contacts, source


def test_registration_style() -> None:
    contacts, source = read_all(FIXTURES / "registration.xml")
    assert source.format == "xml-registration"
    assert source.mapping["NAME_TITEL"] == "salutation" and source.mapping["ORT"] == "city"
    assert source.mapping["KOMMUNIKATION/KOMMART=E"] == "email"
    assert "NATION" in source.unmapped and "KOMMUNIKATION" not in source.unmapped
    joerg, firm = contacts
    assert joerg.email == "Joerg.Mueller@example.de"  # first e-mail entry; the phone entry is skipped
    assert joerg.extra_emails == "jm@firma.example" and "several-emails" in joerg.flags
    assert (joerg.salutation, joerg.title, joerg.first_name, joerg.last_name) == ("Herr", "Dr.", "Jörg", "Müller")
    assert (joerg.zip, joerg.city, joerg.birthday) == ("84453", "Mühldorf a. Inn", "1965-04-03")
    assert joerg.person_no == "4711" and joerg.status is Status.J and joerg.is_dozent
    assert joerg.departments == "Sprachen" and joerg.source_line == 4
    assert firm.gender is None and "organisation" in firm.flags and firm.status is Status.K
    assert [(e.reason, e.detail) for e in source.errors] == [("missing-email", "TNR 4713"),
                                                              ("invalid-status", "vielleicht")]


def test_flat_export() -> None:
    contacts, source = read_all(FIXTURES / "flat.xml")
    assert source.format == "xml-flat" and source.record_tag == "PERSON"
    assert source.mapping["NL_STATUS"] == "status" and source.mapping["NACHNAME"] == "last_name"
    assert "BEMERKUNG" in source.unmapped
    kaethe, multi = contacts
    assert kaethe.email == "kaethe@web.de" and kaethe.last_name == "Strauß"
    assert (kaethe.zip, kaethe.city, kaethe.birthday) == ("97070", "Würzburg", "1950-12-24")
    assert multi.email == "a@b.de" and multi.extra_emails == "c@d.de" and multi.is_dozent
    assert [(e.line, e.reason) for e in source.errors] == [(6, "missing-email")]


def test_flat_without_email_element_names_the_tags(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<PERSONEN><PERSON><TNR>1</TNR><VORNAME>A</VORNAME></PERSON></PERSONEN>", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "no-email-column" and info.value.params["columns"] == ["TNR", "VORNAME"]


def test_root_without_records_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?>\n<PERSONEN/>\n', encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "empty-file"


def test_truncated_xml_is_a_syntax_failure(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    body = "".join(f"<PERSON><EMAIL>a{i}@b.de</EMAIL></PERSON>\n" for i in range(50))
    path.write_text(f"<PERSONEN>\n{body}<PERSON><EMAIL>broken", encoding="utf-8")
    source = open_source(path)
    with pytest.raises(ImportFailure) as info:
        list(source)
    assert info.value.code == "xml-syntax" and info.value.params["line"] >= 50


def test_undeclared_entity_is_a_syntax_failure(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<PERSONEN><PERSON><EMAIL>&xxe;</EMAIL></PERSON></PERSONEN>", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        list(open_source(path))
    assert info.value.code == "xml-syntax"


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prove refusal happens before lxml sees the document."""

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the parser must not run")

    monkeypatch.setattr(xml_source.etree, "iterparse", refuse)


def test_external_entity_is_refused_without_reading_the_file(tmp_path: Path, no_parser: None) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE PERSONEN [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                    "<PERSONEN><PERSON><EMAIL>&xxe;</EMAIL></PERSON></PERSONEN>", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "xml-forbidden" and info.value.params["construct"] == "DOCTYPE"
    assert "top secret" not in str(info.value.params)


def test_billion_laughs_is_refused_fast(tmp_path: Path, no_parser: None) -> None:
    entities = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!-- harmless --><?pi x?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
                    f"{entities}]><PERSONEN><PERSON><EMAIL>&lol9;</EMAIL></PERSON></PERSONEN>", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "xml-forbidden"
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("decl", ['<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">', "<!ENTITY x 'y'>",
                                  '<!doctype x PUBLIC "-//X//Y" "http://example.invalid/">'])
def test_dtd_declarations_are_refused(tmp_path: Path, no_parser: None, decl: str) -> None:
    path = tmp_path / "dtd.xml"
    path.write_text(f"\ufeff  {decl}<x/>", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "xml-forbidden"


def test_doctype_hidden_behind_a_huge_prolog_is_refused(tmp_path: Path, no_parser: None) -> None:
    path = tmp_path / "hidden.xml"
    path.write_text("<!--" + "x" * (xml_source.PROLOG_LIMIT + 10) + '--><!DOCTYPE x [<!ENTITY a "b">]><x/>',
                    encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    assert info.value.code == "xml-syntax"
