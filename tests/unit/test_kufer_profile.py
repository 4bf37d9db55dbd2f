"""Mapping profiles: saved as editable TOML, loading one overrides detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from kufertui.kufer import ImportFailure, MappingProfile, open_source


def test_detected_mapping_round_trips_through_toml(tmp_path: Path) -> None:
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes("E-Mail,Vorname,Bemerkung\r\na@b.de,Jörg,x\r\n".encode("cp1252"))
    with open_source(csv_path) as source:
        profile = MappingProfile.from_source(source)
    assert profile == MappingProfile(mapping={"E-Mail": "email", "Vorname": "first_name", "Bemerkung": ""},
                                     delimiter=",", encoding="cp1252", format="csv")
    saved = tmp_path / "profiles" / "kufer.toml"
    profile.save(saved)
    text = saved.read_text(encoding="utf-8")
    assert 'delimiter = ","' in text and 'E-Mail = "email"' in text
    assert MappingProfile.load(saved) == profile


def test_profile_overrides_detection(tmp_path: Path) -> None:
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes("Adresse;Info;Stand\na@b.de;Jörg;ja\n".encode())  # "Adresse" would be street
    profile = MappingProfile(mapping={"Adresse": "email", "Info": "first_name", "Stand": "status"},
                             delimiter=";", encoding="utf-8")
    contacts = list(open_source(csv_path, profile))
    assert contacts[0].email == "a@b.de" and contacts[0].first_name == "Jörg"


def test_profile_with_tab_delimiter_and_forced_encoding(tmp_path: Path) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text('delimiter = "tab"\nencoding = "cp1252"\n[mapping]\nMail = "email"\nX = ""\n', encoding="utf-8")
    profile = MappingProfile.load(toml)
    assert profile.delimiter == "\t"
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes("Mail\tX\tVorname\nmail@x.de\t1\tJ\xfcrgen\n".encode("latin-1"))
    with open_source(csv_path, profile) as source:
        contacts = list(source)
    assert contacts[0].first_name == "Jürgen" and source.unmapped == []


@pytest.mark.parametrize(("text", "detail"), [
    ('[mapping]\n"E-Mail" = "mail"\n', "unknown field"), ('delimiter = "|"\n', "delimiter"),
    ('encoding = "klingon"\n', "unknown encoding"), ('colour = "red"\n', "unknown key"),
    ("mapping = [", "document"),
])
def test_invalid_profiles(tmp_path: Path, text: str, detail: str) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        MappingProfile.load(toml)
    assert info.value.code == "profile-invalid" and detail in info.value.params["detail"]


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        MappingProfile.load(tmp_path / "nope.toml")
    assert info.value.code == "file-not-found"
