"""What a KUFER XML file must be before the parser builds anything from it: an allowed encoding (told by its
signature and declaration: xml_codec), a prolog without DOCTYPE or ENTITY (check_prolog), runs without a "<"
and distinct names within bounds while it is read (Utf8Reader, NameLimit). The records: xml_source.py."""

from __future__ import annotations

import codecs
import re
from typing import Any

from kufertui.kufer.errors import ImportFailure
from kufertui.kufer.textcodec import BOMS

PROLOG_LIMIT = 1 << 16
_DECL = re.compile(r"<!\s*([A-Za-z]+)")
# what refuses the whole file, because the parser would hold it in memory before we see a record: a start tag
# with its attributes (or one text value) longer than this, and more distinct names (tags, attributes,
# namespaces; the parser keeps every one for good) than these
MAX_SPAN = 1 << 20
MAX_NAMES = 2000
MAX_NAME_BYTES = 1 << 18

# What a KUFER XML file may be in (KUFER and the web shops feeding it write UTF-8; exports from Windows tools
# Windows-1252 or Latin-1). Anything else – UTF-7 above all, which can hide a DOCTYPE from the check below –
# is refused. Names as Python's codecs call them.
ALLOWED_ENCODINGS = frozenset({"utf-8", "ascii", "iso8859-1", "iso8859-15", "cp1252",
                               "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
_BYTE_ENCODINGS = frozenset({"utf-8", "ascii", "iso8859-1", "iso8859-15", "cp1252"})
_ENCODING_DECL = re.compile(r"""\bencoding\s*=\s*(["'])(.*?)\1""", re.S)

# (signature, codec) for XML's encoding detection (spec appendix F): the byte-order marks (textcodec.BOMS), then
# the NUL bytes around the "<" that begins a document without a mark, longest first
_MARKS = frozenset(bom for bom, _, _ in BOMS)
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    *((bom, after) for bom, _, after in BOMS),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
)


def _family(codec: str) -> str:
    return "utf-32" if codec.startswith("utf-32") else "utf-16" if codec.startswith("utf-16") else "byte"


def xml_codec(path: str, head: bytes) -> str:
    """The codec the file is read with: told by its signature (BOM or the NULs of UTF-16/32) and its
    declaration, which must name an allowed encoding of the same family; ImportFailure("xml-encoding")."""
    codec, bom = "utf-8", False
    for signature, found in _SIGNATURES:
        if head.startswith(signature):
            codec, bom = found, signature in _MARKS
            break
    text = codecs.getincrementaldecoder(codec)("replace").decode(head[:4096], final=False).lstrip("\ufeff")
    declared = ""
    if text.startswith("<?xml"):
        match = _ENCODING_DECL.search(text, 0, text.find("?>") if "?>" in text else len(text))
        declared = match.group(2) if match else ""
    if not declared:
        return codec  # the family's default: UTF-8, or the UTF-16/32 the signature shows
    shown = declared if re.fullmatch(r"[A-Za-z0-9._:-]{1,40}", declared) else repr(declared[:40])
    try:
        named = codecs.lookup(declared).name
    except LookupError:
        raise ImportFailure("xml-encoding", path=path, encoding=shown) from None
    if named not in ALLOWED_ENCODINGS or _family(named) != _family(codec) or \
            (bom and codec == "utf-8" and named not in ("utf-8", "ascii")):
        raise ImportFailure("xml-encoding", path=path, encoding=shown)
    return codec if _family(codec) != "byte" else named


class Utf8Reader:
    """The file as UTF-8 in the codec chosen by xml_codec (the parser is told UTF-8, so it never reads a
    declaration itself), counting the bytes handed over (tell() per element was too slow) and refusing a
    run of more than MAX_SPAN bytes without a ``<``: a start tag and all its attributes (no attribute
    value may hold a ``<``), or one text value, which the parser would hold whole in memory."""

    def __init__(self, path: str, codec: str) -> None:
        self.path = path
        self._fh = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._decoder = None if codec == "utf-8" else codecs.getincrementaldecoder(codec)("strict")
        self._codec = codec
        self._first = True
        self.consumed = 0
        self._since = 0  # bytes since the last "<"
        self.attributes_possible = False  # an "=" was seen: attribute names are then counted per element

    def read(self, size: int = -1) -> bytes:
        size = size if size and size > 0 else 1 << 16
        while True:
            raw = self._fh.read(size)
            if self._decoder is None:
                data = raw
            else:
                try:
                    data = self._decoder.decode(raw, final=not raw).encode("utf-8")
                except UnicodeDecodeError:
                    raise ImportFailure("xml-encoding", path=self.path, encoding=self._codec) from None
            if self._first and data:
                data = data.removeprefix(codecs.BOM_UTF8)  # the UTF-8 BOM (or the decoded UTF-16/32 one)
                self._first = False
            if data or not raw:
                break
        self._bound(data)
        self.consumed += len(data)
        return data

    def _bound(self, data: bytes) -> None:
        first = data.find(b"<")
        if first < 0:
            self._since += len(data)
            too_long = self._since > MAX_SPAN
        else:
            too_long = self._since + first > MAX_SPAN
            last = data.rfind(b"<")
            pos = first
            while not too_long and len(data) > MAX_SPAN and pos < last:  # lxml reads 32 KB: only for big reads
                pos = data.rfind(b"<", pos + 1, pos + MAX_SPAN + 2)  # the farthest "<" within reach
                too_long = pos < 0
            self._since = len(data) - last - 1
        if too_long:
            raise ImportFailure("xml-value-too-large", path=self.path, limit=f"{MAX_SPAN // (1 << 20)} MB",
                                offset=self.consumed)
        if not self.attributes_possible and b"=" in data:
            declaration = data.find(b"?>") + 2 if self.consumed == 0 and data.startswith(b"<?xml") else 0
            self.attributes_possible = b"=" in data[declaration:]  # version="1.0" is no attribute

    def close(self) -> None:
        self._fh.close()


class NameLimit:
    """Distinct tag, attribute and namespace names: the parser keeps each one for the life of the thread,
    so a file of ever new names would grow without bound. Past MAX_NAMES or MAX_NAME_BYTES it is refused."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[Any] = set()
        self.size = 0

    def add(self, name: Any) -> None:
        if name in self.seen:
            return
        self.seen.add(name)
        self.size += len(str(name))
        if len(self.seen) > MAX_NAMES or self.size > MAX_NAME_BYTES:
            raise ImportFailure("xml-too-many-names", path=self.path, limit=MAX_NAMES)

    def element(self, elem: Any, reader: Utf8Reader) -> None:
        tag = elem.tag
        if tag not in self.seen:
            self.add(tag)
        if reader.attributes_possible:
            for key in elem.keys():  # noqa: SIM118 - an element iterates its children, not its attributes
                if key not in self.seen:
                    self.add(key)


def _prolog_text(head: bytes, codec: str) -> str:
    """The head as text in the codec the parser will be given (an incomplete last character dropped)."""
    return codecs.getincrementaldecoder(codec)("replace").decode(head, final=False).lstrip("\ufeff")


def check_prolog(path: str) -> str:
    """Refuse a file in an encoding not allowed, and DOCTYPE/ENTITY declarations in any encoding (they can
    only stand before the root element). Returns the codec the file is read with."""
    with open(path, "rb") as fh:
        head = fh.read(PROLOG_LIMIT)
    codec = xml_codec(path, head)
    text = _prolog_text(head, codec)
    pos = 0
    size = len(text)
    while True:
        while pos < size and text[pos] in " \t\r\n":
            pos += 1
        if pos >= size:
            if len(head) >= PROLOG_LIMIT:
                raise ImportFailure("xml-syntax", path=path, line=1, detail="prolog too long")
            raise ImportFailure("empty-file", path=path)
        if text.startswith("<?", pos):
            closer = "?>"
        elif text.startswith("<!--", pos):
            closer = "-->"
        elif text.startswith("<!", pos):
            match = _DECL.match(text, pos)
            construct = match.group(1).upper() if match else "DECLARATION"
            raise ImportFailure("xml-forbidden", path=path, construct=construct)
        elif text.startswith("<", pos):
            return codec
        else:
            raise ImportFailure("xml-syntax", path=path, line=1, detail="no root element")
        end = text.find(closer, pos)
        if end < 0:
            raise ImportFailure("xml-syntax", path=path, line=1, detail="unterminated prolog")
        pos = end + len(closer)
