"""A file that is no KUFER export is refused as such, not read as a CSV of garbage columns (issue 26.7)."""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from kufertui.kufer.errors import ImportFailure
from kufertui.kufer.reader import open_source


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + bytes([row * 20] * 10) for row in range(10))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10, 10, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def zip_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("kontakte.txt", "E-Mail;Newsletter\na@b.de;J\n" * 50)
    return path.read_bytes()


def refused(path: Path) -> ImportFailure:
    with pytest.raises(ImportFailure) as info:
        open_source(path)
    return info.value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_are_binary_not_columns(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "random.bin"
    data = random.Random(seed).randbytes(20_000)
    path.write_bytes(b"x" + data if data[:1] == b"<" else data)
    assert refused(path).code == "binary-file"


def test_png_zip_and_empty_file_are_named(tmp_path: Path) -> None:
    png = tmp_path / "bild.png"
    png.write_bytes(png_bytes())
    failure = refused(png)
    assert (failure.code, failure.params["kind"]) == ("not-an-export", "PNG")
    archive = tmp_path / "export.csv"  # the name does not decide: the content does
    archive.write_bytes(zip_bytes(tmp_path))
    failure = refused(archive)
    assert (failure.code, failure.params["kind"]) == ("not-an-export", "ZIP")
    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    assert refused(empty).code == "empty-file"


def test_a_real_export_with_an_odd_cell_is_still_read(tmp_path: Path) -> None:
    """What a KUFER export holds: a vertical tab from Excel, an ESC in one cell, a row with a NUL byte."""
    path = tmp_path / "kufer.csv"
    rows = "".join(f"{i};Vor{i};Nach\x0b{i};p{i}@vhs.de;J\r\n" for i in range(1, 40))
    path.write_bytes(("TNR;Vorname;Name;E-Mail;Newsletter\r\n" + rows).encode() + b"40;A\x00B;C;x@y.de;J\r\n"
                     + b"41;Esc\x1b;D;z@y.de;K\r\n")
    with open_source(path) as source:
        contacts = list(source)
    assert len(contacts) == 40 and [e.reason for e in source.errors] == ["nul-byte"]
