"""Streaming reader for KUFER XML: registration style and flat one-element-per-person exports.

Registration style (what KuferSQL imports from web shops)::

    <ANMELDUNGEN><ANMELDUNG><STAMMDATEN>
      <TNR>4711</TNR><NAME_TITEL>Frau</NAME_TITEL><TITEL>Dr.</TITEL><VORNAME>Jörg</VORNAME><NAME>Weiß</NAME>
      <STRASSE>…</STRASSE><ORT>12345 Musterstadt</ORT><GESCHLECHT>W</GESCHLECHT>
      <GEBDATUM>01.02.1970</GEBDATUM>
      <NEWSLETTER>J</NEWSLETTER><DOZENT>N</DOZENT><FACHBEREICH>Sprachen</FACHBEREICH>
      <KOMMUNIKATION>
        <KOMMUNIKATIONSEINTRAG><KOMMART>E</KOMMART><KOMMBEZ>eMail</KOMMBEZ><KOMMWERT>a@b.de</KOMMWERT>
        </KOMMUNIKATIONSEINTRAG>
      </KOMMUNIKATION>
    </STAMMDATEN></ANMELDUNG></ANMELDUNGEN>

The newsletter status is the element NEWSLETTER (synonyms NL_STATUS, VERTEILER, like the CSV headers).
Flat style: ``<PERSONEN><PERSON><EMAIL>…</EMAIL><VORNAME>…</VORNAME>…</PERSON></PERSONEN>``, child tags named
like CSV headers. Shapes are told apart by a STAMMDATEN child in the first record.

Security: a DOCTYPE or ENTITY declaration in the prolog is refused before lxml sees the file; the
parser runs with entities unresolved, no DTD loading and no network.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from kufertui.core.contact import Contact
from kufertui.core.fields import SYNONYM_INDEX, normalise_header
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.normalise import FIELD_ORDER, convert_cells
from kufertui.kufer.source import KuferFile
from kufertui.kufer.textcodec import BOMS

PROLOG_LIMIT = 1 << 16
_PARSER_OPTS: dict[str, Any] = {
    "resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
    "huge_tree": False, "remove_comments": True, "remove_pis": True,
    "encoding": "utf-8",  # the parser gets UTF-8 from _Utf8Reader: we choose the encoding, never the file
}
_DECL = re.compile(r"<!\s*([A-Za-z]+)")
# a record past either limit is skipped as a row error; its elements are dropped while it is read
MAX_RECORD_ELEMENTS = 1000
MAX_RECORD_TEXT = 1 << 20
# what refuses the whole file, because the parser would hold it in memory before we see a record: a start tag
# with its attributes (or one text value) longer than this, and more distinct names (tags, attributes,
# namespaces; the parser keeps every one for good) than these
MAX_SPAN = 1 << 20
MAX_NAMES = 2000
MAX_NAME_BYTES = 1 << 18
_KOMM_TAGS = {"KOMMUNIKATION", "KOMMUNIKATIONSEINTRAG"}

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


class _Utf8Reader:
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


class _Names:
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

    def element(self, elem: Any, reader: _Utf8Reader) -> None:
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


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) and tag.startswith("{") else str(tag)


class XmlFile(KuferFile):
    """KuferFile for XML (see kufertui.kufer.source.KuferFile for the attributes)."""

    def __init__(self, path: str, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path)
        self.encoding = "xml"
        self._overrides = mapping or {}
        self._tagmap: dict[str, str | None] = {}
        self._iterated = False
        self._codec = check_prolog(path)
        root_tag, record_tag, record = self._peek()
        self._record_tag = record_tag
        self.root_tag = _local(root_tag)
        has_stamm = any(_local(c.tag).upper() == "STAMMDATEN" for c in record)
        self.format = "xml-registration" if has_stamm else "xml-flat"
        self.record_tag = _local(record_tag)
        data = self._data_element(record)
        tags = [_local(c.tag) for c in data]
        for child in data:
            self._field(child.tag)
        has_komm = any(_local(c.tag).upper() in _KOMM_TAGS for c in record.iter())
        if not has_komm and not any(self._field(t) == "email" for t in tags):
            raise ImportFailure("no-email-column", path=path, columns=list(dict.fromkeys(tags)))

    def _peek(self) -> tuple[str, str, Any]:
        """The root tag and the first record; a huge first record is looked at only up to the limits."""
        depth = 0
        root_tag = ""
        first: Any = None
        seen = text = started = 0
        reader = _Utf8Reader(self.path, self._codec)
        names = _Names(self.path)
        try:
            for event, elem in etree.iterparse(reader, events=("start", "end", "start-ns"), **_PARSER_OPTS):
                if event == "start-ns":
                    names.add(elem)
                    continue
                if event == "start":
                    names.element(elem, reader)
                    if depth == 0:
                        root_tag = elem.tag
                    elif depth == 1:
                        first, started = elem, reader.consumed
                    depth += 1
                    continue
                depth -= 1
                if depth == 1:
                    return root_tag, elem.tag, elem
                seen += 1
                text += len(elem.text or "") + len(elem.tail or "")
                if first is not None and (seen > MAX_RECORD_ELEMENTS or text > MAX_RECORD_TEXT
                                          or reader.consumed - started > MAX_RECORD_TEXT):
                    return root_tag, first.tag, first
        except etree.XMLSyntaxError as exc:
            raise ImportFailure("xml-syntax", path=self.path, line=exc.lineno, detail=exc.msg) from None
        finally:
            reader.close()
        raise ImportFailure("empty-file", path=self.path)

    @staticmethod
    def _data_element(record: Any) -> Any:
        for child in record:
            if _local(child.tag).upper() == "STAMMDATEN":
                return child
        return record

    def _field(self, tag: str) -> str | None:
        try:
            return self._tagmap[tag]
        except KeyError:
            pass
        name = _local(tag)
        if name in self._overrides:
            found: str | None = self._overrides[name] or None
        elif name.upper() in _KOMM_TAGS:
            found = None
        else:
            found = SYNONYM_INDEX.get(normalise_header(name))
        self._tagmap[tag] = found
        if found:
            self.mapping[name] = found
        elif name.upper() not in _KOMM_TAGS and name not in self.unmapped:
            self.unmapped.append(name)
        return found

    def __iter__(self) -> Iterator[Contact]:
        if self._iterated:
            raise RuntimeError("a KuferFile can be iterated once")
        self._iterated = True
        slots: dict[str, int] = {}
        index = {f: i for i, f in enumerate(FIELD_ORDER)}
        width = len(FIELD_ORDER)

        def slot_of(tag: str) -> int:
            field_id = self._field(tag)
            slots[tag] = index[field_id] if field_id else -1
            return slots[tag]

        errors = self.errors
        flag_counts = self.flag_counts
        stamm_first = self.format == "xml-registration"
        # every element is seen (not only records) so that nothing piles up: non-record siblings are
        # dropped at once, and a record's elements are dropped as they end once it is past the limits
        # A record's size is measured in bytes the parser has read since the previous one (cheap, and
        # exact to one 32 KB read), its elements by counting.
        self._reader = fh = _Utf8Reader(self.path, self._codec)
        names = _Names(self.path)
        known = names.seen  # the per-element check inlined: this loop runs for millions of elements
        context = etree.iterparse(fh, events=("end", "start-ns"), **_PARSER_OPTS)
        root: Any = None
        seen = 0
        started_at = 0
        too_large = False
        try:
            for event, elem in context:
                if event == "start-ns":
                    names.add(elem)
                    continue
                if elem.tag not in known or fh.attributes_possible:
                    names.element(elem, fh)
                parent = elem.getparent()
                if parent is None:  # the root itself
                    continue
                if root is None:
                    root = elem.getroottree().getroot()
                if parent is not root:  # inside a record (or inside another child of the root)
                    seen += 1
                    if too_large or seen > MAX_RECORD_ELEMENTS or fh.consumed - started_at > MAX_RECORD_TEXT:
                        too_large = True
                        elem.clear(keep_tail=False)
                        parent.remove(elem)
                    continue
                record_size, oversized = seen, too_large
                seen = 0
                started_at = fh.consumed
                too_large = False
                if elem.tag != self._record_tag:
                    self._drop(elem)
                    continue
                if oversized:
                    self.rows_read += 1
                    errors.append(RowError(elem.sourceline or 0, "record-too-large",
                                           f"> {min(record_size, MAX_RECORD_ELEMENTS)} elements / "
                                           f"{MAX_RECORD_TEXT // 1024} KB"))
                    self._drop(elem)
                    continue
                data = elem
                if stamm_first:
                    for child in elem:
                        if child.tag == "STAMMDATEN":
                            data = child
                            break
                cells = [""] * width
                extra: list[str] = []
                for child in data:
                    tag = child.tag
                    slot = slots[tag] if tag in slots else slot_of(tag)
                    if slot < 0:
                        if tag == "KOMMUNIKATION":
                            extra.extend(self._emails(child))
                        continue
                    text = child.text
                    if not text:
                        continue
                    if cells[slot]:
                        if slot == 0:
                            extra.append(text)
                    else:
                        cells[slot] = text
                if not cells[0] and extra:
                    cells[0] = extra.pop(0)
                line = elem.sourceline or 0
                self.rows_read += 1
                flags: list[str] = []
                result = convert_cells(cells, line, extra or None, flags)
                self._drop(elem)
                if isinstance(result, RowError):
                    errors.append(result)
                    continue
                if flags:
                    flag_counts.update(flags)
                self.contacts_read += 1
                yield result
        except etree.XMLSyntaxError as exc:
            raise ImportFailure("xml-syntax", path=self.path, line=exc.lineno, detail=exc.msg) from None
        finally:
            self.close()

    @staticmethod
    def _drop(elem: Any) -> None:
        """Free a finished child of the root, and everything before it."""
        elem.clear(keep_tail=False)
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]
            parent.remove(elem)

    def close(self) -> None:
        reader = getattr(self, "_reader", None)
        if reader is not None:
            reader.close()

    def _emails(self, komm: Any) -> list[str]:
        found: list[str] = []
        for entry in komm:
            kind = value = ""
            for part in entry:
                tag = part.tag
                if tag == "KOMMART":
                    kind = (part.text or "").strip().upper()
                elif tag == "KOMMWERT":
                    value = (part.text or "").strip()
            if value and (kind == "E" or (not kind and "@" in value)):
                found.append(value)
        if found:
            self.mapping.setdefault("KOMMUNIKATION/KOMMART=E", "email")
        return found
