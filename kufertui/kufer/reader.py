"""Open any KUFER export: `open_source(path, profile=None) -> KuferFile`, dispatching on content."""

from __future__ import annotations

import os
from pathlib import Path

from kufertui.kufer.csv_source import CsvFile
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.source import KuferFile
from kufertui.kufer.textcodec import bom_encoding, decode_head, wide_encoding
from kufertui.kufer.xml_source import XmlFile

__all__ = ["ImportFailure", "KuferFile", "RowError", "open_source", "sniff_format"]


def sniff_format(head: bytes) -> str:
    """"xml", "csv", or raise ImportFailure("unknown-format") for spreadsheets and binaries.

    UTF-16 and UTF-32 are looked at as text (with or without BOM): an XML file declares its encoding
    and lxml reads it; a CSV is decoded by CsvFile (see `text_encoding`)."""
    if head.startswith(b"PK\x03\x04"):
        raise ImportFailure("unknown-format", detail="xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailure("unknown-format", detail="xls")
    codec = bom_encoding(head) or wide_encoding(head)
    if codec is not None:
        if not decode_head(head, codec).lstrip().startswith("<"):
            return "csv"
        if codec.startswith("utf-32"):  # libxml2 does not read UTF-32: say so instead of a syntax error
            raise ImportFailure("unknown-format", detail="XML in UTF-32")
        return "xml"
    if head.lstrip().startswith(b"<"):
        return "xml"
    if head.count(b"\x00") > len(head) // 4 > 0:
        raise ImportFailure("unknown-format", detail="binary")
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
        fmt = profile.format if profile and profile.format else sniff_format(head)
        fh.seek(0)
        if fmt == "xml":
            fh.close()
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
