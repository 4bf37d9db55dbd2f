"""Issue 17.5: hostile XML cannot exhaust memory. One record with millions of child elements, and
millions of siblings that are not records, are read in bounded memory (peak RSS of a subprocess,
with an address-space cap so that a regression fails instead of eating the machine); the huge record
becomes a row error. DOCTYPE is refused in every encoding, also UTF-16 without a BOM."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from peak_memory import PEAK_MB

from kufertui.kufer import ImportFailure
from kufertui.kufer.xml_source import XmlFile

RSS_BOUND_MB = 300
ADDRESS_SPACE_CAP = 2 << 30  # the old reader needed ~500 bytes per element: several GB here

READER = PEAK_MB + """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from kufertui.kufer.xml_source import XmlFile
source = XmlFile(sys.argv[1])
contacts = [c.email for c in source]
print(json.dumps({"contacts": contacts, "errors": [e.reason for e in source.errors], "rows": source.rows_read,
                  "peak_mb": peak_mb()}))
"""

GOOD = "<PERSON><EMAIL>ok{0}@example.org</EMAIL><VORNAME>A</VORNAME></PERSON>"


def read_in_subprocess(path: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", READER, str(path), str(ADDRESS_SPACE_CAP)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def write_big(path: Path, before: str, filler: bytes, count: int, after: str) -> None:
    with path.open("wb") as fh:  # one line, written in chunks (the test itself stays small)
        fh.write(b"<?xml version='1.0' encoding='UTF-8'?><PERSONEN>" + before.encode())
        chunk = filler * 100_000
        for _ in range(count // 100_000):
            fh.write(chunk)
        fh.write(after.encode() + b"</PERSONEN>")


@pytest.mark.slow
def test_one_record_with_millions_of_children_is_a_row_error_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "wide.xml"
    write_big(path, GOOD.format(1) + "<PERSON><EMAIL>huge@example.org</EMAIL>", b"<x/>", 6_000_000,
              "</PERSON>" + GOOD.format(2))
    assert path.stat().st_size > 20_000_000
    out = read_in_subprocess(path)
    assert out["contacts"] == ["ok1@example.org", "ok2@example.org"]
    assert out["errors"] == ["record-too-large"] and out["rows"] == 3
    assert out["peak_mb"] < RSS_BOUND_MB, out["peak_mb"]


@pytest.mark.slow
def test_millions_of_non_record_siblings_are_dropped_as_read(tmp_path: Path) -> None:
    path = tmp_path / "siblings.xml"
    write_big(path, GOOD.format(1), b"<y/>", 6_000_000, GOOD.format(2))
    out = read_in_subprocess(path)
    assert out["contacts"] == ["ok1@example.org", "ok2@example.org"] and out["errors"] == []
    assert out["peak_mb"] < RSS_BOUND_MB, out["peak_mb"]


def test_a_huge_first_record_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "first.xml"
    text_cells = "".join(f"<NOTIZ>{'x' * 5000}</NOTIZ>" for _ in range(300))  # 1.5 MB of text
    path.write_text(f"<PERSONEN><PERSON><EMAIL>big@example.org</EMAIL>{text_cells}</PERSON>{GOOD.format(1)}"
                    "</PERSONEN>", encoding="utf-8")
    source = XmlFile(str(path))
    assert [c.email for c in source] == ["ok1@example.org"]
    assert [e.reason for e in source.errors] == ["record-too-large"]


DOCTYPE = ('<?xml version="1.0" encoding="{enc}"?>\n<!DOCTYPE p [<!ENTITY e "x">]>\n'
           "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>&e;Weiß</NAME></PERSON></PERSONEN>")


@pytest.mark.parametrize(("codec", "declared", "bom"), [
    ("utf-16-le", "UTF-16", b""), ("utf-16-be", "UTF-16", b""), ("utf-16-le", "UTF-16", b"\xff\xfe"),
    ("utf-16-be", "UTF-16", b"\xfe\xff"), ("utf-8", "UTF-8", b""), ("utf-8", "UTF-8", b"\xef\xbb\xbf"),
    ("latin-1", "ISO-8859-1", b""), ("utf-32-le", "UTF-32", b""),
])
def test_doctype_is_refused_in_every_encoding(tmp_path: Path, codec: str, declared: str, bom: bytes) -> None:
    path = tmp_path / "doctype.xml"
    path.write_bytes(bom + DOCTYPE.format(enc=declared).encode(codec))
    with pytest.raises(ImportFailure) as info:
        XmlFile(str(path))
    assert info.value.code == "xml-forbidden" and info.value.params["construct"] == "DOCTYPE"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_doctype_still_reads(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "plain.xml"
    path.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>'
                      "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>Weiß</NAME></PERSON></PERSONEN>").encode(codec))
    source = XmlFile(str(path))
    assert [(c.email, c.last_name) for c in source] == [("a@b.de", "Weiß")]
