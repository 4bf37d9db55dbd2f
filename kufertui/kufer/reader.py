"""Open any KUFER export: `open_source(path, profile=None) -> KuferFile`, dispatching on content."""

from __future__ import annotations

import os
from pathlib import Path

from kufertui.kufer.csv_source import CsvFile
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.source import KuferFile
from kufertui.kufer.textcodec import bom_encoding, decode_head, wide_encoding

__all__ = ["ImportFailure", "KuferFile", "RowError", "open_source", "refuse_non_text", "sniff_format"]


# Files that are plainly something else, told by their first bytes ("magic numbers"): the name of the type.
# Only signatures no CSV header starts with; other binaries are told by their control bytes below.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"), (b"\x1f\x8b", "gzip"), (b"7z\xbc\xaf\x27\x1c", "7-Zip"), (b"Rar!\x1a\x07", "RAR"),
    (b"\xfd7zXZ\x00", "xz"), (b"\x7fELF", "ELF"), (b"SQLite format 3\x00", "SQLite"),
)
# C0 control bytes a text export does not hold; TAB, LF, CR, VT and FF are text (Excel writes VT in cells),
# ESC and SUB may end up in one odd cell, so only a share of them marks a file as binary.
_CONTROL = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}
_BINARY_SHARE = 0.05  # random bytes hold ~11 %; a KUFER export none, a damaged row a handful


def _zip_kind(head: bytes) -> str:
    """An Office file is a ZIP: say which, since "Excel" tells a user more than "ZIP"."""
    if b"word/" in head:
        return "docx"
    if b"opendocument.spreadsheet" in head:
        return "ods"
    if b"xl/" in head or b"[Content_Types].xml" in head:  # the first entry of an .xlsx
        return "xlsx"
    return "ZIP"


def refuse_non_text(head: bytes) -> None:
    """ImportFailure when the head is plainly no text export: another file type (by its magic number; Excel
    files as "unknown-format" with their name), or binary data (NULs and control bytes in a share no text
    has). UTF-16/32 text is not looked at here: its NUL bytes are characters."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        kind = _zip_kind(head)
        if kind in ("xlsx", "ods"):
            raise ImportFailure("unknown-format", detail=kind)
        raise ImportFailure("not-an-export", kind=kind)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailure("unknown-format", detail="xls")
    if bom_encoding(head) or wide_encoding(head):
        return
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise ImportFailure("not-an-export", kind=kind)
    sample = head[:4096]
    control = sum(1 for byte in sample if byte in _CONTROL)
    if control > max(8, len(sample) * _BINARY_SHARE) or sample.count(b"\x00") > len(sample) // 4 > 0:
        raise ImportFailure("binary-file")


def sniff_format(head: bytes) -> str:
    """"xml", "csv", or raise ImportFailure for spreadsheets ("unknown-format"), other file types
    ("not-an-export") and binary data ("binary-file").

    UTF-16 and UTF-32 are looked at as text (with or without BOM): an XML file declares its encoding
    and lxml reads it; a CSV is decoded by CsvFile (see `text_encoding`)."""
    refuse_non_text(head)
    codec = bom_encoding(head) or wide_encoding(head)
    if codec is not None:
        if not decode_head(head, codec).lstrip().startswith("<"):
            return "csv"
        if codec.startswith("utf-32"):  # libxml2 does not read UTF-32: say so instead of a syntax error
            raise ImportFailure("unknown-format", detail="XML in UTF-32")
        return "xml"
    if head.lstrip().startswith(b"<"):
        return "xml"
    return "csv"


def open_source(path: str | os.PathLike[str], profile: MappingProfile | None = None) -> KuferFile:
    """Open a KUFER CSV or XML export for streaming. Raises ImportFailure for file-level problems."""
    p = Path(path)
    shown = str(p)
    if not p.exists():
        raise ImportFailure("file-not-found", path=shown)
    if p.is_dir():
        raise ImportFailure("is-directory", path=shown)
    try:
        fh = open(p, "rb")  # noqa: SIM115 - handed over to the KuferFile, closed by it
    except PermissionError:
        raise ImportFailure("permission-denied", path=shown) from None
    except IsADirectoryError:
        raise ImportFailure("is-directory", path=shown) from None
    try:
        head = fh.read(4096)
        if not head.strip():
            raise ImportFailure("empty-file", path=shown)
        if profile and profile.format:
            refuse_non_text(head)  # a profile names the format of an export, not of any file
            fmt = profile.format
        else:
            fmt = sniff_format(head)
        fh.seek(0)
        if fmt == "xml":
            fh.close()
            from kufertui.kufer.xml_source import XmlFile  # lxml only for XML: a CSV import starts sooner

            return XmlFile(shown, profile.mapping if profile else None)
        return CsvFile(shown, fh, encoding=profile.encoding if profile else None,
                       delimiter=profile.delimiter if profile else None,
                       mapping=profile.mapping if profile else None)
    except ImportFailure as exc:
        fh.close()
        exc.params.setdefault("path", shown)
        raise
    except BaseException:
        fh.close()
        raise
