"""Issue 24.5: XML in an encoding we did not choose, and shapes that made the parser hold everything.

A UTF-7 prolog hid a DOCTYPE from the prolog check (the check read the bytes as Latin-1, libxml2 as UTF-7);
now only an allowlist of encodings is read, and the parser is told the one we chose. One start tag with 110
attributes of 9 MB each peaked at 1.96 GB; every shape is now held under 300 MB RSS (measured in a
subprocess, as in test_xml_memory), with a clear error for what is too large. The files are generated."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from peak_memory import PEAK_MB

from kufertui import i18n
from kufertui.kufer import ImportFailure
from kufertui.kufer.xml_source import XmlFile

RSS_BOUND_MB = 300
ADDRESS_SPACE_CAP = 2 << 30

READER = PEAK_MB + """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from kufertui.kufer import ImportFailure
from kufertui.kufer.xml_source import XmlFile
try:
    source = XmlFile(sys.argv[1])
    outcome = {"contacts": [c.email for c in source]}
except ImportFailure as exc:
    outcome = {"refused": exc.code, "params": {k: str(v) for k, v in exc.params.items()}}
except MemoryError:
    outcome = {"refused": "MemoryError"}
outcome["peak_mb"] = peak_mb()
print(json.dumps(outcome))
"""

GOOD = b"<PERSON><EMAIL>ok@example.org</EMAIL></PERSON>"


def read_in_subprocess(path: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", READER, str(path), str(ADDRESS_SPACE_CAP)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def write(path: Path, parts: Iterator[bytes]) -> Path:
    with path.open("wb") as fh:
        fh.write(b"<?xml version='1.0' encoding='UTF-8'?><PERSONEN>" + GOOD)
        for part in parts:
            fh.write(part)
        fh.write(GOOD + b"</PERSONEN>")
    return path


def huge_attributes() -> Iterator[bytes]:
    """One start tag, 40 attributes of 9 MB each (the review's file had 110)."""
    value = b"x" * (9 << 20)
    yield b"<PERSON"
    for n in range(40):
        yield b' a%d="' % n + value + b'"'
    yield b"><EMAIL>a@b.de</EMAIL></PERSON>"


def many_attributes() -> Iterator[bytes]:
    """One start tag with three million small attributes."""
    yield b"<PERSON"
    for block in range(30):
        yield b"".join(b' a%d="1"' % (block * 100_000 + n) for n in range(100_000))
    yield b"><EMAIL>a@b.de</EMAIL></PERSON>"


def _distinct(template: bytes) -> Iterator[bytes]:
    """8000 siblings, each with a 40 KB name of its own (the parser keeps every name it ever saw)."""
    filler = b"x" * 40_000
    for n in range(0, 8000, 100):
        yield b"".join(template % (b"N%05d" % (n + i) + filler) for i in range(100))


SHAPES: dict[str, Callable[[], Iterator[bytes]]] = {
    "one tag, 40 attributes of 9 MB": huge_attributes,
    "one tag, 3 million attributes": many_attributes,
    "8000 tag names of 40 KB": lambda: _distinct(b"<%s/>"),
    "8000 attribute names of 40 KB": lambda: _distinct(b'<x %s="1"/>'),
    "8000 namespaces of 40 KB": lambda: _distinct(b'<x xmlns:p="urn:%s"/>'),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_is_refused_in_bounded_memory(tmp_path: Path, shape: str) -> None:
    path = write(tmp_path / "hostile.xml", SHAPES[shape]())
    assert path.stat().st_size > 25_000_000
    out = read_in_subprocess(path)
    assert out.get("refused") in ("xml-value-too-large", "xml-too-many-names"), out
    assert out["peak_mb"] < RSS_BOUND_MB, out["peak_mb"]
    assert str(path) in str(out["params"])


def test_the_refusals_say_what_is_too_large() -> None:
    for lang in ("de", "en"):
        big = i18n.t("import.fail.xml-value-too-large", lang, path="k.xml", limit="1 MB", offset=17)
        names = i18n.t("import.fail.xml-too-many-names", lang, path="k.xml", limit=2000)
        assert "k.xml" in big and "1 MB" in big and "17" in big and "2000" in names.replace(".", "").replace(",", "")


def utf7(text: str) -> str:
    """Text in UTF-7's base64 form, which no Latin-1 reader sees as markup."""
    return "+" + base64.b64encode(text.encode("utf-16-be")).decode("ascii").rstrip("=") + "-"


def test_a_utf7_prolog_cannot_hide_a_doctype(tmp_path: Path) -> None:
    hidden = '?><!DOCTYPE p [<!ENTITY e "INJECTED">]><?x '
    path = tmp_path / "utf7.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-7"?><?x ' + utf7(hidden) + "?>"
                    "<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>&e;</NAME></PERSON></PERSONEN>", encoding="ascii")
    with pytest.raises(ImportFailure) as info:
        XmlFile(str(path))
    assert info.value.code == "xml-encoding" and info.value.params["encoding"] == "UTF-7"
    assert "UTF-8" in i18n.t("import.fail.xml-encoding", "en", **info.value.params)


@pytest.mark.parametrize("declared", ["UTF-7", "ebcdic-cp-us", "x-mac-roman", "UTF-16", "bogus\x1b[2J"])
def test_other_encodings_are_refused(tmp_path: Path, declared: str) -> None:
    path = tmp_path / "other.xml"  # an ASCII-family file: a UTF-16 declaration does not fit it either
    path.write_bytes(f'<?xml version="1.0" encoding="{declared}"?><P><PERSON><EMAIL>a@b.de</EMAIL></PERSON></P>'
                     .encode("latin-1"))
    with pytest.raises(ImportFailure) as info:
        XmlFile(str(path))
    assert info.value.code == "xml-encoding"
    assert "\x1b" not in info.value.params["encoding"]


@pytest.mark.parametrize(("declared", "codec", "bom"), [
    ("UTF-8", "utf-8", b""), ("utf-8", "utf-8", b"\xef\xbb\xbf"), ("US-ASCII", "ascii", b""),
    ("ISO-8859-1", "latin-1", b""), ("ISO-8859-15", "iso8859-15", b""), ("windows-1252", "cp1252", b""),
    ("UTF-16", "utf-16-le", b"\xff\xfe"), ("UTF-16", "utf-16-be", b""), ("UTF-32", "utf-32-le", b""),
    ("", "utf-8", b""),
])
def test_the_allowed_encodings_read_as_declared(tmp_path: Path, declared: str, codec: str, bom: bytes) -> None:
    name = "Weiß" if codec == "ascii" else ("Weiß €" if codec in ("cp1252", "iso8859-15", "utf-8") else "Weiß")
    name = "Weiss" if codec == "ascii" else name
    decl = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    path = tmp_path / "ok.xml"
    path.write_bytes(bom + f"{decl}<PERSONEN><PERSON><EMAIL>a@b.de</EMAIL><NAME>{name}</NAME></PERSON></PERSONEN>"
                     .encode(codec))
    assert [(c.email, c.last_name) for c in XmlFile(str(path))] == [("a@b.de", name)]


def test_a_file_not_in_its_declared_encoding_is_refused_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "lying.xml"
    path.write_bytes('<?xml version="1.0" encoding="windows-1252"?><P><PERSON><EMAIL>a@b.de</EMAIL>'
                     "<NAME>QQ</NAME></PERSON></P>".encode("cp1252").replace(b"QQ", b"\x81"))  # not in cp1252
    with pytest.raises(ImportFailure) as info:
        list(XmlFile(str(path)))
    assert info.value.code == "xml-encoding"
