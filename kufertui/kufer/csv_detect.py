"""What a KUFER CSV export is written in: its encoding (from a sample of its bytes, or checked against the one a
profile names) and its delimiter (from the header line)."""

from __future__ import annotations

import codecs

from kufertui.kufer.errors import ImportFailure
from kufertui.kufer.textcodec import text_encoding

DELIMITERS = (";", ",", "\t")
_SHOWN_CODEC = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


def detect_encoding(sample: bytes) -> str:
    """"utf-8-sig" (BOM), "utf-8" (valid UTF-8 or plain ASCII) or "cp1252" (Windows-1252); for UTF-16/32
    text (BOM or NUL pattern) the codec to read it with ("utf-16", "utf-16-le", "utf-32", …).

    Mixed samples: the encoding of the majority of the non-ASCII lines (each line is decoded on its
    own later anyway; this only decides which lines get the "mixed-encoding" flag).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    wide = text_encoding(sample)
    if wide:
        return wide
    utf8 = cp1252 = 0
    lines = sample.split(b"\n")
    for number, line in enumerate(lines):
        if line.isascii():
            continue
        try:  # the last line may be cut inside a multibyte character: final=False tolerates that
            codecs.utf_8_decode(line, "strict", number < len(lines) - 1)
            utf8 += 1
        except UnicodeDecodeError:
            cp1252 += 1
    return "cp1252" if cp1252 > utf8 else "utf-8"


def encoding_family(codec: str) -> str:
    """"utf-16", "utf-32" or "" (a byte encoding) for a codec name."""
    name = codecs.lookup(codec).name
    return next((f for f in ("utf-16", "utf-32") if name.startswith(f)), "")


def check_forced_encoding(path: str, sample: bytes, encoding: str) -> str:
    """The codec to read with when a profile names `encoding`; ImportFailure("encoding-mismatch") when the
    file is plainly in another one (UTF-16/32 against a byte encoding, either way round).

    A profile's "utf-16" on a UTF-16-LE file without BOM reads it with "utf-16-le" (Python's "utf-16"
    needs the BOM); between byte encodings nothing can be told for sure, so nothing is refused there."""
    wide = text_encoding(sample)
    if encoding_family(encoding) == (encoding_family(wide) if wide else ""):
        return wide or encoding  # the detected codec knows about the BOM and the byte order
    found = wide.upper()[:6] if wide else _SHOWN_CODEC[detect_encoding(sample)]
    raise ImportFailure("encoding-mismatch", path=path, encoding=encoding, found=found)


def detect_delimiter(header: str) -> str:
    """The most frequent of ; , TAB in the header line (ties: ; before , before TAB)."""
    counts = [(header.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else ";"
