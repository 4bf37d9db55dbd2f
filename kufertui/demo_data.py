"""Synthetic VHS contacts with the defects of real KUFER exports, deterministic by seed.

`generate_contacts` returns raw KUFER cells keyed by the German CSV headers (DEMO_HEADERS);
`write_demo_csv` writes them KUFER-style (Windows-1252, `;`), `write_demo_xml` as registration
XML (ANMELDUNGEN/ANMELDUNG/STAMMDATEN with KOMMUNIKATION entries) or as a flat export.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

DEMO_HEADERS: tuple[str, ...] = (
    "TNR", "Anrede", "Titel", "Vorname", "Name", "E-Mail", "Geschlecht", "Newsletter", "Dozent",
    "Fachbereich", "Geburtsdatum", "Strasse", "PLZ Ort",
)
FACHBEREICHE: tuple[str, ...] = (
    "Politik-Gesellschaft-Umwelt", "Kultur-Gestalten", "Gesundheit", "Sprachen", "Arbeit-Beruf",
    "Grundbildung",
)
_FIRST_F = ("Anna", "Jördis", "Ursula", "Sabine", "Jülide", "Käthe", "Lea", "Marie", "Sophie", "Hannah",
            "Brigitte", "Renate", "Monika", "Gülsen", "Zoë", "Ines", "Annegret", "Elif", "Doris", "Bärbel")
_FIRST_M = ("Jörg", "Jürgen", "Klaus", "Uwe", "Björn", "Sören", "Günter", "Thomas", "Michael", "Stefan",
            "Ömer", "Mehmet", "Lukas", "Felix", "Hans-Peter", "Dieter", "Bernd", "René", "Jan", "Paul")
_LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Weber", "Meyer", "Wagner", "Becker", "Schäfer",
         "Özdemir", "Yılmaz", "Köhler", "Hoffmann", "Schröder", "Groß", "Krüger", "Lehmann", "Bäcker",
         "Strauß", "Jäger", "Vogel", "Kaya", "Nowak", "Wolff", "Sommer", "Hübner", "Böhm", "Fuchs", "Roth")
_LAST = tuple(n.replace("ı", "i") for n in _LAST)  # Windows-1252 has no dotless i
_FIRMS = ("Bäckerei Sonnenschein GmbH", "Müller & Söhne KG", "Stadtwerke Musterstadt", "Kita Löwenzahn e.V.",
          "Weiß Elektrotechnik")
_STREETS = ("Hauptstraße", "Bahnhofstr.", "Schulweg", "Am Mühlbach", "Kirchplatz", "Lindenallee",
            "Goethestraße", "Schloßberg", "Gartenstraße", "Bürgermeister-Schmid-Str.")
_TOWNS = (("84453", "Mühldorf a. Inn"), ("80331", "München"), ("50667", "Köln"), ("01067", "Dresden"),
          ("44787", "Bochum"), ("97070", "Würzburg"), ("82467", "Garmisch-Partenkirchen"),
          ("10115", "Berlin"), ("89073", "Ulm"), ("73728", "Esslingen am Neckar"))
_DOMAINS = ("web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de", "vhs-musterstadt.de", "outlook.de",
            "mailbox.org")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue",
                           "é": "e", "ë": "e", " ": "", "'": ""})


def _local_part(first: str, last: str, i: int, style: int) -> str:
    a = first.lower().translate(_TRANSLIT)
    b = last.lower().translate(_TRANSLIT)
    if style == 0:
        return f"{a}.{b}{i}"
    if style == 1:
        return f"{a[0]}{b}{i}"
    return f"{b}.{a}{i}"


def generate_contacts(n: int, seed: int = 1) -> list[dict[str, str]]:
    """n raw KUFER rows (cells keyed by DEMO_HEADERS). Same (n, seed) → same rows."""
    rng = random.Random(seed)
    rand = rng.random
    choice = rng.choice
    rows: list[dict[str, str]] = []
    for i in range(n):
        tnr = str(100000 + i)
        r = rand()
        if r < 0.02 and rows:  # duplicate that differs only in letter case
            base = rows[int(rand() * len(rows))]
            dup = dict(base)
            dup["TNR"] = tnr
            dup["E-Mail"] = base["E-Mail"].upper() if rand() < 0.5 else base["E-Mail"].capitalize()
            rows.append(dup)
            continue
        r = rand()
        title = "Dr." if r < 0.05 else ("Prof. Dr." if r < 0.06 else "")
        r = rand()
        if r < 0.015:  # a company: GESCHLECHT F = Firma
            first, last, salutation, gender = "", choice(_FIRMS), "Firma", "F"
        elif r < 0.025:
            first, last, salutation, gender = choice(_FIRST_F + _FIRST_M), choice(_LAST), "", "D"
        elif r < 0.51:
            first, last, salutation = choice(_FIRST_F), choice(_LAST), "Frau"
            g = rand()
            gender = "W" if g < 0.93 else ("Frau" if g < 0.96 else ("w" if g < 0.98 else "x"))
        else:
            first, last, salutation = choice(_FIRST_M), choice(_LAST), "Herr"
            g = rand()
            gender = "M" if g < 0.96 else ("m" if g < 0.98 else "x")
        local = _local_part(first or "info", last.split()[0], i, int(rand() * 3))
        domain = choice(_DOMAINS)
        d = rand()
        if d < 0.008:
            email = f"{local}{domain}"  # @ missing
        elif d < 0.014:
            email = f"{local} @{domain}"  # space
        elif d < 0.019:
            email = f"{local}..x@{domain}"  # double dot
        elif d < 0.024:
            email = f"{(first or 'info').lower()}{i}@{domain}"  # umlaut in local part
        elif d < 0.030:
            email = f"  {local}@{domain.upper()} "  # padding and capital domain: normalised away
        elif d < 0.035:
            email = ""
        else:
            email = f"{local}@{domain}"
        s = rand()
        status = "J" if s < 0.45 else ("K" if s < 0.80 else ("" if s < 0.92 else "N"))
        dozent = "J" if rand() < 0.05 else ""
        fb = choice(FACHBEREICHE)
        if rand() < 0.3:
            other = choice(FACHBEREICHE)
            if other != fb:
                fb = f"{fb},{other}"
        b = rand()
        if b < 0.10 or gender == "F":
            birthday = ""
        elif b < 0.115:
            birthday = choice(("31.02.1985", "00.00.0000", "1985", "12.13.1970", "31.04.1999"))
        else:
            birthday = f"{1 + int(rand() * 28):02d}.{1 + int(rand() * 12):02d}.{1940 + int(rand() * 66)}"
        street = f"{choice(_STREETS)} {1 + int(rand() * 120)}"
        plz, town = choice(_TOWNS)
        rows.append({
            "TNR": tnr, "Anrede": salutation, "Titel": title, "Vorname": first, "Name": last, "E-Mail": email,
            "Geschlecht": gender, "Newsletter": status, "Dozent": dozent, "Fachbereich": fb,
            "Geburtsdatum": birthday, "Strasse": street, "PLZ Ort": f"{plz} {town}",
        })
    return rows


def _atomic_write(path: str | os.PathLike[str], writer: object) -> Path:
    """Through a temporary file of our own (created exclusively, unpredictable name; this layer sits below
    kufertui.platform, whose AtomicFile the real exports use)."""
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)  # type: ignore[operator]
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_demo_csv(path: str | os.PathLike[str], n: int, seed: int = 1) -> Path:
    """KUFER-style CSV: Windows-1252, `;`, German headers, CRLF line ends."""
    rows = generate_contacts(n, seed)

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="cp1252", newline="") as fh:
            out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
            out.writerow(DEMO_HEADERS)
            out.writerows([row[h] for h in DEMO_HEADERS] for row in rows)

    return _atomic_write(path, write)


_FLAT_TAGS = {"TNR": "TNR", "Anrede": "ANREDE", "Titel": "TITEL", "Vorname": "VORNAME", "Name": "NAME",
              "E-Mail": "EMAIL", "Geschlecht": "GESCHLECHT", "Newsletter": "NEWSLETTER", "Dozent": "DOZENT",
              "Fachbereich": "FACHBEREICH", "Geburtsdatum": "GEBURTSDATUM", "Strasse": "STRASSE",
              "PLZ Ort": "PLZ_ORT"}
_REG_TAGS = (("TNR", "TNR"), ("Anrede", "NAME_TITEL"), ("Titel", "TITEL"), ("Vorname", "VORNAME"),
             ("Name", "NAME"), ("Strasse", "STRASSE"), ("PLZ Ort", "ORT"), ("Geschlecht", "GESCHLECHT"),
             ("Geburtsdatum", "GEBDATUM"), ("Newsletter", "NEWSLETTER"), ("Dozent", "DOZENT"),
             ("Fachbereich", "FACHBEREICH"))


def _registration(row: dict[str, str], i: int) -> str:
    parts = ["<ANMELDUNG><STAMMDATEN>"]
    for header, tag in _REG_TAGS:
        value = row[header]
        if value:
            parts.append(f"<{tag}>{escape(value)}</{tag}>")
    parts.append("<KOMMUNIKATION>")
    if i % 3 == 0:
        parts.append("<KOMMUNIKATIONSEINTRAG><KOMMART>T</KOMMART><KOMMBEZ>Telefon</KOMMBEZ>"
                     f"<KOMMWERT>08631 {100000 + i}</KOMMWERT></KOMMUNIKATIONSEINTRAG>")
    if row["E-Mail"]:
        parts.append("<KOMMUNIKATIONSEINTRAG><KOMMART>E</KOMMART><KOMMBEZ>eMail</KOMMBEZ>"
                     f"<KOMMWERT>{escape(row['E-Mail'])}</KOMMWERT></KOMMUNIKATIONSEINTRAG>")
        if i % 50 == 7:  # a second address: the importer keeps the first and flags the person
            parts.append("<KOMMUNIKATIONSEINTRAG><KOMMART>E</KOMMART><KOMMBEZ>dienstlich</KOMMBEZ>"
                         f"<KOMMWERT>tn{i}@arbeit.example</KOMMWERT></KOMMUNIKATIONSEINTRAG>")
    parts.append("</KOMMUNIKATION></STAMMDATEN></ANMELDUNG>\n")
    return "".join(parts)


def _flat(row: dict[str, str]) -> str:
    cells = "".join(f"<{tag}>{escape(row[h])}</{tag}>" for h, tag in _FLAT_TAGS.items() if row[h])
    return f"<PERSON>{cells}</PERSON>\n"


def write_demo_xml(path: str | os.PathLike[str], n: int, seed: int = 1, style: str = "registration") -> Path:
    """UTF-8 XML, `style` "registration" (KUFER ANMELDUNGEN) or "flat" (PERSONEN/PERSON)."""
    if style not in ("registration", "flat"):
        raise ValueError(f"unknown style {style!r}")
    rows = generate_contacts(n, seed)
    root = "ANMELDUNGEN" if style == "registration" else "PERSONEN"

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n')
            if style == "registration":
                fh.writelines(_registration(row, i) for i, row in enumerate(rows))
            else:
                fh.writelines(_flat(row) for row in rows)
            fh.write(f"</{root}>\n")

    return _atomic_write(path, write)
