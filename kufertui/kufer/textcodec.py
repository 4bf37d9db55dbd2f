"""Which Unicode encoding a file announces: by byte-order mark, or by the NUL bytes of UTF-16/32 text.

Shared by the format sniffing (reader) and the CSV reader; the byte encodings (UTF-8, Windows-1252)
are told apart line by line in csv_source.
"""

from __future__ import annotations

import codecs

# Byte-order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one): the mark, the codec that
# reads a text beginning with it and drops the mark, and the codec of the text after the mark.
BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
)


def bom_encoding(head: bytes) -> str | None:
    """The codec a byte-order mark names ("utf-32", "utf-16", "utf-8-sig"; these codecs drop the mark), or None."""
    for bom, codec, _after in BOMS:
        if head.startswith(bom):
            return codec
    return None


def wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by the NUL bytes beside ASCII characters (a CSV header is ASCII).

    Only a regular pattern counts: every second (fourth) byte NUL on the same side; binary garbage
    has NULs scattered and stays "binary"."""
    sample = head[:512]
    for size, le, be in ((4, "utf-32-le", "utf-32-be"), (2, "utf-16-le", "utf-16-be")):
        sample = sample[: len(sample) - len(sample) % size]
        if len(sample) < 2 * size:
            continue
        units = [sample[i:i + size] for i in range(0, len(sample), size)]
        zeros = b"\x00" * (size - 1)
        need = len(units) * 9 // 10  # a few characters outside Latin-1 (€, “) may break the pattern
        if sum(1 for u in units if u[1:] == zeros and u[0]) >= need:
            return le
        if sum(1 for u in units if u[:-1] == zeros and u[-1]) >= need:
            return be
    return None


def decode_head(head: bytes, codec: str) -> str:
    """The head as text; a character cut at the end of the sample is dropped, not an error."""
    decoder = codecs.getincrementaldecoder(codec)("replace")
    return decoder.decode(head, final=False).lstrip("\ufeff")


def text_encoding(head: bytes) -> str | None:
    """For CSV: the UTF-16/32 codec to read the file with (from BOM or NUL pattern); None for byte encodings."""
    codec = bom_encoding(head) or wide_encoding(head)
    return codec if codec and codec != "utf-8-sig" else None


