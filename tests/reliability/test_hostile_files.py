"""Hostile files (issue 7.4): the CSV and XML importers never crash (only ImportFailure), never
hang, and account for every row (rows_read == contacts + rejected); XXE, billion laughs, DTD
network fetch and XInclude are refused without reading anything; a big file streams in bounded
memory.

The big file defaults to 50 MB so CI stays fast; set KUFERTUI_BIG_FILE_MB=500 for the issue's
full-size run (same code path, ~10x the time).
"""

from __future__ import annotations

import codecs
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kufertui.kufer.errors import ImportFailure
from kufertui.kufer.reader import open_source

HYP = settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])


def consume(path: Path) -> tuple[int, int, int] | None:
    """Open and read the whole file; None when refused as a whole (ImportFailure)."""
    try:
        with open_source(path) as src:
            yielded = sum(1 for _ in src)
            assert yielded == src.contacts_read
            assert src.rows_read == src.contacts_read + len(src.errors), src.summary()
            return src.rows_read, src.contacts_read, len(src.errors)
    except ImportFailure:
        return None


# ---------------------------------------------------------------------------------------- CSV

CELL_ALPHABET = st.sampled_from([*list('abcXYZ@.;,\t"\'\r\n =+-äöüßÄÖÜé€\x00\\ '), "\u2028", "\ufeff"])
cell = st.one_of(
    st.text(CELL_ALPHABET, max_size=12),
    st.sampled_from(["a@b.de", "jörg.weiß@example.org", "J", "K", "N", "", '"', '""', '"unclosed',
                     "=HYPERLINK(\"x\")", "x" * 3000]),
)
row = st.lists(cell, min_size=0, max_size=7)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([";", ",", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "mixed"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.sampled_from(["TNR;Name;E-Mail;Newsletter", "E-Mail", "email,status", "Name;Vorname",
                                   '"E-Mail";"Newsletter"', ""]))
    header = header.replace(";", sep) if sep != "," else header.replace(";", ",")
    lines = [header] + [sep.join(r) for r in draw(st.lists(row, max_size=25))]
    out = b""
    for i, line in enumerate(lines):
        enc = encoding if encoding != "mixed" else ("utf-8" if i % 2 else "cp1252")
        out += (line + newline).encode(enc.replace("-sig", "") if i else enc, "replace")
    if draw(st.booleans()):
        out += draw(st.binary(max_size=200))
    return out


@HYP
@given(data=csv_bytes())
def test_csv_importer_never_crashes_and_accounts_for_every_row(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    consume(path)


@HYP
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_crash(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"E-Mail;Newsletter\n" + data if data[:1] != b"<" else data)
    consume(path)
    path.write_bytes(data)
    consume(path)


# ---------------------------------------------------------------------------------------- XML

xml_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def xml_bytes(draw: st.DrawFn) -> bytes:
    from xml.sax.saxutils import escape

    tags = st.sampled_from(["EMAIL", "E-MAIL", "NAME", "VORNAME", "NEWSLETTER", "TNR", "X", "KOMMWERT"])
    people = []
    for _ in range(draw(st.integers(0, 8))):
        fields = "".join(f"<{t}>{escape(draw(xml_text))}</{t}>"
                         for t in draw(st.lists(tags, max_size=5)))
        people.append(f"<PERSON>{fields}</PERSON>")
    doc = "<?xml version='1.0' encoding='UTF-8'?>\n<PERSONEN>" + "".join(people) + "</PERSONEN>"
    raw = doc.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # damage it
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=30)) + raw[cut:]
    return raw


@HYP
@given(data=xml_bytes())
def test_xml_importer_never_crashes_and_accounts_for_every_row(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    consume(path)


# ---------------------------------------------------------------------------------------- attacks

def refused(path: Path) -> ImportFailure:
    with pytest.raises(ImportFailure) as info, open_source(path) as src:
        list(src)
    return info.value


def test_xxe_file_read_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                    "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>&xxe;</NAME></PERSON></PERSONEN>")
    exc = refused(path)
    assert exc.code == "xml-forbidden" and "TOP-SECRET" not in str(exc)


def test_undeclared_entity_without_doctype_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ent.xml"
    path.write_text("<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>&xxe;</NAME></PERSON></PERSONEN>")
    # an entity nobody declared is a well-formedness error: the file is refused as a whole, nothing is read
    assert refused(path).code == "xml-syntax"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    path = tmp_path / "lol.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{ents}]>\n'
                    "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>&lol9;</NAME></PERSON></PERSONEN>")
    assert refused(path).code == "xml-forbidden"


@pytest.fixture
def http_trap() -> tuple[str, list[str]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY x "pwned">')

        def log_message(self, *a: object) -> None:
            return None

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits  # type: ignore[misc]
    server.shutdown()


def test_dtd_network_fetch_is_refused(tmp_path: Path, http_trap: tuple[str, list[str]]) -> None:
    url, hits = http_trap
    path = tmp_path / "dtd.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE PERSONEN SYSTEM "{url}/evil.dtd">\n'
                    "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>&x;</NAME></PERSON></PERSONEN>")
    assert refused(path).code == "xml-forbidden"
    assert hits == []
    # a parameter entity inside an internal subset, the classic out-of-band exfiltration
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY % e SYSTEM "{url}/oob.dtd"> %e;]>\n'
                    "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL></PERSON></PERSONEN>")
    assert refused(path).code == "xml-forbidden"
    assert hits == []


def test_xinclude_is_not_processed(tmp_path: Path, http_trap: tuple[str, list[str]]) -> None:
    url, hits = http_trap
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xi.xml"
    path.write_text('<PERSONEN xmlns:xi="http://www.w3.org/2001/XInclude"><PERSON><EMAIL>a@b.de</EMAIL>'
                    f'<NAME><xi:include href="{secret}" parse="text"/></NAME>'
                    f'<VORNAME><xi:include href="{url}/x" parse="text"/></VORNAME></PERSON></PERSONEN>')
    try:
        with open_source(path) as src:
            contacts = list(src)
    except ImportFailure:
        contacts = []
    assert not any("TOP-SECRET" in repr(c) for c in contacts)
    assert hits == []


def test_doctype_hidden_behind_a_long_prolog_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.xml"
    path.write_text('<?xml version="1.0"?>\n' + "<!-- pad -->\n" * 6000
                    + '<!DOCTYPE p [<!ENTITY e "x">]><PERSONEN><PERSON><EMAIL>a@b.de</EMAIL></PERSON></PERSONEN>')
    exc = refused(path)
    assert exc.code in ("xml-forbidden", "xml-syntax")


def test_huge_text_node_is_handled(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("w") as fh:
        fh.write("<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL></PERSON><PERSON><EMAIL>b@b.de</EMAIL><NAME>")
        fh.write("x" * 12_000_000)
        fh.write("</NAME></PERSON><PERSON><EMAIL>c@b.de</EMAIL></PERSON></PERSONEN>")
    consume(path)  # refused or rows rejected; never a crash


def test_spreadsheets_are_refused_clearly_and_utf16_is_read(tmp_path: Path) -> None:
    for name, data in (("x.xlsx", b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"\x00" * 100),
                       ("x.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)):
        path = tmp_path / name
        path.write_bytes(data)
        assert refused(path).code == "unknown-format"
    path = tmp_path / "u16.csv"  # UTF-16 is text, not a foreign format: only the header-only file is refused
    path.write_bytes(codecs.BOM_UTF16_LE + "E-Mail;Newsletter\n".encode("utf-16-le"))
    assert refused(path).code == "header-only"


# ---------------------------------------------------------------------------------------- big file

BIG_MB = int(os.environ.get("KUFERTUI_BIG_FILE_MB", "50"))
_MEASURE = r"""
import resource, sys
from kufertui.kufer.reader import open_source
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open_source(sys.argv[1]) as src:
    n = sum(1 for _ in src)
    assert src.rows_read == src.contacts_read + len(src.errors)
    reasons = sorted({e.reason for e in src.errors})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n, src.rows_read, len(src.errors), ",".join(reasons), before // 1024, peak // 1024)
"""


def write_big_csv(path: Path, megabytes: int) -> int:
    """Mostly over-long lines (cheap to skip) with a few thousand real rows between them, one
    unclosed quote, and a single 8 MB line: the file is large, the expected rows are known."""
    rows = 0
    limit = megabytes * 1024 * 1024
    junk = b"x" * (1024 * 1024 + 10) + b"\r\n"  # longer than MAX_LINE_CHARS
    block = b"".join(f"{i};Müller;person{i}@example.org;J\r\n".encode() for i in range(2000))
    with path.open("wb") as fh:
        fh.write(b"TNR;Name;E-Mail;Newsletter\r\n")
        written = 0
        fh.write(b'9;"unclosed;quote@example.org;J\r\n')
        fh.write(b"y" * (8 * 1024 * 1024) + b"\r\n")
        written += 8 * 1024 * 1024
        while written < limit:
            fh.write(block)
            rows += 2000
            for _ in range(4):
                fh.write(junk)
            written += len(block) + 4 * len(junk)
    return rows


@pytest.mark.windows_incompatible(reason="the memory probe uses the resource module")
def test_big_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = write_big_csv(path, BIG_MB)
    size_mb = path.stat().st_size / 1024 / 1024
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    contacts, _rows_read, rejected, reasons, before_mb, peak_mb = proc.stdout.split()
    print(f"\nbig file {size_mb:.0f} MB: {contacts} contacts, {rejected} rejected ({reasons}); "
          f"RSS {before_mb} MB after imports, peak {peak_mb} MB")
    assert int(contacts) >= rows - 60  # the unclosed quote may swallow up to 50 following lines
    assert "line-too-long" in reasons
    assert int(peak_mb) - int(before_mb) < 80, "memory grows with the file"
