"""Streaming reader for KUFER CSV exports.

Bytes are read line by line with a length limit (bounded memory whatever the file), each line is
decoded on its own (UTF-8 first, Windows-1252 as fallback, so a file with mixed encodings still
shows its umlauts), and the decoded lines are fed to one `csv.reader` in strict mode. A quoted
field may span lines, but only up to MAX_CONTINUATION_LINES: an unclosed quote is cut there, the
row is rejected as "broken-quotes" and the swallowed lines are read again as rows of their own.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import Iterator
from typing import IO, NamedTuple

from kufertui.core.contact import Contact
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.normalise import build_contact
from kufertui.kufer.source import KuferFile, map_columns

MAX_LINE_BYTES = 1 << 20  # one physical line; a KUFER contact row is a few hundred bytes
MAX_CONTINUATION_LINES = 50  # lines a quoted field may span before the quote counts as broken
SAMPLE_BYTES = 1 << 16
DELIMITERS = (";", ",", "\t")
_TERMINATOR = '"\n'  # closes an open quoted field, ending the row (strict mode)

if csv.field_size_limit() < MAX_LINE_BYTES + 1:
    csv.field_size_limit(MAX_LINE_BYTES + 1)


class _Line(NamedTuple):
    number: int
    text: str | None  # None: the line is unusable (see bad)
    mixed: bool  # decoded in the other encoding than the file's
    bad: str  # "" or a RowError reason
    size: int


def detect_encoding(sample: bytes) -> str:
    """"utf-8-sig" (BOM), "utf-8" (valid UTF-8 or plain ASCII) or "cp1252" (Windows-1252)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFailure("unknown-format", detail="utf-16")
    try:
        codecs.utf_8_decode(sample, "strict", False)  # final=False: a cut multibyte char at the end is ok
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(header: str) -> str:
    """The most frequent of ; , TAB in the header line (ties: ; before , before TAB)."""
    counts = [(header.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else ";"


class CsvFile(KuferFile):
    format = "csv"

    def __init__(self, path: str, fh: IO[bytes], encoding: str | None = None, delimiter: str | None = None,
                 mapping: dict[str, str] | None = None) -> None:
        super().__init__(path)
        self._fh = fh
        self._pending: deque[_Line] = deque()
        self._phys = 0
        self._open = False
        self._broken = False
        self._mixed = False
        self._row_start = 0
        self._continued: list[_Line] = []
        self.mixed_lines = 0
        sample = fh.read(SAMPLE_BYTES)
        if not sample.strip():
            raise ImportFailure("empty-file", path=path)
        self._forced = encoding
        self.encoding = encoding or detect_encoding(sample)
        self._utf8 = self.encoding.replace("_", "-").lower().startswith("utf-8")
        fh.seek(3 if sample.startswith(codecs.BOM_UTF8) else 0)
        first = self._next_nonblank()
        if first is None:
            raise ImportFailure("empty-file", path=path)
        if first.text is None:
            raise ImportFailure("unknown-format", path=path, detail="binary")
        self.delimiter = delimiter or detect_delimiter(first.text)
        self._pending.appendleft(first)
        self._reader = csv.reader(self._records(), delimiter=self.delimiter, quotechar='"', strict=True)
        try:
            header = next(self._reader)
        except csv.Error as exc:
            raise ImportFailure("unknown-format", path=path, detail=f"header: {exc}") from None
        self._open = False
        self._broken = False
        self.columns = [h.strip() for h in header]
        self._pairs, self._extra_email, self.mapping, self.unmapped = map_columns(self.columns, mapping)
        if not any(f == "email" for _, f in self._pairs):
            raise ImportFailure("no-email-column", path=path, columns=[c for c in self.columns if c])
        peek = self._next_nonblank()
        if peek is None:
            raise ImportFailure("header-only", path=path, columns=[c for c in self.columns if c])
        self._pending.appendleft(peek)
        self._iterated = False

    # ---- physical lines ---------------------------------------------------------------------------
    def _read_line(self) -> _Line | None:
        if self._pending:
            return self._pending.popleft()
        raw = self._fh.readline(MAX_LINE_BYTES)
        if not raw:
            return None
        self._phys += 1
        number = self._phys
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size = len(raw)
            while True:  # skip the rest of the line without keeping it
                chunk = self._fh.readline(MAX_LINE_BYTES)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            return _Line(number, None, False, "line-too-long", size)
        if b"\x00" in raw:
            return _Line(number, None, False, "nul-byte", len(raw))
        if raw.isascii():
            return _Line(number, raw.decode("ascii"), False, "", len(raw))
        if self._forced:
            return _Line(number, raw.decode(self._forced, "replace"), False, "", len(raw))
        try:
            return _Line(number, raw.decode("utf-8"), not self._utf8, "", len(raw))
        except UnicodeDecodeError:
            return _Line(number, raw.decode("cp1252", "replace"), self._utf8, "", len(raw))

    def _next_nonblank(self) -> _Line | None:
        while True:
            line = self._read_line()
            if line is None or line.text is None or not line.text.isspace():
                return line

    def _records(self) -> Iterator[str]:
        """Feed csv.reader: one record per row, continuation lines only inside an open quote."""
        read = self._read_line
        while True:
            line = read()
            if self._open:  # csv wants more: a quoted field spans lines
                if line is None or line.text is None or len(self._continued) >= MAX_CONTINUATION_LINES:
                    self._broken = True
                    if line is not None:
                        self._continued.append(line)
                    self._pending.extendleft(reversed(self._continued))
                    self._continued = []
                    yield _TERMINATOR
                    continue
                self._continued.append(line)
                self._mixed = self._mixed or line.mixed
                yield line.text
                continue
            if line is None:
                return
            if line.text is None:
                self.rows_read += 1
                self.errors.append(RowError(line.number, line.bad, str(line.size)))
                continue
            if line.text.isspace():
                continue
            self._open = True
            self._row_start = line.number
            self._continued = []
            self._mixed = line.mixed
            yield line.text

    # ---- rows ---------------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Contact]:
        if self._iterated:
            raise RuntimeError("a KuferFile can be iterated once")
        self._iterated = True
        try:
            while True:
                try:
                    yield from self._rows()
                    return
                except csv.Error as exc:
                    self._open = False
                    self._broken = False
                    if self._continued:  # read the lines the bad quote swallowed again, as rows
                        self._pending.extendleft(reversed(self._continued))
                        self._continued = []
                    text = str(exc)
                    reason = "line-too-long" if "field limit" in text else "broken-quotes"
                    self.rows_read += 1
                    self.errors.append(RowError(self._row_start, reason, text))
        finally:
            self.close()

    def _rows(self) -> Iterator[Contact]:
        pairs = self._pairs
        extra_idx = self._extra_email
        width = len(self.columns)
        errors = self.errors
        flag_counts = self.flag_counts
        for row in self._reader:
            self._open = False
            line = self._row_start
            if self._broken:
                self._broken = False
                self.rows_read += 1
                errors.append(RowError(line, "broken-quotes", f"unclosed quote from line {line}"))
                continue
            n = len(row)
            values: dict[str, str] = {}
            for idx, field_id in pairs:
                if idx < n:
                    cell = row[idx].strip()
                    if cell:
                        values[field_id] = cell
            if not values and not any(c.strip() for c in row):
                continue  # blank row (";;;;")
            flags: list[str] = []
            if self._mixed:
                flags.append("mixed-encoding")
                self.mixed_lines += 1
            if n > width and any(c.strip() for c in row[width:]):
                flags.append("extra-columns")
            extra = [row[i].strip() for i in extra_idx if i < n] if extra_idx else None
            self.rows_read += 1
            result = build_contact(values, line, extra, flags)
            if isinstance(result, RowError):
                errors.append(result)
                continue
            if flags:
                flag_counts.update(flags)
            self.contacts_read += 1
            yield result

    def close(self) -> None:
        self._fh.close()
