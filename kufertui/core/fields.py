"""The KUFER field catalogue and how fields map onto Maileon standard and custom fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MAILEON_STANDARD_FIELDS: tuple[str, ...] = (
    "ADDRESS", "BIRTHDAY", "CITY", "COUNTRY", "FIRSTNAME", "FULLNAME", "GENDER", "HNR", "LASTNAME",
    "LOCALE", "NAMEDAY", "ORGANIZATION", "REGION", "SALUTATION", "STATE", "TITLE", "ZIP",
)


@dataclass(frozen=True, slots=True)
class KuferField:
    """A field of a KUFER person as kufertui knows it."""

    id: str  # attribute name on core.contact.Contact
    label_de: str
    label_en: str
    synonyms: tuple[str, ...]  # header names seen in KUFER exports, compared case- and punctuation-free
    maileon: str | None = None  # natural Maileon standard field, if any
    custom_type: str = "string"  # the Maileon type a custom field for it is created with
    # how the import reads the cell and the workspace keeps it: "text" (trimmed, None when empty), "date"
    # (TT.MM.JJJJ or ISO → ISO, else None and the remark bad-date), "bool" (J/Ja/1/X/… → True); "email" and
    # "status" are the two fields every contact has. The Contact attribute, its workspace column and the
    # import's cell order follow from this catalogue (core/contact.py, store/schema.py, kufer/normalise.py).
    kind: str = "text"


KUFER_FIELDS: tuple[KuferField, ...] = (
    KuferField("email", "E-Mail", "E-mail",
               ("email", "e-mail", "emailadresse", "e-mail-adresse", "mail", "mailadresse", "kommwert"),
               kind="email"),
    KuferField("status", "Newsletter-Status", "Newsletter status",
               ("newsletter", "nlstatus", "nl-status", "verteiler", "newsletterstatus", "nl"), kind="status"),
    KuferField("person_no", "Teilnehmernummer", "Person number",
               ("tnr", "teilnehmernummer", "teilnehmernr", "personennummer", "personennr", "adressnummer",
                "adrnr", "kundennummer", "id")),
    KuferField("salutation", "Anrede", "Salutation", ("anrede", "name_titel"), "SALUTATION"),
    KuferField("title", "Titel", "Title", ("titel", "akadtitel", "akademischertitel"), "TITLE"),
    KuferField("first_name", "Vorname", "First name", ("vorname", "vname"), "FIRSTNAME"),
    KuferField("last_name", "Nachname", "Last name", ("nachname", "name", "familienname", "zuname"),
               "LASTNAME"),
    KuferField("gender_raw", "Geschlecht", "Gender", ("geschlecht", "sex", "gender"), "GENDER"),
    KuferField("organization", "Firma", "Organisation", ("firma", "organisation", "institution"),
               "ORGANIZATION"),
    KuferField("birthday", "Geburtsdatum", "Birthday", ("geburtsdatum", "gebdatum", "geburtstag"), "BIRTHDAY",
               "date", kind="date"),
    KuferField("street", "Straße", "Street", ("strasse", "straße", "str", "adresse"), "ADDRESS"),
    KuferField("zip", "PLZ", "Postcode", ("plz", "postleitzahl"), "ZIP"),
    KuferField("city", "Ort", "City", ("ort", "wohnort", "stadt", "plzort", "plz_ort"), "CITY"),
    KuferField("is_dozent", "Dozent", "Lecturer", ("dozent", "dozentin", "dozentflag", "istdozent"),
               custom_type="boolean", kind="bool"),
    KuferField("departments", "Fachbereich", "Department",
               ("fachbereich", "fachbereiche", "fachb", "interessen", "fachgebiet", "fachgebiete")),
)

FIELDS_BY_ID: dict[str, KuferField] = {f.id: f for f in KUFER_FIELDS}

# The manual's advice: Anrede, Titel, Vorname, Nachname and the e-mail are enough for a personal newsletter.
DEFAULT_MAPPED_FIELDS: tuple[str, ...] = ("salutation", "title", "first_name", "last_name")

# KUFER GESCHLECHT → Maileon GENDER. "F" is Firma (a company), not female: it maps to nothing.
DEFAULT_GENDER_MAP: dict[str, str | None] = {
    "M": "m", "W": "f", "D": "d", "F": None,
    "MÄNNLICH": "m", "WEIBLICH": "f", "DIVERS": "d", "HERR": "m", "FRAU": "f",
}


def default_value_map(field_id: str) -> dict[str, str | None]:
    """The value map a field is sent through unless the settings give one: KUFER's GESCHLECHT → Maileon's GENDER."""
    return dict(DEFAULT_GENDER_MAP) if field_id == "gender_raw" else {}


@dataclass(slots=True)
class FieldMapping:
    """One KUFER field sent to one Maileon field, optionally through a value map."""

    kufer_field: str
    maileon_field: str
    custom: bool = False  # True: a Maileon custom field (declared in the account), else a standard field
    value_map: dict[str, str | None] = field(default_factory=dict)

    def apply(self, value: str | None) -> str | None:
        if value is None or not self.value_map:
            return value
        return self.value_map.get(value.strip().upper(), value)


def custom_field_types(mappings: Iterable[FieldMapping]) -> dict[str, str]:
    """The Maileon custom fields these mappings write, each with the type a run creates it with when it is
    missing in the account (a run creates them before its first send, as it does ImportAPI)."""
    return {m.maileon_field: FIELDS_BY_ID[m.kufer_field].custom_type if m.kufer_field in FIELDS_BY_ID else "string"
            for m in mappings if m.custom and m.maileon_field}


def default_mappings() -> list[FieldMapping]:
    return [FieldMapping(f, FIELDS_BY_ID[f].maileon or "") for f in DEFAULT_MAPPED_FIELDS]


def normalise_header(text: str) -> str:
    """Header comparison key: lower case, no spaces, dots, dashes or underscores."""
    return "".join(ch for ch in text.strip().lower() if ch.isalnum() or ch == "ß")


SYNONYM_INDEX: dict[str, str] = {
    normalise_header(s): f.id for f in KUFER_FIELDS for s in (*f.synonyms, f.label_de, f.id)
}


def target_key(name: str) -> str:
    """How Maileon tells fields apart: names without regard to case (its standard fields are upper case
    and a custom field may not be named like one), so FIRSTNAME, custom:firstname and Firstname are one field."""
    return name.strip().casefold()


def target_conflicts(mappings: Iterable[FieldMapping], reserved: Iterable[str] = ()) -> dict[str, list[str]]:
    """The Maileon fields that more than one writer would fill: target name → the KUFER field ids writing it
    (a ``reserved`` field, such as the import field a run sets itself, counts as a writer of its own, "").
    Empty: every Maileon field gets one KUFER field at most. Otherwise the upload would carry a field twice
    and one KUFER field's values would land in the other's Maileon field."""
    writers: dict[str, list[str]] = {target_key(name): [""] for name in reserved if name}
    names: dict[str, str] = {target_key(name): name for name in reserved if name}
    for m in mappings:
        if not m.maileon_field:
            continue
        key = target_key(m.maileon_field)
        writers.setdefault(key, []).append(m.kufer_field)
        names.setdefault(key, m.maileon_field)
    return {names[key]: ids for key, ids in writers.items() if len(ids) > 1}
