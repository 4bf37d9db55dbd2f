"""Pure domain: contacts, fields, validation, report, hints. No I/O, no Textual."""
