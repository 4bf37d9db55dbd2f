"""Texts of the sync engine's events and the run report."""

DE = {
    "phase.lock": "Arbeitsbereich sperren",
    "phase.pull": "Abmelder aus Maileon abholen",
    "phase.writeback": "Abmelder an KUFER zurückgeben",
    "phase.push": "Widersprüche aus KUFER an Maileon melden",
    "phase.preflight": "Vorabprüfung",
    "phase.xml": "XML-Datei schreiben",
    "phase.fields": "Kontaktfeld ImportAPI vorbereiten",
    "phase.upload": "Übertragen",
    "phase.report": "Bericht",
    "phase.targetgroup": "Zielgruppe anlegen",
    "phase.dryrun": "Kontakte in Maileon vergleichen",
    "engine.lock-held": "Ein anderer Abgleich läuft gerade ({holder}). Bitte warten Sie, bis er fertig ist.",
    "engine.resuming": "Setze den unterbrochenen Lauf Nr. {run_id} fort.",
    "engine.nothing-to-resume": "Nichts fortzusetzen: kein unterbrochener Lauf, oder ein neuerer Lauf hat ihn ersetzt.",
    "engine.xml-exists": "Im Arbeitsbereich liegt eine Upload-Datei, die kein Lauf von kufertui geschrieben hat "
                         "oder die seither verändert wurde ({path}). Mit --yes (im Programm: „Ja“) wird sie "
                         "ersetzt; die alte bleibt als {prev} erhalten.",
    "engine.pulled": "Abmeldungen in Maileon gelesen: {seen}, davon neu: {new}; auf N gesetzt: {set_n}.",
    "engine.written-back#one": "1 Abmelder für KUFER geschrieben: {path}",
    "engine.anonymised-matched": "{count} von Maileon bereits anonymisierte Abmeldungen über die KUFER-Nummer "
                                 "bzw. die Maileon-Kontakt-ID zugeordnet.",
    "engine.anonymised-unmatched": "{count} anonymisierte Abmeldungen in Maileon passen zu keinem Kontakt hier "
                                   "(Kontakt-ID/KUFER-Nummer: {ids}).",
    "engine.written-back": "{count} Abmelder für KUFER geschrieben: {path}",
    "engine.writeback-tnr-withheld#one": "1 Abmelder ohne KUFER-Nummer zurückgegeben: Die Nummer aus Maileon "
                                         "({numbers}) gehört hier zu keinem Kontakt mit dieser E-Mail. KUFER muss "
                                         "ihn über die E-Mail finden.",
    "engine.writeback-tnr-withheld": "{count} Abmelder ohne KUFER-Nummer zurückgegeben: Die Nummern aus Maileon "
                                     "(z. B. {numbers}) gehören hier zu keinem Kontakt mit dieser E-Mail. KUFER "
                                     "muss sie über die E-Mail finden.",
    "report.writeback_tnr_withheld": "davon ohne KUFER-Nummer (Nummer aus Maileon passt nicht)",
    "engine.push-off": "Widersprüche aus KUFER werden NICHT an Maileon gemeldet (Einstellung ausgeschaltet).",
    "engine.pushed": "Widersprüche an Maileon: {unsubscribed} abgemeldet, {not_found} dort unbekannt, "
                     "{failed} fehlgeschlagen (nächster Lauf versucht es erneut).",
    "engine.push-stopped": "Maileon scheitert weiter: {count} Widersprüche hintereinander trotz Wiederholungen "
                           "nicht angenommen. Der Lauf hält hier an; {pending} Widersprüche bleiben vorgemerkt "
                           "und gehen mit dem fortgesetzten Lauf oder dem nächsten Abruf an Maileon.",
    "engine.k-notice-missing": "{count} K-Kontakte zurückgehalten: Der Widerspruchshinweis nach § 7 Abs. 3 UWG "
                               "ist in den Einstellungen noch nicht bestätigt.",
    "engine.k-notice-missing#one": "1 K-Kontakt zurückgehalten: Der Widerspruchshinweis nach § 7 Abs. 3 UWG "
                                   "ist in den Einstellungen noch nicht bestätigt.",
    "engine.preflight": "Vorabprüfung: {selected} ausgewählt, {sendable} werden übertragen, "
                        "{held} zurückgehalten.",
    "engine.import-field-created": "Kontaktfeld {field} in Maileon angelegt.",
    "engine.import-field-cleared": "Kontaktfeld {field}: Werte des letzten Laufs gelöscht.",
    "engine.maileon-error": "Die Anfrage an Maileon ist fehlgeschlagen. Details: {detail}",
    "engine.custom-field-created": "Custom-Feld {field} in Maileon angelegt (Typ {type}).",
    "engine.custom-field-would-create": "Custom-Feld {field} fehlt in Maileon – ein echter Lauf legt es an "
                                        "(Typ {type}).",
    "engine.key-refused": "Maileon lehnt den API-Key ab (HTTP 401) – die Verbindung steht, aber der Key stimmt "
                          "nicht oder ist gesperrt. {origin} Details: {detail}",
    "engine.maileon-refused": "Maileon oder der Proxy verweigert die Anfrage mit diesen Einstellungen. "
                              "Details: {detail}",
    "engine.nothing-selected": "Keine J- oder K-Kontakte ausgewählt – nichts zu übertragen. Zuerst einen "
                               "KUFER-Export importieren (kufertui import DATEI) oder die Auswahl ändern.",
    "engine.nothing-to-send": "Alle ausgewählten Kontakte wurden zurückgehalten – nichts übertragen, Maileon "
                              "unverändert.",
    "engine.pull-cancelled": "Abruf abgebrochen. Was schon abgeholt war, ist gesichert; der nächste Abruf macht "
                             "weiter.",
    "engine.local-error": "Lokaler Fehler, der Lauf wurde angehalten (fortsetzbar). Details: {detail}",
    "engine.cancelled": "Angehalten. Lauf #{run} kann fortgesetzt werden (F4 oder „kufertui sync --resume“).",
    "engine.reconciliation-gap#one": "Abgleich unvollständig: 1 Kontakt ohne Ergebnis ({missing} aufgelistet).",
    "engine.reconciliation-gap": "Abgleich unvollständig: {gap} Kontakte ohne Ergebnis ({missing} aufgelistet).",
    "engine.dry-run-written": "Probelauf-Ergebnis gespeichert: {path}",
    "engine.target-group-exists": "Eine Zielgruppe „{name}“ gibt es in Maileon bereits.",
    "engine.target-group-failed": "Die Zielgruppe „{name}“ konnte nicht angelegt werden.",
    "engine.target-group-created#one": "Zielgruppe „{name}“ angelegt (Nr. {id}, 1 Kontakt empfangsbereit).",
    "engine.target-group-created": "Zielgruppe „{name}“ angelegt (Nr. {id}, {count} Kontakte empfangsbereit).",
    "report.group.run": "Dieser Lauf im Einzelnen",
    "report.group.unsubscribes": "Abmelder aus Maileon",
    "report.group.objections": "Widersprüche aus KUFER",
    "report.causes": "Ursachen der Ablehnungen",
    "report.dry-run-local": "Hier ausgeführt – Abmelder aus Maileon abgeholt: {pulled} · auf N gesetzt: {set_n} · "
                            "an KUFER zurückgegeben: {written}",
    "engine.emails-moved": "{count} Kontakte mit in KUFER geänderter E-Mail-Adresse in Maileon umgezogen "
                           "(über die KUFER-Nummer; zählen als aktualisiert).",
    "engine.email-move-conflict": "{count} geänderte E-Mail-Adressen nicht umgezogen: KUFER-Nummer mehrfach in "
                                  "Maileon oder neue Adresse dort schon vergeben ({emails}).",
    "engine.email-move-target-known": "{count} geänderte E-Mail-Adressen nicht umgezogen: Die neue Adresse "
                                      "kennt Maileon schon (eigener Kontakt oder abgemeldet/gesperrt); alt → neu: "
                                      "{emails}.",
    "engine.persons-opted-out": "{count} Personen haben sich in Maileon unter einer Adresse abgemeldet, die "
                                "kufertui mit ihrer KUFER-Nummer geschickt hatte: als Person gesperrt, unter "
                                "jeder Adresse, und mit Nummer an KUFER zurückgegeben ({numbers}).",
    "engine.persons-opted-out#one": "1 Person hat sich in Maileon unter einer Adresse abgemeldet, die kufertui mit "
                                    "ihrer KUFER-Nummer geschickt hatte: als Person gesperrt, unter jeder "
                                    "Adresse, und mit Nummer an KUFER zurückgegeben ({numbers}).",
    "engine.moves-stopped": "Maileon scheitert weiter: {count} Adressumzüge hintereinander trotz Wiederholungen "
                            "fehlgeschlagen. Der Lauf hält hier an; die übrigen Umzüge versucht der nächste Lauf.",
    "engine.rate-learned": "Maileon bremst (HTTP 429/503): jetzt höchstens {rate} Anfragen pro Sekunde, danach "
                           "langsam wieder schneller.",
    "engine.target-group-uncounted": "Zielgruppe „{name}“ angelegt (Nr. {id}); Maileon hat sie noch nicht "
                                     "gezählt – später aktualisieren.",
    "engine.target-group-empty": "Zielgruppe „{name}“ (Nr. {id}) zählt in Maileon 0 empfangsbereite Kontakte, "
                                 "obwohl dieser Lauf {marked} markiert hat.",
    "report.selected": "ausgewählt",
    "report.updated": "aktualisiert",
    "report.new": "neu",
    "report.invalid": "ungültig ausgefiltert",
    "report.unsubscribes": "Abmelder übernommen",
    "report.rejected_preflight": "bei der Vorabprüfung zurückgehalten",
    "report.rejected_by_maileon": "von Maileon abgelehnt",
    "report.unsubscribed_now": "in Maileon abgemeldet (jetzt N)",
    "report.suppressed_by_ledger": "auf der Sperrliste",
    "report.held_legal": "K zurückgehalten (UWG-Hinweis fehlt)",
    "report.skipped_unsubscribed_in_maileon": "von Maileon übersprungen (Abmeldemarkierung)",
    "report.unsubscribes_pulled": "neue Abmelder aus Maileon",
    "report.written_back": "an KUFER zurückgegeben",
    "report.objections_pushed": "Widersprüche an Maileon gemeldet",
    "report.objections_not_in_maileon": "Widersprüche, in Maileon unbekannt",
    "report.objections_pending": "Widersprüche noch offen",
    "report.reconciled": "Alle ausgewählten Kontakte sind erfasst.",
    "report.gap#one": "Es fehlt 1 Kontakt im Ergebnis.",
    "report.gap": "Es fehlen {gap} Kontakte im Ergebnis.",
    # CSV exports (dry run, rejects): human columns in the user's language; "outcome" and "code" stay as machine
    # columns with fixed names and values (README, "Exports")
    "export.col.email": "E-Mail", "export.col.status": "Status", "export.col.outcome": "Ergebnis",
    "export.col.cause": "Ursache", "export.col.detail": "Details",
    "outcome.would-create": "würde angelegt", "outcome.would-update": "würde aktualisiert",
    "outcome.unchanged": "unverändert", "outcome.would-unsubscribe": "würde abgemeldet (Widerspruch in KUFER)",
    "outcome.objection-not-in-maileon": "Widerspruch in KUFER, in Maileon nicht vorhanden",
    "outcome.unsubscribed": "abgemeldet", "outcome.rejected": "zurückgehalten", "outcome.invalid": "ungültig",
    "outcome.suppressed": "gesperrt (Abmeldung vermerkt)", "outcome.held": "zurückgehalten (UWG-Hinweis fehlt)",
    "outcome.not-in-maileon": "in Maileon unbekannt",
    "outcome.left": "nicht mehr in KUFER (aus der Auswahl genommen)",
    # whose upload file lies in the workspace
    "engine.xml-unfinished": "Die Upload-Datei ({path}) gehört zu Lauf #{run}, der nicht zu Ende kam. Setzen Sie ihn "
                             "mit „kufertui sync --resume“ fort, oder beginnen Sie mit --yes einen neuen Lauf (die "
                             "Datei bleibt als {prev} erhalten).",
    "engine.xml-kept-as": "Die bisherige Upload-Datei bleibt erhalten als {path}.",
    "engine.xml-not-kept": "Von der bisherigen Upload-Datei {path} konnte keine Kopie angelegt werden; der Lauf "
                           "ersetzt sie trotzdem. Details: {detail}",
    "engine.xml-replace-unfinished": "Die Upload-Datei gehört zu Lauf #{run}, der nicht zu Ende kam. Trotzdem einen "
                                     "neuen Lauf beginnen? Die Datei bleibt als {prev} erhalten.",
    "engine.xml-replace-foreign": "Im Arbeitsbereich liegt eine Upload-Datei, die kein Lauf von kufertui geschrieben "
                                  "hat oder die seither verändert wurde. Ersetzen? Die alte bleibt als "
                                  "{prev} erhalten.",
}

EN = {
    "phase.lock": "Locking the workspace",
    "phase.pull": "Fetching unsubscribes from Maileon",
    "phase.writeback": "Handing unsubscribes back to KUFER",
    "phase.push": "Passing KUFER objections to Maileon",
    "phase.preflight": "Pre-flight check",
    "phase.xml": "Writing the XML file",
    "phase.fields": "Preparing the ImportAPI contact field",
    "phase.upload": "Uploading",
    "phase.report": "Report",
    "phase.targetgroup": "Creating the target group",
    "phase.dryrun": "Comparing with contacts in Maileon",
    "engine.lock-held": "Another sync is running ({holder}). Please wait until it has finished.",
    "engine.resuming": "Resuming interrupted run no. {run_id}.",
    "engine.nothing-to-resume": "Nothing to resume: no interrupted run, or a newer run has replaced it.",
    "engine.xml-exists": "The workspace holds an upload file that no kufertui run wrote, or that was changed since "
                         "({path}). --yes (in the app: \"Yes\") replaces it; the old one is kept as {prev}.",
    "engine.pulled": "Unsubscriptions read in Maileon: {seen}, new of them: {new}; set to N: {set_n}.",
    "engine.written-back#one": "Wrote 1 unsubscribe for KUFER: {path}",
    "engine.anonymised-matched": "{count} unsubscriptions Maileon had already anonymised were matched by KUFER "
                                 "number or Maileon contact id.",
    "engine.anonymised-unmatched": "{count} anonymised unsubscriptions in Maileon match no contact here "
                                   "(contact id/KUFER number: {ids}).",
    "engine.written-back": "Wrote {count} unsubscribes for KUFER: {path}",
    "engine.writeback-tnr-withheld#one": "1 unsubscribe handed back without a KUFER number: Maileon's number "
                                         "({numbers}) belongs to no contact with that e-mail here. KUFER has to "
                                         "find it by the e-mail.",
    "engine.writeback-tnr-withheld": "{count} unsubscribes handed back without a KUFER number: Maileon's numbers "
                                     "(e.g. {numbers}) belong to no contact with that e-mail here. KUFER has to "
                                     "find them by the e-mail.",
    "report.writeback_tnr_withheld": "of them without a KUFER number (Maileon's number does not fit)",
    "engine.push-off": "KUFER objections are NOT passed to Maileon (setting switched off).",
    "engine.pushed": "Objections passed to Maileon: {unsubscribed} unsubscribed, {not_found} unknown there, "
                     "{failed} failed (retried next run).",
    "engine.push-stopped": "Maileon keeps failing: {count} objections in a row not accepted despite retries. "
                           "The run stops here; {pending} objections stay on the list and go to Maileon with "
                           "the resumed run or the next pull.",
    "engine.k-notice-missing": "{count} K contacts held back: the § 7(3) UWG objection notice has not been "
                               "confirmed in the settings.",
    "engine.k-notice-missing#one": "1 K contact held back: the § 7(3) UWG objection notice has not been "
                                   "confirmed in the settings.",
    "engine.preflight": "Pre-flight: {selected} selected, {sendable} will be sent, {held} held back.",
    "engine.import-field-created": "Contact field {field} created in Maileon.",
    "engine.import-field-cleared": "Contact field {field}: values of the last run cleared.",
    "engine.maileon-error": "The request to Maileon failed. Details: {detail}",
    "engine.custom-field-created": "Custom field {field} created in Maileon (type {type}).",
    "engine.custom-field-would-create": "Custom field {field} is missing in Maileon – a real run creates it "
                                        "(type {type}).",
    "engine.key-refused": "Maileon refuses the API key (HTTP 401) – the connection works, but the key is wrong or "
                          "blocked. {origin} Details: {detail}",
    "engine.maileon-refused": "Maileon or the proxy refuses the request with these settings. Details: {detail}",
    "engine.nothing-selected": "No J or K contacts selected – nothing to upload. Import a KUFER export first "
                               "(kufertui import FILE) or change the selection.",
    "engine.nothing-to-send": "Every selected contact was held back – nothing uploaded, Maileon unchanged.",
    "engine.pull-cancelled": "Pull cancelled. What was fetched is kept; the next pull carries on.",
    "engine.local-error": "Local error, the run was stopped (resumable). Details: {detail}",
    "engine.cancelled": "Stopped. Run #{run} can be resumed (F4 or \"kufertui sync --resume\").",
    "engine.reconciliation-gap#one": "Reconciliation incomplete: 1 contact without outcome ({missing} listed).",
    "engine.reconciliation-gap": "Reconciliation incomplete: {gap} contacts without outcome ({missing} listed).",
    "engine.dry-run-written": "Dry-run result saved: {path}",
    "engine.target-group-exists": "A target group \"{name}\" already exists in Maileon.",
    "engine.target-group-failed": "The target group \"{name}\" could not be created.",
    "engine.target-group-created#one": 'Target group "{name}" created (no. {id}, 1 contact can receive mail).',
    "engine.target-group-created": "Target group \"{name}\" created (no. {id}, {count} contacts can receive mail).",
    "report.group.run": "This run in detail",
    "report.group.unsubscribes": "Unsubscribes from Maileon",
    "report.group.objections": "Objections from KUFER",
    "report.causes": "Causes of rejects",
    "report.dry-run-local": "Done here – unsubscribes pulled from Maileon: {pulled} · set to N: {set_n} · "
                            "handed back to KUFER: {written}",
    "engine.emails-moved": "{count} contacts whose e-mail changed in KUFER were moved in Maileon (by KUFER "
                           "number; counted as updated).",
    "engine.email-move-conflict": "{count} changed e-mail addresses not moved: KUFER number held by several "
                                  "Maileon contacts, or the new address already taken there ({emails}).",
    "engine.email-move-target-known": "{count} changed e-mail addresses not moved: Maileon already knows the new "
                                      "address (a contact of its own, or unsubscribed/blocked); old → new: "
                                      "{emails}.",
    "engine.persons-opted-out": "{count} persons unsubscribed in Maileon under an address kufertui had sent with "
                                "their KUFER number: suppressed as persons, under every address, and handed back "
                                "to KUFER with the number ({numbers}).",
    "engine.persons-opted-out#one": "1 person unsubscribed in Maileon under an address kufertui had sent with "
                                    "their KUFER number: suppressed as a person, under every address, and handed "
                                    "back to KUFER with the number ({numbers}).",
    "engine.moves-stopped": "Maileon keeps failing: {count} address moves in a row failed despite retries. The run "
                            "stops here; the next run tries the remaining moves.",
    "engine.rate-learned": "Maileon is throttling (HTTP 429/503): now at most {rate} requests per second, then "
                           "slowly faster again.",
    "engine.target-group-uncounted": "Target group \"{name}\" created (no. {id}); Maileon has not counted it yet "
                                     "– refresh later.",
    "engine.target-group-empty": "Target group \"{name}\" (no. {id}) counts 0 contacts able to receive mail in "
                                 "Maileon, although this run marked {marked}.",
    "report.selected": "selected",
    "report.updated": "updated",
    "report.new": "new",
    "report.invalid": "filtered as invalid",
    "report.unsubscribes": "unsubscribes taken over",
    "report.rejected_preflight": "held back by the pre-flight check",
    "report.rejected_by_maileon": "rejected by Maileon",
    "report.unsubscribed_now": "unsubscribed in Maileon (now N)",
    "report.suppressed_by_ledger": "on the suppression ledger",
    "report.held_legal": "K held back (UWG notice missing)",
    "report.skipped_unsubscribed_in_maileon": "skipped by Maileon (unsubscription marker)",
    "report.unsubscribes_pulled": "new unsubscribes from Maileon",
    "report.written_back": "handed back to KUFER",
    "report.objections_pushed": "objections passed to Maileon",
    "report.objections_not_in_maileon": "objections unknown in Maileon",
    "report.objections_pending": "objections still pending",
    "report.reconciled": "Every selected contact is accounted for.",
    "report.gap#one": "1 contact is missing from the result.",
    "report.gap": "{gap} contacts are missing from the result.",
    # CSV exports (dry run, rejects): human columns in the user's language; "outcome" and "code" stay as machine
    # columns with fixed names and values (README, "Exports")
    "export.col.email": "E-mail", "export.col.status": "Status", "export.col.outcome": "Outcome",
    "export.col.cause": "Cause", "export.col.detail": "Details",
    "outcome.would-create": "would be created", "outcome.would-update": "would be updated",
    "outcome.unchanged": "unchanged", "outcome.would-unsubscribe": "would be unsubscribed (objection in KUFER)",
    "outcome.objection-not-in-maileon": "objection in KUFER, not in Maileon",
    "outcome.unsubscribed": "unsubscribed", "outcome.rejected": "held back", "outcome.invalid": "invalid",
    "outcome.suppressed": "blocked (unsubscribe on record)", "outcome.held": "held back (UWG notice missing)",
    "outcome.not-in-maileon": "unknown in Maileon",
    "outcome.left": "no longer in KUFER (taken out of the selection)",
    # whose upload file lies in the workspace
    "engine.xml-unfinished": "The upload file ({path}) belongs to run #{run}, which did not finish. Continue it with "
                             "\"kufertui sync --resume\", or start a new run with --yes (the file is kept as "
                             "{prev}).",
    "engine.xml-kept-as": "The earlier upload file is kept as {path}.",
    "engine.xml-not-kept": "No copy of the earlier upload file {path} could be made; the run replaces it all the "
                           "same. Details: {detail}",
    "engine.xml-replace-unfinished": "The upload file belongs to run #{run}, which did not finish. Start a new run "
                                     "anyway? The file is kept as {prev}.",
    "engine.xml-replace-foreign": "The workspace holds an upload file that no kufertui run wrote, or that was changed "
                                  "since. Replace it? The old one is kept as {prev}.",
}
