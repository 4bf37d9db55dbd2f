"""Texts about segments: saved selections kept exact in Maileon (CLI, engine messages, TUI)."""

DE = {
    "segment.name-empty": "Ein Segment braucht einen Namen aus Buchstaben oder Ziffern.",
    "segment.name-chars": "Der Name „{name}“ enthält Zeichen, die in Maileon-Feldnamen nicht sicher sind ({detail}). "
                          "Es würde das Feld {suggestion} heißen – wählen Sie einen Namen nur aus Buchstaben, Ziffern, "
                          "Leerzeichen, - und _.",
    "segment.name-too-long": "Der Name „{name}“ ist zu lang (höchstens {detail} Zeichen nach dem Umschreiben). "
                             "Gekürzt würde das Feld {suggestion} heißen – wählen Sie einen kürzeren Namen.",
    "segment.exists": "Ein Segment „{name}“ gibt es schon.",
    "segment.no-sendable-status": "Das Segment „{name}“ hätte keine Mitglieder: nur J und K werden übertragen.",
    "segment.clash": "„{name}“ ergäbe dasselbe Maileon-Feld {field} wie das Segment „{other}“. Wählen Sie einen "
                     "anderen Namen.",
    "segment.unknown": "Unbekanntes Segment: {name}. „kufertui segment list“ zeigt die vorhandenen.",
    "segment.busy": "Segment {name} bleibt: gerade läuft ein Abgleich ({holder}), der sein Feld in Maileon "
                    "noch setzen könnte. Entfernen Sie es, wenn der Abgleich fertig ist.",
    "segment.added": "Segment „{name}“ gespeichert: {members} Kontakte (J/K) passen jetzt. In Maileon: Feld {field}, "
                     "Zielgruppe „{group}“ (beim ersten Auffrischen angelegt).",
    "segment.none": "Noch keine Segmente. Anlegen: kufertui segment add NAME --status J,K --department …",
    "segment.never": "nie",
    "segment.list-row": "{name}: {members} Kontakte · Feld {field} · Zielgruppe {group} · zuletzt aufgefrischt: "
                        "{refreshed}",
    "segment.confirm-remove": "Segment „{name}“ entfernen und in Maileon Feld {field}, Kontaktfilter und "
                              "Zielgruppe „{group}“ löschen? [j/N] ",
    "segment.removed": "Segment „{name}“ entfernt.",
    "segment.removed-maileon": "In Maileon gelöscht: {parts}.",
    "segment.part.target_group": "Zielgruppe", "segment.part.contact_filter": "Kontaktfilter",
    "segment.part.field": "Kontaktfeld",
    "segment.kept-maileon": "In Maileon bleiben Feld {field} und Zielgruppe „{group}“ erhalten.",
    "segment.remove-cancelled": "Nichts entfernt.",
    "segment.remove-needs-yes": "Ohne Terminal bitte mit --yes bestätigen (oder --keep-in-maileon).",
    "segment.no-segments": "Es gibt keine Segmente zum Auffrischen.",
    "segment.filter-with-segments": "--department, --dozent und --search gelten nicht beim Auffrischen von "
                                    "Segmenten: Es zählen die Filter der Segmente selbst.",
    "segment.field-type": "Das Segment-Feld {fields} gibt es in Maileon mit anderem Typ als boolean. Abgelehnt, "
                          "nichts wurde geändert.",
    "segment.field-created": "Segment „{name}“: Feld {field} in Maileon angelegt.",
    "segment.field-cleared": "Segment „{name}“: Feld {field} geleert, es wird neu gesetzt.",
    "segment.empty": "Segment „{name}“ hat keine Mitglieder: Feld {field} ist jetzt leer.",
    "segment.dry-run": "Segment „{name}“ – Mitglieder: {members} ({joined} neu, {left} ausgeschieden), "
                       "{marked} würden in {field} markiert.",
    "segment.refreshed": "Segment „{name}“ aufgefrischt – Mitglieder: {members} ({joined} neu, {left} ausgeschieden), "
                         "Zielgruppe zählt {count} empfangsbereit.",
    "segment.group-created": "Segment „{name}“: Kontaktfilter und Zielgruppe „{group}“ angelegt (Nr. {id}).",
    "segment.group-gone": "Segment „{name}“: Die Zielgruppe „{group}“ gibt es in Maileon nicht mehr – sie wird "
                          "neu angelegt.",
    "segment.group-name-taken": "Segment „{name}“: In Maileon gibt es schon einen Filter oder eine Zielgruppe "
                                "„{group}“, die kufertui nicht kennt. Bitte dort umbenennen oder löschen.",
    "segment.group-failed": "Segment „{name}“: Zielgruppe „{group}“ konnte nicht angelegt werden ({detail}).",
    "segment.report-row": "Segment {name}: Mitglieder {members} · {joined} neu · {left} ausgeschieden · "
                          "{marked} markiert · Zielgruppe: {count}",
    "seg.tui.statuses": "Status {statuses}",
    "seg.tui.department": "Fachbereich {department}",
    "seg.tui.dozent-yes": "nur Dozenten",
    "seg.tui.dozent-no": "ohne Dozenten",
    "seg.tui.search": "Suche „{search}“",
    "seg.tui.save-title": "Filter als Segment speichern",
    "seg.tui.name": "Name des Segments, z. B. VHS-Dozenten",
    "seg.tui.field": "Maileon-Feld {field} · Zielgruppe „{group}“",
    "seg.tui.field-empty": "Buchstaben, Ziffern, Leerzeichen, - und _ · Enter speichert, Esc bricht ab",
    "seg.tui.saved": "Segment „{name}“ gespeichert. Auffrischen: l auf Kontakte, dann r.",
    "seg.tui.list-title": "Segmente – auffrischen hält ihre Zielgruppen in Maileon genau",
    "seg.tui.list-empty": "Noch keine Segmente. Auf Kontakte speichert s den aktuellen Filter als Segment.",
    "seg.tui.row": "{name} · {members} Kontakte · {field} · zuletzt {refreshed}",
    "seg.tui.list-help": "Leertaste wählt · r frischt die gewählten auf (als normaler Lauf) · Esc schließt",
    "seg.tui.refresh": "Auffrischen (r)",
    "seg.tui.upload": "Segmente auffrischen: {names} – {n} Kontakte (alle ihre Mitglieder, J/K). Jeder bekommt "
                      "das Feld jedes dieser Segmente als wahr oder falsch; die Auswahl auf Kontakte gilt nicht.",
    "seg.tui.drop": "Normale Auswahl",
    "seg.tui.dropped": "Kein Segment-Auffrischen mehr: es gilt wieder die Auswahl auf Kontakte.",
    "seg.tui.tg-trap": "Achtung: Diese Zielgruppe folgt der Auswahl des jeweils nächsten Laufs ({field} wird "
                       "bei jedem Lauf neu gesetzt). Für eine Gruppe, die stimmen soll: als Segment speichern "
                       "(Strg+S).",
    "seg.tui.tg-as-segment": "Als Segment speichern (Strg+S)",
    "seg.tui.tg-note": "Das Segment bekommt den Filter dieses Laufs; beim ersten Auffrischen entstehen sein Feld "
                       "und seine Zielgruppe.",
    "seg.tui.ticked": "Angehakte Kontakte lassen sich nicht als Segment speichern – es gilt der Filter.",
    "history.kind-segments": "Segmente: {names}",
    "app.read-only.segment": "Das Speichern eines Segments",
    "key.save-segment": "Als Segment",
    "key.segments": "Segmente",
    "help.contacts.save-segment": "aktuellen Filter als Segment speichern",
    "help.contacts.segments": "Segmente zeigen und auffrischen",
}

EN = {
    "segment.name-empty": "A segment needs a name made of letters or digits.",
    "segment.name-chars": "The name \"{name}\" has characters that are not safe in Maileon field names ({detail}). "
                          "It would become the field {suggestion} – choose a name of letters, digits, spaces, "
                          "- and _ only.",
    "segment.name-too-long": "The name \"{name}\" is too long (at most {detail} characters once spelt out). "
                             "Shortened, the field would be {suggestion} – choose a shorter name.",
    "segment.exists": "A segment \"{name}\" exists already.",
    "segment.no-sendable-status": "The segment \"{name}\" would have no members: only J and K are uploaded.",
    "segment.clash": "\"{name}\" would give the same Maileon field {field} as the segment \"{other}\". Choose "
                     "another name.",
    "segment.unknown": "Unknown segment: {name}. \"kufertui segment list\" shows the existing ones.",
    "segment.busy": "Segment {name} stays: a sync is running ({holder}) that may still set its field in "
                    "Maileon. Remove it once that sync has finished.",
    "segment.added": "Segment \"{name}\" saved: {members} contacts (J/K) match now. In Maileon: field {field}, "
                     "target group \"{group}\" (created on the first refresh).",
    "segment.none": "No segments yet. Create one: kufertui segment add NAME --status J,K --department …",
    "segment.never": "never",
    "segment.list-row": "{name}: {members} contacts · field {field} · target group {group} · last refreshed: "
                        "{refreshed}",
    "segment.confirm-remove": "Remove segment \"{name}\" and delete field {field}, its contact filter and target "
                              "group \"{group}\" in Maileon? [y/N] ",
    "segment.removed": "Segment \"{name}\" removed.",
    "segment.removed-maileon": "Deleted in Maileon: {parts}.",
    "segment.part.target_group": "target group", "segment.part.contact_filter": "contact filter",
    "segment.part.field": "contact field",
    "segment.kept-maileon": "Field {field} and target group \"{group}\" stay in Maileon.",
    "segment.remove-cancelled": "Nothing removed.",
    "segment.remove-needs-yes": "Without a terminal, confirm with --yes (or use --keep-in-maileon).",
    "segment.no-segments": "There are no segments to refresh.",
    "segment.filter-with-segments": "--department, --dozent and --search do not apply to a segment refresh: the "
                                    "segments' own filters decide.",
    "segment.field-type": "The segment field {fields} exists in Maileon with a type other than boolean. Refused, "
                          "nothing was changed.",
    "segment.field-created": "Segment \"{name}\": field {field} created in Maileon.",
    "segment.field-cleared": "Segment \"{name}\": field {field} cleared, it is set anew.",
    "segment.empty": "Segment \"{name}\" has no members: field {field} is now empty.",
    "segment.dry-run": "Segment \"{name}\" – members: {members} ({joined} joined, {left} left), {marked} would be "
                       "marked in {field}.",
    "segment.refreshed": "Segment \"{name}\" refreshed – members: {members} ({joined} joined, {left} left), "
                         "target group counts {count} able to receive mail.",
    "segment.group-created": "Segment \"{name}\": contact filter and target group \"{group}\" created (no. {id}).",
    "segment.group-gone": "Segment \"{name}\": the target group \"{group}\" no longer exists in Maileon – "
                          "creating it again.",
    "segment.group-name-taken": "Segment \"{name}\": Maileon already has a filter or target group \"{group}\" "
                                "that kufertui does not know. Rename or delete it there.",
    "segment.group-failed": "Segment \"{name}\": target group \"{group}\" could not be created ({detail}).",
    "segment.report-row": "Segment {name}: members {members} · {joined} joined · {left} left · {marked} marked · "
                          "target group: {count}",
    "seg.tui.statuses": "status {statuses}",
    "seg.tui.department": "department {department}",
    "seg.tui.dozent-yes": "lecturers only",
    "seg.tui.dozent-no": "no lecturers",
    "seg.tui.search": "search \"{search}\"",
    "seg.tui.save-title": "Save the filter as a segment",
    "seg.tui.name": "Segment name, e.g. VHS-Dozenten",
    "seg.tui.field": "Maileon field {field} · target group \"{group}\"",
    "seg.tui.field-empty": "Letters, digits, spaces, - and _ · Enter saves, Esc cancels",
    "seg.tui.saved": "Segment \"{name}\" saved. To refresh: l on Contacts, then r.",
    "seg.tui.list-title": "Segments – a refresh keeps their target groups in Maileon exact",
    "seg.tui.list-empty": "No segments yet. On Contacts, s saves the current filter as a segment.",
    "seg.tui.row": "{name} · {members} contacts · {field} · last {refreshed}",
    "seg.tui.list-help": "Space ticks · r refreshes the ticked ones (as a normal run) · Esc closes",
    "seg.tui.refresh": "Refresh (r)",
    "seg.tui.upload": "Refreshing segments: {names} – {n} contacts (all their members, J/K). Each gets every one "
                      "of these segments' fields as true or false; the selection on Contacts does not apply.",
    "seg.tui.drop": "Normal selection",
    "seg.tui.dropped": "No segment refresh any more: the selection on Contacts applies again.",
    "seg.tui.tg-trap": "Careful: this target group follows the selection of whatever run comes next ({field} is "
                       "set anew by every run). For a group that must stay true: save as a segment (Ctrl+S).",
    "seg.tui.tg-as-segment": "Save as a segment (Ctrl+S)",
    "seg.tui.tg-note": "The segment takes this run's filter; its field and target group are made on its first "
                       "refresh.",
    "seg.tui.ticked": "Ticked contacts cannot be saved as a segment – the filter is used.",
    "history.kind-segments": "Segments: {names}",
    "app.read-only.segment": "saving a segment",
    "key.save-segment": "As segment",
    "key.segments": "Segments",
    "help.contacts.save-segment": "save the current filter as a segment",
    "help.contacts.segments": "show and refresh segments",
}
