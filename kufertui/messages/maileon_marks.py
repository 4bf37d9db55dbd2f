"""Texts of the steps that keep Maileon's marks true, of reused target groups, and of the undocumented
behaviour met on the way (docs/maileon-assumptions.md)."""

DE = {
    "marks.clear-waiting": "Maileon hat das Leeren von {fields} noch nicht abgeschlossen – der Upload wartet "
                           "darauf (höchstens {seconds} s).",
    "marks.clear-landed": "{fields} in Maileon geleert (nach {seconds} s).",
    "marks.repaired": "Die Markierungen in Maileon wichen vom Lauf ab ({missing} fehlten, {extra} zu viel; "
                      "{fields}). Sie wurden nachgetragen und erneut geprüft.",
    "marks.skipped-unsubscribed": "{count} Kontakte tragen in Maileon einen Abmeldevermerk und sind deshalb "
                                  "nicht markiert.",
    "marks.verified#one": "Markierungen geprüft: 1 Kontakt trägt {fields} in Maileon, genau der dieses Laufs.",
    "marks.verified": "Markierungen geprüft: {count} Kontakte tragen {fields} in Maileon, genau die dieses Laufs.",
    "unknown.x-pages-missing": "Maileon hat bei {path} keine Seitenzahl (X-Pages) gesendet; es wurde bis zur "
                               "ersten unvollständigen Seite weitergelesen.",
    "unknown.report-anonymised": "Maileons Abmelde-Bericht enthielt anonymisierte Einträge ohne verwendbare "
                                 "E-Mail; sie werden nur über KUFER-Nummer oder Kontakt-ID zugeordnet.",
    "engine.target-group-reused": "Zielgruppe „{name}“ (Nr. {id}) wiederverwendet, ihr Filter neu ausgewertet: "
                                  "{count} Kontakte empfangsbereit.",
    "engine.target-group-name": "„{name}“ ist kein gültiger Name für eine Zielgruppe (3–64 Zeichen: "
                                "Buchstaben, Ziffern, Leerzeichen).",
}

EN = {
    "marks.clear-waiting": "Maileon has not finished clearing {fields} yet – the upload waits for it (at most "
                           "{seconds} s).",
    "marks.clear-landed": "{fields} cleared in Maileon (after {seconds} s).",
    "marks.repaired": "The marks in Maileon differed from the run ({missing} missing, {extra} extra; {fields}). "
                      "They were corrected and checked again.",
    "marks.skipped-unsubscribed": "{count} contacts carry an unsubscription marker in Maileon and are therefore "
                                  "not marked.",
    "marks.verified#one": "Marks checked: 1 contact carries {fields} in Maileon, exactly this run's.",
    "marks.verified": "Marks checked: {count} contacts carry {fields} in Maileon, exactly this run's.",
    "unknown.x-pages-missing": "Maileon sent no page count (X-Pages) for {path}; reading went on until the first "
                               "short page.",
    "unknown.report-anonymised": "Maileon's unsubscription report held anonymised entries without a usable "
                                 "e-mail; they are matched only by KUFER number or contact id.",
    "engine.target-group-reused": "Target group \"{name}\" (no. {id}) reused, its filter evaluated again: "
                                  "{count} contacts can receive mail.",
    "engine.target-group-name": "\"{name}\" is not a valid target group name (3–64 characters: letters, digits, "
                                "spaces).",
}
