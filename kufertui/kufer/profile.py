"""Mapping profile: how a KUFER export is read (header → field id, delimiter, encoding), as TOML.

Saved after a successful detection so the admin can edit it; a loaded profile overrides detection.
Headers mapped to "" are ignored. Example::

    format = "csv"
    encoding = "cp1252"
    delimiter = ";"

    [mapping]
    "E-Mail" = "email"
    "NL-Status" = "status"
    "Bemerkung" = ""
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from kufertui.core.fields import FIELDS_BY_ID
from kufertui.kufer.errors import ImportFailure
from kufertui.platform import write_atomic

_FORMATS = ("csv", "xml")
_DELIMITERS = {";": ";", ",": ",", "\t": "\t", "tab": "\t", "TAB": "\t"}


@dataclass(slots=True)
class MappingProfile:
    mapping: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    encoding: str | None = None
    format: str | None = None  # "csv" or "xml"; None: sniff

    @classmethod
    def from_source(cls, source: Any) -> MappingProfile:
        """The detected settings of an opened KuferFile (unmapped headers listed as ignored)."""
        mapping = dict(source.mapping)
        for name in source.unmapped:
            mapping.setdefault(name, "")
        fmt = "xml" if str(source.format).startswith("xml") else "csv"
        return cls(mapping=mapping, delimiter=source.delimiter, encoding=source.encoding, format=fmt)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.format:
            data["format"] = self.format
        if self.encoding:
            data["encoding"] = self.encoding
        if self.delimiter:
            data["delimiter"] = "tab" if self.delimiter == "\t" else self.delimiter
        data["mapping"] = dict(self.mapping)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str = "") -> MappingProfile:
        def bad(detail: str) -> ImportFailure:
            return ImportFailure("profile-invalid", path=path, detail=detail)

        unknown = set(data) - {"format", "encoding", "delimiter", "mapping"}
        if unknown:
            raise bad(f"unknown key {sorted(unknown)[0]!r}")
        fmt = data.get("format")
        if fmt is not None and fmt not in _FORMATS:
            raise bad(f"format must be one of {', '.join(_FORMATS)}")
        delimiter = data.get("delimiter")
        if delimiter is not None:
            if delimiter not in _DELIMITERS:
                raise bad("delimiter must be ';', ',' or 'tab'")
            delimiter = _DELIMITERS[delimiter]
        encoding = data.get("encoding")
        if encoding is not None:
            import codecs

            try:
                info = codecs.lookup(encoding)
                if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: not a text encoding
                    raise LookupError(encoding)
                codecs.getincrementaldecoder(encoding)("replace").decode(b"a", True)  # idna cannot "replace"
            except (LookupError, TypeError, UnicodeError):
                raise bad(f"unknown encoding {encoding!r}") from None
        mapping = data.get("mapping", {})
        if not isinstance(mapping, dict):
            raise bad("mapping must be a table")
        for header, field_id in mapping.items():
            if field_id and field_id not in FIELDS_BY_ID:
                raise bad(f"{header!r}: unknown field {field_id!r}")
        return cls(mapping={str(k): str(v or "") for k, v in mapping.items()}, delimiter=delimiter,
                   encoding=encoding, format=fmt)

    def save(self, path: str | os.PathLike[str]) -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, tomli_w.dumps(self.to_dict()).encode("utf-8"))  # beside personal data: owner only

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MappingProfile:
        shown = str(path)
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ImportFailure("file-not-found", path=shown) from None
        except tomllib.TOMLDecodeError as exc:
            raise ImportFailure("profile-invalid", path=shown, detail=str(exc)) from None
        return cls.from_dict(data, shown)
