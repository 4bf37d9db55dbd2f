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
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, count, repeat
from operator import itemgetter
from typing import IO, Any, NamedTuple

from kufertui.core.contact import Contact
from kufertui.core.validation import has_not_xml_chars
from kufertui.kufer.block import Run, block_runs
from kufertui.kufer.csv_detect import check_forced_encoding, detect_delimiter, detect_encoding, encoding_family
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.normalise import FIELD_ORDER, convert_cells, convert_values
from kufertui.kufer.source import KuferFile, map_columns

MAX_LINE_CHARS = 1 << 20  # one physical line; a KUFER contact row is a few hundred characters
MAX_CONTINUATION_LINES = 50  # lines a quoted field may span before the quote counts as broken
BLOCK_LINES = 256  # lines checked and parsed at once where each is a row of its own (CsvFile._block)
SAMPLE_BYTES = 1 << 16
_TERMINATOR = '"\n'  # closes an open quoted field, ending the row (strict mode)

if csv.field_size_limit() < MAX_LINE_CHARS + 1:
    csv.field_size_limit(MAX_LINE_CHARS + 1)


# A physical line: (number, text or None when unusable, decoded in the other encoding?, bad reason, size)
_Line = tuple[int, str | None, bool, str, int]
_SUSPECT_CHARS = "ÃÂÄÅâ"  # lead bytes of UTF-8 sequences as Windows-1252 shows them
_SUSPECT_CP1252 = re.compile(f"[{_SUSPECT_CHARS}]")
_SURROGATE = re.compile("[\udc80-\udcff]")  # undecodable bytes kept by surrogateescape
# Excel's first line naming the delimiter ("sep=;"); not part of the data
_SEP_LINE = re.compile(r'\s*"?sep=([;,\t|])"?\s*', re.IGNORECASE)


def _encodes(text: str) -> bool:
    """Whether ``text`` holds no surrogate (an undecodable byte kept by surrogateescape): faster than _SURROGATE on a
    long text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
        if encoding:
            encoding = check_forced_encoding(path, sample, encoding)
        self.encoding = encoding or detect_encoding(sample)
        wide = bool(encoding_family(self.encoding))
        self._forced = encoding or (self.encoding if wide else None)  # lines come decoded as they are
        self._utf8 = self.encoding.replace("_", "-").lower().startswith("utf-8")
        fh.seek(3 if sample.startswith(codecs.BOM_UTF8) else 0)
        decoding = self._forced or ("utf-8" if self._utf8 else "cp1252")
        self._text = io.TextIOWrapper(fh, encoding=decoding,
                                      errors="replace" if self._forced else "surrogateescape", newline="")
        self._readline = self._text.readline
        first = self._next_nonblank()
        sep = _SEP_LINE.fullmatch(first[1]) if first is not None and first[1] is not None else None
        if sep is not None:  # Excel's "sep=;" names the delimiter (a profile's still wins); the header follows
            delimiter = delimiter or sep.group(1)
            first = self._next_nonblank()
        if first is None:
            raise ImportFailure("empty-file", path=path)
        if first[1] is None:
            raise ImportFailure("unknown-format", path=path, detail="binary")
        self.delimiter = delimiter or detect_delimiter(first[1])
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
        text = self._readline(MAX_LINE_CHARS)
        if not text:
            return None
        self._phys += 1
        return self._check(self._phys, text)

    def _check(self, number: int, text: str) -> _Line:
        """Slow path for a line that is long, has NUL bytes or non-ASCII characters."""
        if len(text) >= MAX_LINE_CHARS and text[-1] not in "\r\n":
            size = len(text)
            while True:  # skip the rest of the line without keeping it
                chunk = self._readline(MAX_LINE_CHARS)
                size += len(chunk)
                if not chunk or chunk[-1] in "\r\n":
                    break
            return (number, None, False, "line-too-long", size)
        if "\x00" in text:
            return (number, None, False, "nul-byte", len(text))
        if text.isascii() or self._forced:
            return (number, text, False, "", len(text))
        if self._utf8:
            if _SURROGATE.search(text) is None:
                return (number, text, False, "", len(text))
            raw = text.encode("utf-8", "surrogateescape")
            return (number, raw.decode("cp1252", "replace"), True, "", len(raw))
        if _SUSPECT_CP1252.search(text) is not None:
            try:
                fixed = text.encode("cp1252", "surrogateescape").decode("utf-8")
            except UnicodeError:
                pass
            else:
                return (number, fixed, True, "", len(text))
        return (number, text, False, "", len(text))

    def _next_nonblank(self) -> _Line | None:
        while True:
            line = self._read_line()
            if line is None or line[1] is None or not line[1].isspace():
                return line

    def _records(self) -> Iterator[str]:
        """Feed csv.reader: one record per row, continuation lines only inside an open quote."""
        read = self._read_line
        readline = self._readline
        pending = self._pending
        # a non-ASCII line _check would pass as it is: any in a forced encoding, else one without the marks of
        # the other encoding (undecodable bytes in UTF-8, UTF-8 lead bytes in Windows-1252)
        other = None if self._forced else (_SURROGATE if self._utf8 else _SUSPECT_CP1252).search
        while True:
            if not pending and not self._open:  # fast path: a short line starting a row, in the file's encoding
                text = readline(MAX_LINE_CHARS)
                if text:
                    self._phys += 1
                    if text[-1] == "\n" and "\x00" not in text and (
                            text.isascii() or other is None or other(text) is None):
                        if len(text) <= 2 and text.isspace():
                            continue
                        self._open = True
                        self._row_start = self._phys
                        self._continued = []
                        self._mixed = False
                        yield text
                        continue
                    line: _Line | None = self._check(self._phys, text)
                else:
                    line = None
            else:
                line = read()
            if self._open:  # csv wants more: a quoted field spans lines
                if line is None or line[1] is None or len(self._continued) >= MAX_CONTINUATION_LINES:
                    self._broken = True
                    if line is not None:
                        self._continued.append(line)
                    self._pending.extendleft(reversed(self._continued))
                    self._continued = []
                    yield _TERMINATOR
                    continue
                self._continued.append(line)
                self._mixed = self._mixed or line[2]
                yield line[1]
                continue
            if line is None:
                return
            number, text, mixed, bad, size = line
            if text is None:
                self.rows_read += 1
                self.errors.append(RowError(number, bad, str(size)))
                continue
            if text.isspace():
                continue
            self._open = True
            self._row_start = number
            self._continued = []
            self._mixed = mixed
            yield text

    def _block(self) -> _Block | None:
        """The next rows where each takes one line of its own, read, checked and parsed at once instead of line by
        line. Empty at the end of the file. None when the lines need _records: NUL bytes, a blank line, a quoted
        field across lines, a long line; they wait in _pending then, the line that ended the block too (a long
        one, the last one without a line break)."""
        readline = self._readline
        lines: list[str] = []
        tail = ""
        for _ in range(BLOCK_LINES):
            text = readline(MAX_LINE_CHARS)
            if text[-1:] != "\n":  # the end, a long line, a line ended by CR alone: _records reads it
                tail = text
                break
            lines.append(text)
        if not lines and not tail:
            return _Block(self._phys + 1, [], None, True)  # the end
        first = self._phys + 1
        self._phys += len(lines)
        raw = lines
        text = "".join(lines)
        mixed: list[bool] | None = None
        if self._forced is None and not text.isascii() and "\x00" not in text and (
                not _encodes(text) if self._utf8 else any(c in text for c in _SUSPECT_CHARS)):
            # a line in the other encoding (or undecodable bytes): such lines as _check reads them (short, no NUL)
            other = (_SURROGATE if self._utf8 else _SUSPECT_CP1252).search
            checked = [self._check(first + i, line) if other(line) else (0, line, False, "", 0)
                       for i, line in enumerate(lines)]
            lines = [line[1] for line in checked]  # type: ignore[misc]
            mixed = [line[2] for line in checked]
            text = "".join(lines)
            if not any(mixed):
                mixed = None
        rows: list[list[str]] | None = None
        if "\x00" not in text and not any(map(str.isspace, lines)):
            try:
                rows = list(csv.reader(lines, delimiter=self.delimiter, quotechar='"', strict=True))
            except csv.Error:
                pass
        if rows is None or not rows or len(rows) != len(lines):  # a row across lines, an error: line by line
            self._pending.extend(self._check(first + i, line) for i, line in enumerate(raw))
            rows = None
        if tail:
            self._phys += 1
            self._pending.append(self._check(self._phys, tail))
        if rows is None:
            return None
        return _Block(first, rows, mixed, not has_not_xml_chars(text))

    def _numbered(self) -> Iterator[tuple[int, list[str], bool]]:
        """The rows csv reads from _records, with the number of their first line and whether it is in the other
        encoding, until the lines waiting in _pending are read (then _block reads on)."""
        for row in self._reader:
            self._open = False
            line = self._row_start
            if self._broken:
                self._broken = False
                self.rows_read += 1
                self.errors.append(RowError(line, "broken-quotes", f"unclosed quote from line {line}"))
            else:
                yield line, row, self._mixed
            if not self._pending:
                return

    # ---- rows ---------------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Contact]:
        return self._iterate(convert_cells)  # type: ignore[return-value]

    def value_columns(self) -> Iterator[list[Sequence[Any]]]:
        """As the base class says, without a Contact per row on the way (the hot path of `kufertui import`): a
        plain block converted a column at a time (kufer/block.py), the other rows one by one (convert_values)."""
        rows: list[list[Any]] = []
        for item in self._iterate(convert_values, columnar=True):
            if item.__class__ is Run:
                if rows:
                    yield list(zip(*rows, strict=True))
                    rows = []
                yield item.columns
            else:
                rows.append(item)
                if len(rows) >= BLOCK_LINES:
                    yield list(zip(*rows, strict=True))
                    rows = []
        if rows:
            yield list(zip(*rows, strict=True))

    def _iterate(self, convert: Callable[..., Any], columnar: bool = False) -> Iterator[Any]:
        if self._iterated:
            raise RuntimeError("a KuferFile can be iterated once")
        self._iterated = True
        try:
            while True:
                try:
                    yield from self._rows(convert, columnar)
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

    def _rows(self, convert: Callable[..., Any], columnar: bool = False) -> Iterator[Any]:
        """Each row's contact (``convert``'s result); ``columnar``: a plain block's contacts as Runs instead."""
        where = dict((f, i) for i, f in reversed(self._pairs))
        field_at = [where.get(f, -1) for f in FIELD_ORDER]
        getter = itemgetter(*field_at)  # -1: the "" appended to each row
        extra_idx = self._extra_email
        columnar = columnar and not extra_idx  # a second e-mail column: row by row
        width = len(self.columns)
        pad = [""] * (width + 1)
        errors = self.errors
        flag_counts = self.flag_counts
        while True:
            block = None if self._pending or self._open else self._block()
            if block is None:
                numbered: Iterable[tuple[int, list[str], bool]] = self._numbered()
                clean = False
            elif not block[1]:
                return  # the end of the file
            else:
                first, rows, mixed, clean = block
                if columnar and clean and mixed is None and set(map(len, rows)) == {width}:
                    numbered = block_runs(rows, first, field_at)
                else:
                    numbered = zip(count(first), rows, mixed or repeat(False))
            for line, row, mixed_line in numbered:
                if row.__class__ is Run:  # contacts converted a column at a time
                    self.rows_read += row.count
                    self.contacts_read += row.count
                    flag_counts.update(chain.from_iterable(row.columns[-1]))  # in C, in the rows' order
                    yield row
                    continue
                n = len(row)
                flags: list[str] = []
                if n == width:
                    row.append("")
                elif n < width:
                    if n <= 1 and not (row and row[0].strip()):
                        continue  # blank line
                    row.extend(pad[n:])
                else:
                    if any(c.strip() for c in row[width:]):
                        flags.append("extra-columns")
                    row.append("")
                if mixed_line:
                    flags.append("mixed-encoding")
                    self.mixed_lines += 1
                cells = getter(row)
                if not any(cells) and not any(c.strip() for c in row):
                    continue  # blank row (";;;;")
                extra = [row[i] for i in extra_idx if i < n] if extra_idx else None
                self.rows_read += 1
                result = convert(cells, line, extra, flags, clean)
                if result.__class__ is RowError:
                    errors.append(result)  # type: ignore[arg-type]
                    continue
                if flags:
                    flag_counts.update(flags)
                self.contacts_read += 1
                yield result  # type: ignore[misc]

    def close(self) -> None:
        if hasattr(self, "_text"):
            self._text.close()
        else:
            self._fh.close()


class _Block(NamedTuple):
    """Rows of consecutive lines, each line a row (CsvFile._block)."""

    first: int  # the number of the first line
    rows: list[list[str]]
    mixed: list[bool] | None  # which lines are in the other encoding (None: none)
    clean: bool  # no character XML cannot carry
