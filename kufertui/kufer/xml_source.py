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

from collections.abc import Iterator
from typing import Any

from lxml import etree

from kufertui.core.contact import Contact
from kufertui.core.fields import SYNONYM_INDEX, normalise_header
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.normalise import FIELD_ORDER, convert_cells
from kufertui.kufer.source import KuferFile
from kufertui.kufer.xml_guard import PROLOG_LIMIT as PROLOG_LIMIT
from kufertui.kufer.xml_guard import NameLimit, Utf8Reader, check_prolog
from kufertui.kufer.xml_guard import xml_codec as xml_codec

_PARSER_OPTS: dict[str, Any] = {
    "resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
    "huge_tree": False, "remove_comments": True, "remove_pis": True,
    "encoding": "utf-8",  # the parser gets UTF-8 from Utf8Reader: we choose the encoding, never the file
}
# a record past either limit is skipped as a row error; its elements are dropped while it is read
MAX_RECORD_ELEMENTS = 1000
MAX_RECORD_TEXT = 1 << 20
_KOMM_TAGS = {"KOMMUNIKATION", "KOMMUNIKATIONSEINTRAG"}


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
        reader = Utf8Reader(self.path, self._codec)
        names = NameLimit(self.path)
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
        self._reader = fh = Utf8Reader(self.path, self._codec)
        names = NameLimit(self.path)
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
