"""Texts for people who left KUFER (sync/leavers.py): the import's presence lines, `kufertui leavers`,
History (L, X)."""

DE = {
    # import: full or partial export, who is missing
    "import.presence.full#one": "Vollständiger Export: 1 bekannte Person fehlt darin – aus der Auswahl genommen, "
                                "im Arbeitsbereich behalten.",
    "import.presence.full": "Vollständiger Export: {count} bekannte Personen fehlen darin – aus der Auswahl "
                            "genommen, im Arbeitsbereich behalten.",
    "import.presence.full-none": "Vollständiger Export: Keine bekannte Person fehlt darin.",
    "import.presence.returned#one": "1 Person ist wieder im Export und zurück in der Auswahl.",
    "import.presence.returned": "{count} Personen sind wieder im Export und zurück in der Auswahl.",
    "import.presence.left#one": "Nicht mehr in KUFER: 1 Person (Verlauf F6, Taste L; kufertui leavers list).",
    "import.presence.left": "Nicht mehr in KUFER: {count} Personen (Verlauf F6, Taste L; kufertui leavers list).",
    "import.presence.partial#one": "Teilexport (--partial): 1 bekannte Person fehlt darin; an der Auswahl ändert "
                                   "das nichts.",
    "import.presence.partial": "Teilexport (--partial): {count} bekannte Personen fehlen darin; an der Auswahl "
                               "ändert das nichts.",
    "import.warn.many-missing": "Achtung: Das sind viele. War der Export gefiltert (nur J/K, ein Fachbereich)? "
                                "Dann importieren Sie einen vollständigen Export – er holt alle zurück – und "
                                "gefilterte künftig mit --partial.",
    "import.warn.missing-with-rejects": "Übersprungene Zeilen (siehe unten) können zu den fehlenden Personen "
                                        "gehören: korrigieren und erneut importieren, bevor Sie jemanden aus "
                                        "Maileon entfernen.",
    "cli.help.partial": "nur ein Teil von KUFER (gefiltert): fehlende Personen bleiben in der Auswahl",
    # kufertui leavers
    "cli.help.cmd.leavers": "Personen, die KUFER verlassen haben: anzeigen und ausdrücklich aus Maileon löschen",
    "cli.help.cmd.leavers-list": "wer nicht mehr in KUFER ist, seit wann, ob an Maileon gesendet",
    "cli.help.cmd.leavers-remove": "sie aus Maileon löschen (nach KUFER-Nummer; fragt vorher)",
    "cli.help.leavers-yes": "ohne Rückfrage löschen (für Skripte)",
    "leavers.none": "Niemand hat KUFER verlassen (kein vollständiger Export hat eine bekannte Person vermisst).",
    "leavers.heading#one": "1 Person ist nicht mehr in KUFER (nicht in der Auswahl):",
    "leavers.heading": "{count} Personen sind nicht mehr in KUFER (nicht in der Auswahl):",
    "leavers.row": "KUFER-Nr. {number}  {email}  seit {since}  an Maileon: {sent}",
    "leavers.sent.yes": "ja",
    "leavers.sent.no": "nie",
    "leavers.sent.removed": "entfernt",
    "leavers.sent.no-number": "ja, ohne KUFER-Nr. (nur von Hand zu löschen)",
    "leavers.status-empty": "leer",
    "leavers.removable#one": "1 davon ist noch in Maileon: kufertui leavers remove löscht sie dort.",
    "leavers.removable": "{count} davon sind noch in Maileon: kufertui leavers remove löscht sie dort.",
    "leavers.nothing-to-remove": "In Maileon ist niemand mehr zu löschen: alle, die KUFER verlassen haben, sind "
                                 "dort entfernt oder wurden nie gesendet.",
    "leavers.preview#one": "Aus Maileon gelöscht wird 1 Person (nach KUFER-Nummer, samt Statistiken):",
    "leavers.preview": "Aus Maileon gelöscht werden {count} Personen (nach KUFER-Nummer, samt Statistiken):",
    "leavers.preview-more": "… und {count} weitere",
    "leavers.confirm": "Jetzt löschen? Vorher werden neue Abmeldungen abgeholt. [j/N] ",
    "leavers.cancelled-by-user": "Nichts gelöscht.",
    "leavers.remove-needs-yes": "Löschen aus Maileon nur nach Rückfrage: im Terminal ausführen oder --yes angeben.",
    "leavers.done": "Lauf #{run}: {deleted} aus Maileon gelöscht, {absent} waren nicht (mehr) in Maileon, "
                    "{failed} fehlgeschlagen (werden beim nächsten Mal erneut versucht).",
    "leavers.failed-row": "KUFER-Nr. {number}: {detail}",
    "leavers.pulled#one": "Vorher abgeholt: 1 neue Abmeldung (steht auf der Sperrliste).",
    "leavers.pulled": "Vorher abgeholt: {count} neue Abmeldungen (stehen auf der Sperrliste).",
    "leavers.stopped": "Löschen aus Maileon abgebrochen (Lauf #{run}, {done} erledigt): {detail}. Erneut "
                       "ausführen löscht den Rest.",
    "leavers.cancelled": "Löschen aus Maileon angehalten (Lauf #{run}, {done} erledigt). Erneut ausführen löscht "
                         "den Rest.",
    "leavers.interrupted": "unterbrochen; ein späterer Lauf hat den Rest übernommen",
    "leavers.report-line": "{deleted} gelöscht · {absent} nicht in Maileon · {failed} fehlgeschlagen",
    "run.kind.leavers": "Löschen (nicht mehr in KUFER)",
    # History (F6): L, X
    "key.leavers": "Nicht in KUFER",
    "key.remove-leavers": "Aus Maileon löschen",
    "leavers.tui.title": "Nicht mehr in KUFER: fehlen im letzten vollständigen Export, nicht in der Auswahl "
                         "(L: zurück zu den Läufen)",
    "leavers.col.number": "KUFER-Nr.",
    "leavers.col.email": "E-Mail",
    "leavers.col.status": "Status",
    "leavers.col.since": "seit",
    "leavers.col.sent": "an Maileon gesendet",
    "leavers.tui.note#one": "1 Person nicht mehr in KUFER; {removable} noch in Maileon – X löscht dort.",
    "leavers.tui.note": "{count} Personen nicht mehr in KUFER; {removable} noch in Maileon – X löscht dort.",
    "leavers.tui.confirm#one": "1 Person, die KUFER verlassen hat, aus Maileon löschen? Gelöscht wird nach "
                               "KUFER-Nummer, samt den Statistiken des Kontakts; vorher werden neue Abmeldungen "
                               "abgeholt. Wen es betrifft, zeigt die Liste dahinter.",
    "leavers.tui.confirm": "{count} Personen, die KUFER verlassen haben, aus Maileon löschen? Gelöscht wird "
                           "nach KUFER-Nummer, samt den Statistiken der Kontakte; vorher werden neue Abmeldungen "
                           "abgeholt. Wen es betrifft, zeigt die Liste dahinter.",
    "leavers.tui.yes": "Löschen",
    "leavers.tui.no": "Abbrechen",
    "leavers.tui.working#one": "1 Person wird aus Maileon gelöscht …",
    "leavers.tui.working": "{count} Personen werden aus Maileon gelöscht …",
    "leavers.tui.busy": "Gerade läuft schon ein Lauf. Bitte warten, bis er fertig ist.",
    "app.read-only.leavers-remove": "Das Löschen aus Maileon",
}

EN = {
    "import.presence.full#one": "Full export: 1 known person is missing from it – taken out of the selection, "
                                "kept in the workspace.",
    "import.presence.full": "Full export: {count} known persons are missing from it – taken out of the selection, "
                            "kept in the workspace.",
    "import.presence.full-none": "Full export: no known person is missing from it.",
    "import.presence.returned#one": "1 person is back in the export and back in the selection.",
    "import.presence.returned": "{count} persons are back in the export and back in the selection.",
    "import.presence.left#one": "No longer in KUFER: 1 person (History F6, key L; kufertui leavers list).",
    "import.presence.left": "No longer in KUFER: {count} persons (History F6, key L; kufertui leavers list).",
    "import.presence.partial#one": "Partial export (--partial): 1 known person is missing from it; the selection "
                                   "stays as it was.",
    "import.presence.partial": "Partial export (--partial): {count} known persons are missing from it; the "
                               "selection stays as it was.",
    "import.warn.many-missing": "Note: that is a lot. Was the export filtered (only J/K, one department)? Then "
                                "import a full export – it brings everyone back – and filtered ones with "
                                "--partial from now on.",
    "import.warn.missing-with-rejects": "Skipped rows (see below) may belong to the missing persons: correct them "
                                        "and import again before you remove anyone from Maileon.",
    "cli.help.partial": "only part of KUFER (filtered): missing persons stay in the selection",
    "cli.help.cmd.leavers": "people who left KUFER: list them and remove them from Maileon on request",
    "cli.help.cmd.leavers-list": "who is no longer in KUFER, since when, whether sent to Maileon",
    "cli.help.cmd.leavers-remove": "delete them from Maileon (by KUFER number; asks first)",
    "cli.help.leavers-yes": "delete without asking (for scripts)",
    "leavers.none": "Nobody has left KUFER (no full export missed a known person).",
    "leavers.heading#one": "1 person is no longer in KUFER (not in the selection):",
    "leavers.heading": "{count} persons are no longer in KUFER (not in the selection):",
    "leavers.row": "KUFER no. {number}  {email}  since {since}  in Maileon: {sent}",
    "leavers.sent.yes": "yes",
    "leavers.sent.no": "never sent",
    "leavers.sent.removed": "removed",
    "leavers.sent.no-number": "yes, without KUFER number (remove by hand)",
    "leavers.status-empty": "empty",
    "leavers.removable#one": "1 of them is still in Maileon: kufertui leavers remove deletes them there.",
    "leavers.removable": "{count} of them are still in Maileon: kufertui leavers remove deletes them there.",
    "leavers.nothing-to-remove": "Nobody is left to delete in Maileon: everyone who left KUFER was removed there "
                                 "or never sent.",
    "leavers.preview#one": "1 person will be deleted from Maileon (by KUFER number, with their statistics):",
    "leavers.preview": "{count} persons will be deleted from Maileon (by KUFER number, with their statistics):",
    "leavers.preview-more": "… and {count} more",
    "leavers.confirm": "Delete now? New unsubscribes are fetched first. [y/N] ",
    "leavers.cancelled-by-user": "Nothing deleted.",
    "leavers.remove-needs-yes": "Deleting from Maileon asks first: run it in a terminal or pass --yes.",
    "leavers.done": "Run #{run}: {deleted} deleted from Maileon, {absent} were not (or no longer) in Maileon, "
                    "{failed} failed (tried again next time).",
    "leavers.failed-row": "KUFER no. {number}: {detail}",
    "leavers.pulled#one": "Fetched first: 1 new unsubscribe (on the suppression ledger).",
    "leavers.pulled": "Fetched first: {count} new unsubscribes (on the suppression ledger).",
    "leavers.stopped": "Deleting from Maileon stopped (run #{run}, {done} done): {detail}. Running it again "
                       "deletes the rest.",
    "leavers.cancelled": "Deleting from Maileon stopped (run #{run}, {done} done). Running it again deletes the "
                         "rest.",
    "leavers.interrupted": "interrupted; a later run took over the rest",
    "leavers.report-line": "{deleted} deleted · {absent} not in Maileon · {failed} failed",
    "run.kind.leavers": "Removal (left KUFER)",
    "key.leavers": "Left KUFER",
    "key.remove-leavers": "Delete from Maileon",
    "leavers.tui.title": "No longer in KUFER: missing from the last full export, not in the selection "
                         "(L: back to the runs)",
    "leavers.col.number": "KUFER no.",
    "leavers.col.email": "E-mail",
    "leavers.col.status": "Status",
    "leavers.col.since": "since",
    "leavers.col.sent": "sent to Maileon",
    "leavers.tui.note#one": "1 person no longer in KUFER; {removable} still in Maileon – X deletes there.",
    "leavers.tui.note": "{count} persons no longer in KUFER; {removable} still in Maileon – X deletes there.",
    "leavers.tui.confirm#one": "Delete 1 person who left KUFER from Maileon? Deleted by KUFER number, with the "
                               "contact's statistics; new unsubscribes are fetched first. The list behind shows "
                               "who it is.",
    "leavers.tui.confirm": "Delete {count} persons who left KUFER from Maileon? Deleted by KUFER number, with the "
                           "contacts' statistics; new unsubscribes are fetched first. The list behind shows who "
                           "they are.",
    "leavers.tui.yes": "Delete",
    "leavers.tui.no": "Cancel",
    "leavers.tui.working#one": "Deleting 1 person from Maileon …",
    "leavers.tui.working": "Deleting {count} persons from Maileon …",
    "leavers.tui.busy": "A run is under way. Please wait until it has finished.",
    "app.read-only.leavers-remove": "deleting from Maileon",
}
