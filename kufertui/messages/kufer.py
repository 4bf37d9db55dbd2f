"""Texts for importing KUFER files: file failures, row reasons, row remarks."""

DE = {
    "import.no-sql": "Für --sql fehlen in den Einstellungen [source] sql_dsn und sql_query.",
    "import.no-path": "Bitte eine Exportdatei angeben (oder --sql).",
    "import.file": "Datei {path}: Format {format}, Kodierung {encoding}, Trennzeichen {delimiter}",
    "import.file-xml": "Datei {path}: Format {format}",
    "import.mapping": "Erkannte Spalten:",
    "import.profile-saved": "Zuordnung gespeichert in {path} – anpassen und mit --profile erneut importieren.",
    "import.unmapped": "Nicht zugeordnet (ignoriert): {columns}",
    "import.counts": "Zeilen gelesen: {rows} – neu: {inserted}, geändert: {updated}, unverändert: {unchanged}.",
    "import.kept-n#one": "1 Kontakt bleibt N (Widerspruch oder Abmeldung), auch wenn die Datei etwas anderes sagt.",
    "import.kept-n": "{count} Kontakte bleiben N (Widerspruch oder Abmeldung), auch wenn die Datei etwas "
                     "anderes sagt.",
    "import.by-status": "Newsletter-Status im Arbeitsbereich: J {j} · K {k} · leer {empty} · N {n}",
    "import.duplicates#one": "1 Zeile wiederholt eine Person, die weiter oben in der Datei schon steht (gleiche "
                             "KUFER-Nummer, ohne Nummer gleiche E-Mail). Es gilt die letzte Zeile, wie bei einem "
                             "erneuten Import; ein N bleibt N. Die frühere Zeile, auch ihre E-Mail-Adresse, ist "
                             "nicht übernommen:",
    "import.duplicates": "{count} Zeilen wiederholen eine Person, die weiter oben in der Datei schon steht (gleiche "
                         "KUFER-Nummer, ohne Nummer gleiche E-Mail). Es gilt jeweils die letzte Zeile, wie bei "
                         "einem erneuten Import; ein N bleibt N. Die früheren Zeilen, auch ihre E-Mail-Adressen, "
                         "sind nicht übernommen:",
    "import.duplicate.tnr": "TNR {tnr}: Zeile {line} ersetzt Zeile {earlier}",
    "import.duplicate.email": "Zeile {line} ersetzt Zeile {earlier} (gleiche E-Mail, keine TNR)",
    "import.duplicates-more#one": "… und 1 weitere. Bereinigen Sie die Dubletten in KUFER.",
    "import.duplicates-more": "… und {count} weitere. Bereinigen Sie die Dubletten in KUFER.",
    "import.warn.no-status-column": "Achtung: Die Datei hat keine Spalte für den Newsletter-Status. Alle Kontakte "
                                    "stehen auf „leer“ und werden nicht übertragen (nur J und K). Exportieren Sie "
                                    "die Spalte aus KUFER mit oder ordnen Sie sie im Zuordnungsprofil zu "
                                    "(--profile).",
    "import.rejected#one": "1 Zeile übersprungen:",
    "import.rejected": "{count} Zeilen übersprungen:",
    "import.line": "Zeile",
    "import.more#one": "… und 1 weitere (alle stehen im Importverlauf).",
    "import.more": "… und {count} weitere (alle stehen im Importverlauf).",
    "import.reason.missing-email": "keine E-Mail-Adresse",
    "import.reason.invalid-status": "unbekannter Newsletter-Status",
    "import.reason.nul-byte": "enthält NUL-Bytes (Binärdaten)",
    "import.reason.line-too-long": "Zeile zu lang",
    "import.reason.record-too-large": "Datensatz zu groß (mehr als 1000 Elemente oder 1 MB Text)",
    "import.reason.broken-quotes": "Anführungszeichen nicht geschlossen",
    "import.reason.bad-row": "nicht lesbar",
    "import.flag.bad-date": "Geburtsdatum ungültig (leer gelassen)",
    "import.flag.several-emails": "mehrere E-Mail-Adressen (erste verwendet)",
    "import.flag.organisation": "Geschlecht F = Firma (kein Geschlecht übertragen)",
    "import.flag.unknown-gender": "unbekannter Geschlechtswert",
    "import.flag.mixed-encoding": "Zeile in anderer Kodierung",
    "import.flag.extra-columns": "mehr Zellen als Spalten",
    "import.flag.control-characters": "Steuerzeichen durch Leerzeichen ersetzt",
    "import.fail.file-not-found": "Die Datei {path} gibt es nicht.",
    "import.fail.is-directory": "{path} ist ein Ordner. Bitte eine Exportdatei angeben.",
    "import.fail.permission-denied": "Keine Leserechte für {path}.",
    "import.fail.empty-file": "Die Datei {path} ist leer.",
    "import.fail.header-only": "Die Datei {path} enthält nur die Kopfzeile ({columns}), keine Kontakte.",
    "import.fail.no-email-column": "In {path} gibt es keine E-Mail-Spalte. Gefundene Spalten: {columns}. "
                                   "Legen Sie ein Zuordnungsprofil an (--profile).",
    "import.fail.xml-forbidden": "Die XML-Datei {path} enthält ein {construct} und wird aus Sicherheitsgründen "
                                 "nicht gelesen.",
    "import.fail.xml-syntax": "Die XML-Datei {path} ist fehlerhaft (Zeile {line}): {detail}",
    "import.fail.xml-encoding": "Die XML-Datei {path} ist in der Kodierung {encoding} gespeichert (oder nicht "
                                "in der angegebenen). Gelesen werden UTF-8, UTF-16, UTF-32, ISO-8859-1, "
                                "ISO-8859-15 und Windows-1252. Exportieren Sie die Datei als UTF-8.",
    "import.fail.xml-value-too-large": "Die XML-Datei {path} enthält ein Element mit Attributen oder einen Wert "
                                       "von mehr als {limit} (ab Byte {offset}). So etwas schreibt KUFER nicht; "
                                       "die Datei wird nicht gelesen.",
    "import.fail.xml-too-many-names": "Die XML-Datei {path} enthält mehr als {limit} verschiedene Element- oder "
                                      "Attributnamen. So etwas schreibt KUFER nicht; die Datei wird nicht gelesen.",
    "import.fail.unknown-format": "Das Format von {path} wird nicht unterstützt ({detail}). "
                                  "Exportieren Sie aus KUFER als CSV oder XML.",
    "import.fail.encoding-mismatch": "Die Datei {path} ist nicht in der Kodierung {encoding} gespeichert, die das "
                                     "Zuordnungsprofil vorgibt, sondern in {found}. Nichts wurde importiert. "
                                     "Tragen Sie im Profil encoding = \"{found}\" ein oder löschen Sie die Zeile "
                                     "encoding, dann erkennt kufertui die Kodierung selbst.",
    "import.fail.profile-invalid": "Das Zuordnungsprofil {path} ist ungültig: {detail}",
    "import.fail.sql-not-readonly": "Die SQL-Abfrage muss eine reine SELECT-Abfrage sein ({detail}).",
    "import.fail.sql-error": "Die SQL-Abfrage ist fehlgeschlagen: {detail}",
    "import.fail.sql-unparseable": "Die SQL-Anweisung lässt sich nicht eindeutig lesen (Zeile {line}, Spalte {col}, "
                                   "bei „{near}“) und wird deshalb nicht ausgeführt. Erlaubt sind genau eine "
                                   "SELECT-Abfrage als Quelle und genau eine UPDATE-Anweisung zum Rückschreiben.",
    "sql.least-privilege": "Verbinden Sie kufertui mit einem eigenen Datenbank-Login, das nur die nötigen Rechte "
                           "hat: Lesen der Personen-Tabelle bzw. -Sicht und, falls Sie zurückschreiben, Ändern der "
                           "Newsletter-Spalten – keine weiteren Rechte (kein db_owner, kein sysadmin).",
    "sql.query-ok": "SQL-Abfrage: genau eine SELECT-Abfrage, schreibt nichts.",
    "sql.writeback-ok": "Rückschreib-Anweisung: genau eine UPDATE-Anweisung mit {params}.",
    "import.fail.driver-missing": "Der Datenbanktreiber {driver} ist nicht installiert.",
    "import.fail.writeback-invalid": "Die Rückschreib-Anweisung ist ungültig: {detail}",
    "import.fail.dsn-invalid": "Die SQL-Verbindung (source.sql_dsn) ist ungültig (Teil: {part}). Form: "
                               "mssql://benutzer:passwort@server[:port]/datenbank oder sqlite:///pfad.",
    "import.fail.writeback-too-broad": "Die Rückschreib-Anweisung hat für eine Abmeldung {rows} Zeilen geändert; "
                                       "das wurde zurückgenommen und das Rückschreiben per SQL angehalten. Die "
                                       "Rückschreib-Datei ist geschrieben, nichts geht verloren.",
    "sql.writeback-as-read": "Rückschreib-Anweisung, wie sie ausgeführt wird: {statement}",
    "sql.writeback-guard": "Jede Abmeldung läuft in einer eigenen Transaktion; ändert sie mehr als eine Zeile, "
                           "wird sie zurückgenommen und das Rückschreiben per SQL angehalten (die Datei bleibt).",
    "sql.dsn": "SQL-Verbindung: {dsn}",
}

EN = {
    "import.no-sql": "--sql needs [source] sql_dsn and sql_query in the settings.",
    "import.no-path": "Please name an export file (or --sql).",
    "import.file": "File {path}: format {format}, encoding {encoding}, delimiter {delimiter}",
    "import.file-xml": "File {path}: format {format}",
    "import.mapping": "Columns found:",
    "import.profile-saved": "Mapping saved to {path} – edit it and import again with --profile.",
    "import.unmapped": "Not mapped (ignored): {columns}",
    "import.counts": "Rows read: {rows} – new: {inserted}, changed: {updated}, unchanged: {unchanged}.",
    "import.kept-n#one": "1 contact stays N (objection or unsubscribe), whatever the file says.",
    "import.kept-n": "{count} contacts stay N (objection or unsubscribe), whatever the file says.",
    "import.by-status": "Newsletter status in the workspace: J {j} · K {k} · empty {empty} · N {n}",
    "import.duplicates#one": "1 row repeats a person who is already further up in the file (same KUFER number, "
                             "or same e-mail without a number). The last row counts, as in a re-import; an N "
                             "stays N. The earlier row, its e-mail address included, was not taken:",
    "import.duplicates": "{count} rows repeat a person who is already further up in the file (same KUFER number, "
                         "or same e-mail without a number). The last row counts each time, as in a re-import; an "
                         "N stays N. The earlier rows, their e-mail addresses included, were not taken:",
    "import.duplicate.tnr": "TNR {tnr}: line {line} replaces line {earlier}",
    "import.duplicate.email": "line {line} replaces line {earlier} (same e-mail, no TNR)",
    "import.duplicates-more#one": "… and 1 more. Clean up the duplicates in KUFER.",
    "import.duplicates-more": "… and {count} more. Clean up the duplicates in KUFER.",
    "import.warn.no-status-column": "Note: the file has no newsletter status column. Every contact is “empty” "
                                    "and will not be sent (only J and K are). Export the column from KUFER too "
                                    "or map it in the mapping profile (--profile).",
    "import.rejected#one": "1 row skipped:",
    "import.rejected": "{count} rows skipped:",
    "import.line": "line",
    "import.more#one": "… and 1 more (all are in the import history).",
    "import.more": "… and {count} more (all are in the import history).",
    "import.reason.missing-email": "no e-mail address",
    "import.reason.invalid-status": "unknown newsletter status",
    "import.reason.nul-byte": "contains NUL bytes (binary data)",
    "import.reason.line-too-long": "line too long",
    "import.reason.record-too-large": "record too large (more than 1000 elements or 1 MB of text)",
    "import.reason.broken-quotes": "unclosed quotes",
    "import.reason.bad-row": "unreadable",
    "import.flag.bad-date": "invalid birthday (left empty)",
    "import.flag.several-emails": "several e-mail addresses (first one used)",
    "import.flag.organisation": "gender F = Firma (company; no gender sent)",
    "import.flag.unknown-gender": "unknown gender value",
    "import.flag.mixed-encoding": "line in another encoding",
    "import.flag.extra-columns": "more cells than columns",
    "import.flag.control-characters": "control characters replaced by spaces",
    "import.fail.file-not-found": "The file {path} does not exist.",
    "import.fail.is-directory": "{path} is a folder. Please name an export file.",
    "import.fail.permission-denied": "No permission to read {path}.",
    "import.fail.empty-file": "The file {path} is empty.",
    "import.fail.header-only": "The file {path} has only its header ({columns}), no contacts.",
    "import.fail.no-email-column": "{path} has no e-mail column. Columns found: {columns}. "
                                   "Create a mapping profile (--profile).",
    "import.fail.xml-forbidden": "The XML file {path} contains a {construct} and is refused for security reasons.",
    "import.fail.xml-syntax": "The XML file {path} is malformed (line {line}): {detail}",
    "import.fail.xml-encoding": "The XML file {path} is stored in the encoding {encoding} (or not in the one it "
                                "names). UTF-8, UTF-16, UTF-32, ISO-8859-1, ISO-8859-15 and Windows-1252 are "
                                "read. Export the file as UTF-8.",
    "import.fail.xml-value-too-large": "The XML file {path} holds an element with attributes or a value of more "
                                       "than {limit} (from byte {offset}). KUFER writes nothing like it; the file "
                                       "is not read.",
    "import.fail.xml-too-many-names": "The XML file {path} holds more than {limit} different element or attribute "
                                      "names. KUFER writes nothing like it; the file is not read.",
    "import.fail.unknown-format": "The format of {path} is not supported ({detail}). Export from KUFER as CSV or XML.",
    "import.fail.encoding-mismatch": "The file {path} is not in the encoding {encoding} the mapping profile "
                                     "names but in {found}. Nothing was imported. Put encoding = \"{found}\" "
                                     "in the profile or delete the encoding line, and kufertui detects it itself.",
    "import.fail.profile-invalid": "The mapping profile {path} is invalid: {detail}",
    "import.fail.sql-not-readonly": "The SQL query must be a plain SELECT ({detail}).",
    "import.fail.sql-error": "The SQL query failed: {detail}",
    "import.fail.sql-unparseable": "The SQL statement cannot be read unambiguously (line {line}, column {col}, "
                                   "near “{near}”) and is therefore not run. Allowed are exactly one SELECT query "
                                   "as the source and exactly one UPDATE statement for the write-back.",
    "sql.least-privilege": "Connect kufertui with a database login of its own that has only the rights it needs: "
                           "reading the person table or view and, if you write back, updating the newsletter "
                           "columns – nothing else (no db_owner, no sysadmin).",
    "sql.query-ok": "SQL query: exactly one SELECT, writes nothing.",
    "sql.writeback-ok": "Write-back statement: exactly one UPDATE using {params}.",
    "import.fail.driver-missing": "The database driver {driver} is not installed.",
    "import.fail.writeback-invalid": "The write-back statement is invalid: {detail}",
    "import.fail.dsn-invalid": "The SQL connection (source.sql_dsn) is invalid (part: {part}). Form: "
                               "mssql://user:password@server[:port]/database or sqlite:///path.",
    "import.fail.writeback-too-broad": "The write-back statement changed {rows} rows for one unsubscribe; that "
                                       "was rolled back and the SQL write-back stopped. The write-back file is "
                                       "written, nothing is lost.",
    "sql.writeback-as-read": "Write-back statement as it will run: {statement}",
    "sql.writeback-guard": "Each unsubscribe runs in a transaction of its own; one that changes more than one row "
                           "is rolled back and stops the SQL write-back (the file stays).",
    "sql.dsn": "SQL connection: {dsn}",
}
