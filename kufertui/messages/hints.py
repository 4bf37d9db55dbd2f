"""Texts of the troubleshooting handbook: one hint per cause, in German and English, served through the
catalogue as `hints.<id>.title|cause|fix`; the help searches them (tui/hints.py).

Every error the tool shows carries a hint id (see ``kufertui.maileon.errors`` and the sync engine); the
TUI handbook and ``kufertui doctor`` look the text up here. The audience is the VHS admin: plain words,
"Sie"-form in German, and always a concrete next step (which setting, where to click in Maileon, what to
tell the IT). Settings are named as in the TOML file (``[proxy] host``) and as labelled in the TUI.

What a hint is and how a text names the Maileon host in use: kufertui.core.hints. Pure data, no I/O.
"""

from __future__ import annotations

from kufertui.core.hints import Hint, maileon_code_hint_id


def _h(*args: str) -> Hint:
    return Hint(*args)


_SUPPORT_DE = ("Bleibt der Fehler, senden Sie dem Support ein Support-Paket (Bericht, Protokoll, "
               "Einstellungen; der API-Key ist darin maskiert).")
_SUPPORT_EN = ("If it persists, send support a support bundle (report, journal, settings; the API key is "
               "masked in it).")

_NETWORK: tuple[Hint, ...] = (
    _h("proxy-socket", "Verbindung über den Proxy fehlgeschlagen („Socket Error“)",
       "Connection via the proxy failed (\"Socket Error\")",
       "Ihr Netz lässt Verbindungen ins Internet nur über einen Proxy zu, und in den Einstellungen fehlt "
       "der Proxy, oder Host/Port stimmen nicht.",
       "Your network only allows internet connections through a proxy, and the settings lack it or have a "
       "wrong host/port.",
       "Tragen Sie unter Einstellungen > Proxy den Proxy-Host und -Port ein ([proxy] host, port). Welche "
       "Werte richtig sind, weiß die Systemadministration Ihrer VHS; fragen Sie dort nach „Proxy für "
       "{scheme} nach {host}“. Prüfen Sie danach mit `kufertui doctor`.",
       "Enter the proxy host and port under Settings > Proxy ([proxy] host, port). Your VHS system "
       "administrator knows the right values; ask for \"the {scheme} proxy for {host}\". Then run "
       "`kufertui doctor`."),
    _h("proxy-auth", "Proxy verlangt eine Anmeldung (HTTP 407)", "Proxy requires authentication (HTTP 407)",
       "Der Proxy wurde erreicht, lehnt aber ab: Benutzername oder Passwort fehlen oder sind falsch.",
       "The proxy was reached but refused: user name or password missing or wrong.",
       "Tragen Sie unter Einstellungen > Proxy Benutzer und Passwort für den Proxy ein ([proxy] user, "
       "password). Die Zugangsdaten bekommen Sie von der IT.",
       "Enter the proxy user and password under Settings > Proxy ([proxy] user, password). Your IT "
       "provides them."),
    _h("key-invalid", "API-Key wird nicht akzeptiert (HTTP 401)", "API key not accepted (HTTP 401)",
       "Maileon kennt den eingetragenen API-Key nicht: Er ist falsch kopiert, abgelaufen oder gelöscht, "
       "oder das Maileon-Konto ist gesperrt.",
       "Maileon does not recognise the API key: it was copied wrongly, has expired or was deleted, or the "
       "Maileon account is blocked.",
       "Legen Sie in Maileon unter Einstellungen > API-Keys einen neuen Key an und tragen Sie ihn unter "
       "Einstellungen > Maileon ein (ohne Leerzeichen). Ist das Konto gesperrt, hilft nur der "
       "Maileon-Support.",
       "Create a new key in Maileon under Settings > API keys and enter it under Settings > Maileon (no "
       "spaces at either end). If the account is blocked, only Maileon support can help."),
    _h("key-rights", "API-Key fehlt eine Berechtigung (HTTP 403)", "API key lacks a permission (HTTP 403)",
       "Der Key ist gültig, darf aber eine benötigte Aktion nicht ausführen (z. B. Abmelder lesen).",
       "The key is valid but may not perform a required action (e.g. read unsubscribers).",
       "Öffnen Sie in Maileon Einstellungen > API-Keys, bearbeiten Sie den Key und setzen Sie alle Rechte "
       "(lesen, anlegen, ändern, löschen). Die Schnittstelle braucht alle davon.",
       "In Maileon open Settings > API keys, edit the key and grant all rights (read, create, update, "
       "delete). The interface needs all of them."),
    _h("tls", "Zertifikatsprüfung fehlgeschlagen (TLS)", "Certificate check failed (TLS)",
       "Meist prüft ein Proxy oder eine Firewall Ihrer IT den verschlüsselten Verkehr und ersetzt dabei "
       "das Zertifikat von Maileon durch ein eigenes, das dieser Rechner nicht kennt.",
       "Usually a proxy or firewall of your IT inspects encrypted traffic and replaces Maileon's "
       "certificate with its own, which this computer does not know.",
       "Lassen Sie sich von der IT das Stammzertifikat (CA) des Proxys als PEM-Datei geben und tragen Sie "
       "den Pfad unter Einstellungen > TLS ein ([tls] ca_bundle). Schalten Sie die Prüfung nie ab: Dann "
       "könnte jeder den API-Key mitlesen.",
       "Ask your IT for the proxy's root certificate (CA) as a PEM file and enter its path under Settings "
       "> TLS ([tls] ca_bundle). Never switch the check off: anyone could then read the API key."),
    _h("network", "Keine Verbindung zu Maileon", "No connection to Maileon",
       "Der Rechner erreicht {host} nicht: kein Netz, Name nicht auflösbar, oder eine Firewall "
       "blockiert ausgehende Verbindungen über {scheme} (Port {port}).",
       "This computer cannot reach {host}: no network, the name does not resolve, or a firewall "
       "blocks outgoing {scheme} connections (port {port}).",
       "Prüfen Sie, ob {host} im Browser erreichbar ist und [maileon] base_url stimmt. Wenn nicht, bitten "
       "Sie die IT, {scheme} zu {host} freizugeben, oder tragen Sie einen Proxy ein (Einstellungen > Proxy).",
       "Check whether {host} opens in a browser and [maileon] base_url is right. If not, ask your IT to "
       "allow {scheme} to {host}, or configure a proxy (Settings > Proxy)."),
    _h("timeout", "Zeitüberschreitung", "Timeout",
       "Maileon oder der Proxy hat nicht rechtzeitig geantwortet; große Übertragungen können lange "
       "dauern, oder die Leitung ist überlastet.",
       "Maileon or the proxy did not answer in time; large uploads can take long, or the line is busy.",
       "Starten Sie den Lauf erneut mit `kufertui sync --resume`; bereits übertragene Pakete werden nicht "
       "doppelt gesendet. Tritt das oft auf, erhöhen Sie [maileon] read_timeout oder senken Sie [maileon] "
       "batch_size.",
       "Run again with `kufertui sync --resume`; batches already sent are not sent twice. If it happens "
       "often, raise [maileon] read_timeout or lower [maileon] batch_size."),
    _h("rate-limited", "Zu viele Anfragen (HTTP 429)", "Too many requests (HTTP 429)",
       "Maileon bremst, weil in kurzer Zeit zu viele Anfragen mit diesem Key kamen (evtl. auch von "
       "anderen Programmen mit demselben Key).",
       "Maileon is throttling because too many requests came with this key in a short time (perhaps also "
       "from other programs using the same key).",
       "Nichts zu tun: Das Programm wartet, wird langsamer und merkt sich das Tempo für den nächsten Lauf. "
       "Kennen Sie die Grenze Ihres Vertrags, tragen Sie sie als Obergrenze unter [maileon] "
       "requests_per_second ein (0 = keine).",
       "Nothing to do: the tool waits, slows down and remembers the pace for the next run. If you know your "
       "contract's limit, enter it as a ceiling under [maileon] requests_per_second (0 = none)."),
    _h("server-error", "Fehler bei Maileon (HTTP 5xx)", "Maileon server error (HTTP 5xx)",
       "Maileon hatte ein internes Problem oder war kurz nicht verfügbar. Das liegt nicht an Ihren Daten.",
       "Maileon had an internal problem or was briefly unavailable. This is not caused by your data.",
       "Warten Sie einige Minuten und setzen Sie den Lauf mit `kufertui sync --resume` fort. Hält die "
       "Störung an, sehen Sie auf der Statusseite von Maileon nach oder fragen Sie den Maileon-Support.",
       "Wait a few minutes and continue the run with `kufertui sync --resume`. If it lasts, check "
       "Maileon's status page or ask Maileon support."),
    _h("malformed-response", "Unverständliche Antwort", "Unreadable response",
       "Die Antwort war kein gültiges Maileon-Format. Oft schiebt ein Proxy eine eigene Hinweisseite "
       "dazwischen.",
       "The response was not valid Maileon data. Often a proxy injects its own notice or login page.",
       "Prüfen Sie Proxy-Einstellungen und Base-URL ([maileon] base_url, normal: "
       "https://api.maileon.com/1.0). " + _SUPPORT_DE,
       "Check the proxy settings and base URL ([maileon] base_url, normally https://api.maileon.com/1.0). "
       + _SUPPORT_EN),
    _h("bad-request", "Anfrage abgelehnt (HTTP 400)", "Request rejected (HTTP 400)",
       "Maileon hat eine Anfrage als fehlerhaft abgelehnt; die Meldung von Maileon steht im Protokoll.",
       "Maileon rejected a request as malformed; Maileon's message is in the log.",
       "Unverändert wiederholen hilft nicht. Prüfen Sie die Feldzuordnung und die Meldung im "
       "Protokoll. " + _SUPPORT_DE,
       "Repeating it unchanged will not help. Check the field mapping and the message in the log. "
       + _SUPPORT_EN),
    _h("not-found", "Nicht gefunden (HTTP 404)", "Not found (HTTP 404)",
       "Etwas, das das Programm erwartet, gibt es in Maileon nicht (mehr), z. B. ein gelöschter Filter, "
       "eine Zielgruppe oder ein Kontaktfeld; oder die Base-URL ist falsch.",
       "Something the tool expects does not exist (any more) in Maileon, e.g. a deleted filter, target "
       "group or contact field; or the base URL is wrong.",
       "Prüfen Sie [maileon] base_url und ob das im Protokoll genannte Objekt in Maileon noch existiert.",
       "Check [maileon] base_url and whether the object named in the log still exists in Maileon."),
    _h("conflict", "Konflikt (HTTP 409)", "Conflict (HTTP 409)",
       "Maileon hat etwas abgelehnt, weil es schon existiert (z. B. gleicher Name oder gleiche externe "
       "ID).", "Maileon refused because it already exists (e.g. same name or same external id).",
       "Wählen Sie einen anderen Namen oder verwenden Sie das vorhandene Objekt in Maileon.",
       "Choose another name or use the existing object in Maileon."),
    _h("maileon-error", "Fehler bei der Kommunikation mit Maileon", "Error talking to Maileon",
       "Maileon hat einen Fehler gemeldet, der keiner bekannten Ursache zugeordnet ist.",
       "Maileon reported an error that matches no known cause.",
       "Lesen Sie die Meldung im Protokoll und prüfen Sie mit `kufertui doctor`. " + _SUPPORT_DE,
       "Read the message in the log and check with `kufertui doctor`. " + _SUPPORT_EN),
)

_MANUAL: tuple[Hint, ...] = (
    _h("importapi-fewer", "Weniger Kontakte mit „ImportAPI = wahr“ in Maileon als ausgewählt",
       "Fewer contacts with \"ImportAPI = true\" in Maileon than selected",
       "Maileon hat Kontakte mit ungültigen Werten aussortiert. Häufigster Grund ist das Geschlecht: "
       "KUFER speichert z. B. W oder F (Firma), Maileon nimmt nur m, f oder d an. Die Zeile „ungültig“ im "
       "Bericht nennt die Zahl, die Aufschlüsselung jeden Kontakt mit Fehlercode.",
       "Maileon dropped contacts with invalid values. The most common reason is gender: KUFER stores e.g. "
       "W or F (company), Maileon accepts only m, f or d. The \"invalid\" figure in the report gives the "
       "count, the breakdown lists each contact with its error code.",
       "Korrigieren Sie die genannten Kontakte in KUFER, oder ordnen Sie in der Feldauswahl die Werte zu "
       "(W → f), oder lassen Sie das Feld Geschlecht bei der Auswahl einfach weg. Danach neu übertragen.",
       "Fix the listed contacts in KUFER, or map the values in the field picker (W → f), or simply leave "
       "the Geschlecht field out of the selection. Then run the upload again."),
    _h("retention-window",
       "Maileon löscht Abmelderdaten nach 14 Tagen", "Maileon deletes unsubscriber data after 14 days",
       "Aus Datenschutzgründen löscht Maileon die Liste der Abmelder standardmäßig nach 14 Tagen. Holt "
       "das Programm die Abmelder seltener ab, gehen Abmeldungen verloren: Die Person bliebe in KUFER "
       "aktiv und würde beim nächsten Übertrag wieder angelegt. Anonymisiert Maileon den Eintrag nur "
       "(E-Mail weg, externe ID bleibt), ordnet das Programm ihn über die KUFER-Nummer trotzdem zu; "
       "verloren sind dann nur Abmeldungen von Kontakten ohne KUFER-Nummer.",
       "For data protection Maileon deletes the unsubscriber list after 14 days by default. If the tool "
       "fetches unsubscribers less often, unsubscriptions are lost: the person stays active in KUFER and "
       "would be created again by the next upload. Where Maileon only anonymises the entry (e-mail gone, "
       "external id kept), the tool still matches it by the KUFER number; only unsubscribes of contacts "
       "without a KUFER number are lost then.",
       "Holen Sie die Abmelder mindestens alle 14 Tage ab, am besten täglich automatisch: Lassen Sie die "
       "IT `kufertui unsubscribers pull` als Cronjob oder systemd-Timer einrichten. Zusätzlich können Sie "
       "in Maileon unter Einstellungen > Kontaktmanagement die Frist verlängern (z. B. 3 Monate) und den "
       "Wert unter [unsubscribers] retention_days eintragen. Die Option, Abmelder im Klartext dauerhaft "
       "aufzubewahren, verantworten Sie datenschutzrechtlich selbst.",
       "Fetch unsubscribers at least every 14 days, ideally daily and automatically: have your IT set up "
       "`kufertui unsubscribers pull` as a cron job or systemd timer. You can also extend the period in "
       "Maileon under Settings > Contact management (e.g. 3 months) and enter it as [unsubscribers] "
       "retention_days. Keeping unsubscribers in plain text for good is an option whose data-protection "
       "responsibility lies with you."),
)

# Codes 6–16: standard fields longer than 255 characters (in Maileon's order).
_LENGTH_FIELDS = (
    (6, "Adresse", "address"), (7, "Ort", "city"), (8, "Vorname", "first name"),
    (9, "vollständiger Name", "full name"), (10, "Hausnummer", "house number"), (11, "Nachname", "last name"),
    (12, "Organisation", "organisation"), (13, "Region", "region"), (14, "Bundesland", "state"),
    (15, "Titel", "title"), (16, "PLZ", "postcode"),
)


def _length_hint(code: int, de: str, en: str) -> Hint:
    return _h(f"maileon-code-{code}",
              f"Maileon-Code {code}: Feld „{de}“ zu lang",
              f"Maileon code {code}: field \"{en}\" too long",
              f"Der Wert im Feld „{de}“ ist länger als 255 Zeichen; Maileon nimmt den Kontakt nicht an.",
              f"The value of the \"{en}\" field is longer than 255 characters; Maileon rejects the contact.",
              f"Kürzen Sie den Eintrag in KUFER oder lassen Sie das Feld „{de}“ in der Feldauswahl weg. Oft "
              "steht versehentlich ein Bemerkungstext im falschen Feld.",
              f"Shorten the entry in KUFER or leave the \"{en}\" field out in the field picker. Often a "
              "remark text was put into the wrong field by mistake.")


def _code(code: int, title_de: str, title_en: str, *texts: str) -> Hint:
    return _h(f"maileon-code-{code}", f"Maileon-Code {code}: {title_de}", f"Maileon code {code}: {title_en}",
              *texts)


_DATE_DE = "Erlaubt sind nur JJJJ-MM-TT oder JJJJ-MM-TT hh:mm:ss. Das Programm wandelt TT.MM.JJJJ selbst um"
_DATE_EN = "Only YYYY-MM-DD or YYYY-MM-DD hh:mm:ss are allowed. The tool converts DD.MM.YYYY itself"
_CUSTOM_FIX_DE = ("Prüfen Sie in Maileon unter Listen & Kontakte > Kontaktfelder den Typ des Feldes und "
                  "korrigieren Sie entweder den Wert in KUFER oder den Feldtyp in Maileon.")
_CUSTOM_FIX_EN = ("In Maileon check the field's type under Lists & contacts > Contact fields and fix either "
                  "the value in KUFER or the field type in Maileon.")

_CODES: tuple[Hint, ...] = (
    _code(1, "externe ID fehlt", "external id missing",
          "Die Übertragung arbeitet mit externer ID (z. B. KUFER-Personennummer), aber der Kontakt hat "
          "keine.", "The upload matches by external id (e.g. KUFER person number), but the contact has none.",
          "Ergänzen Sie die Personennummer in KUFER oder wählen Sie für die externe ID ein Feld, das "
          "immer gefüllt ist.",
          "Add the person number in KUFER or pick a field for the external id that is always filled."),
    _code(2, "E-Mail-Adresse fehlt", "e-mail address missing",
          "Der Kontakt hat keine E-Mail-Adresse; ohne sie kann Maileon ihn nicht anlegen.",
          "The contact has no e-mail address; Maileon cannot create it without one.",
          "Tragen Sie die Adresse in KUFER nach oder nehmen Sie den Kontakt aus der Auswahl.",
          "Add the address in KUFER or remove the contact from the selection."),
    _code(3, "E-Mail-Adresse ungültig", "e-mail address invalid",
          "Die Adresse ist formal falsch, z. B. Leerzeichen, zwei @, Komma statt Punkt, keine Domain.",
          "The address is malformed, e.g. spaces, two @ signs, a comma instead of a dot or no domain.",
          "Korrigieren Sie die Adresse in KUFER beim genannten Kontakt.",
          "Correct the address in KUFER for the listed contact."),
    _code(4, "externe ID doppelt", "duplicate external id",
          "Zwei Kontakte haben dieselbe externe ID, in dieser Übertragung oder schon in Maileon.",
          "Two contacts share the same external id, in this upload or already in Maileon.",
          "Führen Sie die Dubletten in KUFER zusammen oder prüfen Sie, welches Feld als externe ID dient.",
          "Merge the duplicates in KUFER or check which field is used as the external id."),
    _code(5, "E-Mail-Adresse doppelt", "duplicate e-mail address",
          "Dieselbe Adresse steht mehrfach in der Übertragung, etwa bei Familien.",
          "The same address occurs several times in the upload, e.g. for families.",
          "Nur der erste Eintrag wird übertragen. Bereinigen Sie die Dubletten in KUFER.",
          "Only the first entry is uploaded. Clean up the duplicates in KUFER."),
    *(_length_hint(code, de, en) for code, de, en in _LENGTH_FIELDS),
    _code(17, "Geburtsdatum ungültig", "birthday invalid",
          _DATE_DE + "; der Fehler bedeutet ein unmögliches Datum in KUFER (z. B. 31.02.).",
          _DATE_EN + "; the error means an impossible date in KUFER (e.g. 31 Feb).",
          "Korrigieren Sie das Geburtsdatum in KUFER oder lassen Sie das Feld in der Feldauswahl weg.",
          "Correct the birthday in KUFER or leave the field out in the field picker."),
    _code(18, "Namenstag ungültig", "name day invalid",
          _DATE_DE + "; der Wert in KUFER ist kein gültiges Datum.",
          _DATE_EN + "; the value in KUFER is not a valid date.",
          "Korrigieren Sie den Wert in KUFER oder lassen Sie das Feld in der Feldauswahl weg.",
          "Correct the value in KUFER or leave the field out in the field picker."),
    _code(19, "Geschlecht ungültig", "gender invalid",
          "Maileon nimmt nur m, f oder d an. KUFER verwendet andere Kürzel: W steht für weiblich (→ f), F "
          "dagegen für Firma und ist kein Geschlecht.",
          "Maileon accepts only m, f or d. KUFER uses other codes: W means female (→ f), while F means "
          "Firma (company) and is not a gender.",
          "Ordnen Sie in der Feldauswahl die Werte zu (M → m, W → f, F → leer), korrigieren Sie die "
          "Einträge in KUFER oder lassen Sie das Feld Geschlecht ganz weg.",
          "Map the values in the field picker (M → m, W → f, F → empty), fix the entries in KUFER or "
          "leave the Geschlecht field out completely."),
    _code(20, "Sprache/Locale ungültig", "locale invalid",
          "Das Feld Locale muss die Form de_DE (oder de) haben.",
          "The locale field must look like de_DE (or de).",
          "Ordnen Sie in der Feldauswahl die Werte zu oder lassen Sie das Feld weg.",
          "Map the values in the field picker or leave the field out."),
    _code(21, "eigenes Feld existiert nicht", "no such custom field",
          "Die Feldauswahl schreibt in ein eigenes Kontaktfeld, das es in Maileon nicht (so) gibt.",
          "The field picker writes to a custom contact field that Maileon does not have (under this "
          "spelling).",
          "Legen Sie das Feld zuerst in Maileon unter Listen & Kontakte > Kontaktfelder an, mit genau dem "
          "Namen aus der Feldauswahl, oder entfernen Sie die Zuordnung.",
          "First create the field in Maileon under Lists & contacts > Contact fields, with exactly the "
          "name used in the field picker, or remove the mapping."),
    _code(22, "Ja/Nein-Wert ungültig", "boolean value invalid",
          "Ein eigenes Feld vom Typ Boolean erlaubt nur 0, 1, true oder false.",
          "A custom boolean field accepts only 0, 1, true or false.",
          "Ordnen Sie in der Feldauswahl die KUFER-Werte zu (z. B. J → true, N → false). " + _CUSTOM_FIX_DE,
          "Map the KUFER values in the field picker (e.g. J → true, N → false). " + _CUSTOM_FIX_EN),
    _code(23, "Kommazahl (float) ungültig", "float value invalid",
          "Ein eigenes Zahlenfeld hat einen Wert bekommen, der keine Zahl ist (z. B. Text oder "
          "Dezimalkomma).",
          "A custom number field received a value that is not a number (e.g. text or a decimal comma).",
          _CUSTOM_FIX_DE, _CUSTOM_FIX_EN),
    _code(24, "Kommazahl (double) ungültig", "double value invalid",
          "Ein eigenes Zahlenfeld (double) hat einen Wert bekommen, der keine Zahl ist.",
          "A custom number field (double) received a value that is not a number.",
          _CUSTOM_FIX_DE, _CUSTOM_FIX_EN),
    _code(25, "Ganzzahl ungültig", "integer value invalid",
          "Ein eigenes Feld vom Typ Ganzzahl hat Text oder eine Kommazahl bekommen.",
          "A custom integer field received text or a decimal number.",
          _CUSTOM_FIX_DE, _CUSTOM_FIX_EN),
    _code(26, "Textwert zu lang", "string value too long",
          "Ein eigenes Textfeld darf höchstens 255 Zeichen enthalten.",
          "A custom text field may hold at most 255 characters.",
          "Kürzen Sie den Eintrag in KUFER oder lassen Sie das Feld in der Feldauswahl weg.",
          "Shorten the entry in KUFER or leave the field out in the field picker."),
    _code(27, "Zeitstempel ungültig", "timestamp value invalid",
          _DATE_DE + "; der Wert in KUFER ist kein gültiges Datum.",
          _DATE_EN + "; the value in KUFER is not a valid date.",
          "Korrigieren Sie das Datum in KUFER. " + _CUSTOM_FIX_DE,
          "Correct the date in KUFER. " + _CUSTOM_FIX_EN),
)

_ENGINE: tuple[Hint, ...] = (
    _h("preflight-invalid-email",
       "E-Mail-Adresse vor dem Hochladen aussortiert", "E-mail address rejected before upload",
       "Die Vorabprüfung hat eine Adresse gefunden, die Maileon ablehnen würde (gleiche Regeln wie Code 3).",
       "The pre-flight check found an address Maileon would reject (same rules as code 3).",
       "Korrigieren Sie die Adresse in KUFER; beim nächsten Lauf wird der Kontakt übertragen.",
       "Correct the address in KUFER; the contact is uploaded on the next run."),
    _h("control-characters", "Steuerzeichen im Kontakt", "Control characters in the contact",
       "Ein Feld enthält ein Steuerzeichen (z. B. einen Zeilenumbruch aus einer Excel-Zelle), das in der "
       "XML-Übertragung an Maileon nicht erlaubt ist. Der Kontakt wurde vor einer Version importiert, die "
       "solche Zeichen beim Import ersetzt.",
       "A field holds a control character (a line break from an Excel cell, say) that the XML upload to "
       "Maileon cannot carry. The contact was imported by a version that did not yet replace such "
       "characters.",
       "Importieren Sie den KUFER-Export erneut: Steuerzeichen werden dabei durch Leerzeichen ersetzt, und "
       "der Kontakt wird beim nächsten Lauf übertragen.",
       "Import the KUFER export again: control characters are replaced by spaces, and the contact is "
       "uploaded on the next run."),
    _h("preflight-duplicate", "Adresse doppelt in der Auswahl", "Address twice in the selection",
       "Dieselbe Adresse steht mehrmals in der Auswahl, evtl. nur in anderer Groß-/Kleinschreibung (Max@… "
       "= max@…).",
       "The same address appears more than once, perhaps differing only in case (Max@… = max@…).",
       "Es wird nur der erste Eintrag übertragen. Führen Sie die Dubletten in KUFER zusammen.",
       "Only the first entry is uploaded. Merge the duplicates in KUFER."),
    _h("writeback-tnr-withheld", "Abmelder ohne KUFER-Nummer zurückgegeben",
       "Unsubscribe handed back without a KUFER number",
       "Maileon nannte zu dieser Abmeldung eine externe ID (KUFER-Nummer), aber im Arbeitsbereich hat kein "
       "Kontakt mit dieser Nummer diese E-Mail-Adresse, etwa weil die Nummer in KUFER neu vergeben oder der "
       "Kontakt in Maileon anders angelegt wurde. Mit der Nummer würde KUFERs Import womöglich eine andere "
       "Person auf N setzen; deshalb ist die Spalte TNR in der Rückgabedatei leer.",
       "Maileon gave an external id (KUFER number) with this unsubscribe, but no contact in the workspace with "
       "that number has this e-mail address, e.g. because KUFER gave the number to someone else or the contact "
       "was created differently in Maileon. With the number, KUFER's import might set another person to N; so "
       "the TNR column of the write-back file is empty.",
       "Lassen Sie KUFER die Rückgabedatei über die E-Mail-Adresse zuordnen (nicht über die TNR) und prüfen Sie "
       "die genannten Nummern in KUFER: Gehört die Adresse zu einer Person, setzen Sie diese auf N.",
       "Let KUFER match the write-back file by e-mail address (not by TNR) and check the numbers named in KUFER: "
       "if the address belongs to a person there, set that person to N."),
    _h("unsub-anonymised-unmatched", "Anonymisierte Abmeldung ohne Gegenstück",
       "Anonymised unsubscribe without a match",
       "Maileon hat die Daten dieser Abmeldung nach seiner Aufbewahrungsfrist anonymisiert: Die E-Mail fehlt. "
       "Weder die externe ID (KUFER-Nummer) noch die Maileon-Kontakt-ID passen zu einem Kontakt in diesem "
       "Arbeitsbereich, etwa weil der Kontakt ohne KUFER-Nummer übertragen wurde oder nicht aus KUFER stammt.",
       "Maileon anonymised this unsubscribe after its retention period: the e-mail is gone. Neither the "
       "external id (KUFER number) nor the Maileon contact id matches a contact in this workspace, e.g. "
       "because it was uploaded without a KUFER number or does not come from KUFER.",
       "Suchen Sie in Maileon nach der genannten Kontakt-ID und prüfen Sie, wer es war; setzen Sie die Person "
       "in KUFER von Hand auf N. Holen Sie die Abmelder künftig häufiger ab (mindestens alle 14 Tage), dann "
       "kommen sie noch mit E-Mail an.",
       "Look up the named contact id in Maileon to see who it was, and set that person to N in KUFER by hand. "
       "Fetch unsubscribers more often from now on (at least every 14 days), so that they still arrive with "
       "their e-mail."),
    _h("target-group-uncounted", "Zielgruppe noch nicht gezählt", "Target group not counted yet",
       "Maileon zählt eine neue Zielgruppe erst kurz nach dem Anlegen; die Antwort kam davor.",
       "Maileon counts a new target group shortly after it is created; the answer came before that.",
       "Die Zielgruppe ist angelegt. Aktualisieren Sie die Anzeige in ein paar Minuten (in den Ergebnissen: "
       "g) oder sehen Sie in Maileon unter Zielgruppen nach.",
       "The target group has been created. Refresh in a few minutes (in the results: g) or look it up in "
       "Maileon under Target groups."),
    _h("target-group-empty", "Zielgruppe zählt 0 Kontakte", "Target group counts 0 contacts",
       "Der Lauf hat Kontakte mit dem Import-Feld markiert, Maileon zählt in der neuen Zielgruppe aber "
       "keinen empfangsbereiten: Entweder ist die Zählung noch nicht fertig, oder das Feld hat in Maileon "
       "einen anderen Namen oder Typ als in [maileon] import_field.",
       "The run marked contacts with the import field, but Maileon counts none able to receive mail in the "
       "new group: either counting has not finished yet, or the field has another name or type in Maileon "
       "than [maileon] import_field.",
       "Aktualisieren Sie in ein paar Minuten (in den Ergebnissen: g). Bleibt es bei 0, prüfen Sie in Maileon "
       "das Feld (Typ: boolean) und den Kontaktfilter der Zielgruppe, bevor Sie damit versenden.",
       "Refresh in a few minutes (in the results: g). If it stays 0, check the field in Maileon (type: "
       "boolean) and the group's contact filter before you send to it."),
    _h("email-move-conflict", "Geänderte E-Mail-Adresse nicht umgezogen",
       "Changed e-mail address not moved",
       "Die E-Mail-Adresse hat sich in KUFER geändert. Maileon kennt die Person unter der alten Adresse mit "
       "derselben KUFER-Nummer (externe ID), aber der Umzug wurde abgelehnt: Entweder tragen mehrere "
       "Maileon-Kontakte diese Nummer, oder die neue Adresse gehört in Maileon schon einem anderen Kontakt. "
       "Es wurde nichts geändert, um niemanden falsch anzuschreiben.",
       "The e-mail address changed in KUFER. Maileon knows the person under the old address with the same "
       "KUFER number (external id), but the move was refused: either several Maileon contacts carry that "
       "number, or the new address already belongs to another contact there. Nothing was changed, so that "
       "nobody is mailed by mistake.",
       "Suchen Sie in Maileon nach der KUFER-Nummer (externe ID) und der neuen Adresse, führen Sie die "
       "Kontakte zusammen oder löschen Sie den veralteten; der nächste Lauf überträgt die Person dann.",
       "Look up the KUFER number (external id) and the new address in Maileon, merge the contacts or delete "
       "the outdated one; the next run then transfers the person."),
    _h("email-move-target-exists", "Umzug abgelehnt: neue Adresse ist schon ein Maileon-Kontakt",
       "Move refused: the new address is already a Maileon contact",
       "Die E-Mail-Adresse hat sich in KUFER geändert, und Maileon kennt die Person unter der alten Adresse. "
       "Die neue Adresse ist in Maileon aber schon ein eigener Kontakt (etwa über ein Anmeldeformular oder "
       "einen anderen Import angelegt). Ein Umzug würde zwei Kontakte vermengen; es wurde nichts geändert.",
       "The e-mail address changed in KUFER, and Maileon knows the person under the old address. But the new "
       "address is already a contact of its own in Maileon (created by a sign-up form or another import, say). "
       "A move would mix two contacts up; nothing was changed.",
       "Sehen Sie sich in Maileon beide genannten Adressen an: Gehören sie derselben Person, löschen Sie den "
       "veralteten Kontakt (alte Adresse); der nächste Lauf aktualisiert dann den Kontakt mit der neuen Adresse.",
       "Look up both addresses named in Maileon: if they belong to the same person, delete the outdated contact "
       "(old address); the next run then updates the contact with the new address."),
    _h("email-move-target-unsubscribed", "Umzug abgelehnt: neue Adresse ist in Maileon abgemeldet",
       "Move refused: the new address is unsubscribed in Maileon",
       "Die E-Mail-Adresse hat sich in KUFER geändert, und Maileon kennt die Person unter der alten Adresse. "
       "Für die neue Adresse hat Maileon aber eine Abmeldemarkierung (abgemeldet oder gesperrt). Ein Umzug "
       "würde eine abgemeldete Adresse wieder anschreiben; es wurde nichts geändert.",
       "The e-mail address changed in KUFER, and Maileon knows the person under the old address. But Maileon "
       "holds an unsubscription marker for the new address (unsubscribed or blocked). A move would mail an "
       "unsubscribed address again; nothing was changed.",
       "Klären Sie mit der Person, ob sie den Newsletter unter der neuen Adresse möchte. Wenn nicht, setzen Sie "
       "sie in KUFER auf N. Wenn ja, muss sie sich unter der neuen Adresse selbst neu anmelden (Double-Opt-In).",
       "Ask the person whether they want the newsletter at the new address. If not, set them to N in KUFER. If "
       "so, they must sign up again themselves under the new address (double opt-in)."),
    _h("opted-out-person", "Gesperrt: Person hat sich in Maileon abgemeldet",
       "Suppressed: the person unsubscribed in Maileon",
       "Die Person hat sich in Maileon abgemeldet, unter einer Adresse, die kufertui ihr mit ihrer KUFER-Nummer "
       "geschickt hatte. Eine Abmeldung gilt der Person, nicht nur der Adresse: Sie wird unter keiner Adresse "
       "mehr übertragen, auch wenn KUFER inzwischen eine neue Adresse oder wieder J hat. Die Rückgabedatei "
       "nennt dafür die KUFER-Nummer.",
       "The person unsubscribed in Maileon, under an address kufertui had sent with their KUFER number. An "
       "unsubscribe belongs to the person, not only to the address: they are not uploaded again under any "
       "address, even if KUFER has a new address or J again by now. The write-back file names the KUFER number "
       "for this.",
       "Das ist gewollt. Hat die Person nachweislich neu eingewilligt (mit Datum), ist die Aufhebung eine "
       "ausdrückliche Entscheidung der Verwaltung: sie wird mit Nummer, Datum und Notiz im Arbeitsbereich "
       "festgehalten. Ein Import allein hebt die Sperre nie auf.",
       "This is intended. If the person has demonstrably consented again (with a date), lifting it is an "
       "explicit decision of the administration: it is recorded with number, date and note in the workspace. "
       "An import alone never lifts it."),
    _h("suppressed", "Gesperrt: früher abgemeldet", "Suppressed: unsubscribed earlier",
       "Diese Adresse hat sich früher abgemeldet und steht in der lokalen Sperrliste. Sie wird nie wieder "
       "übertragen, auch wenn sie in KUFER erneut auf J steht.",
       "This address unsubscribed earlier and is on the local suppression ledger. It is never uploaded "
       "again, even if KUFER says J again.",
       "Das ist gewollt. Möchte die Person den Newsletter wieder, muss sie sich selbst neu anmelden, "
       "z. B. über ein Anmeldeformular mit Double-Opt-In in Maileon; ein Status J in KUFER genügt dafür "
       "nicht.",
       "This is intended. If the person wants the newsletter again, they must sign up again themselves, "
       "e.g. through a double opt-in form in Maileon; status J in KUFER is not enough."),
    _h("unsubscribed-in-maileon", "Von Maileon übersprungen: abgemeldet", "Skipped by Maileon: unsubscribed",
       "Für diese Adresse gibt es in Maileon eine Abmeldemarkierung; Maileon legt sie nicht neu an.",
       "Maileon holds an unsubscription marker for this address and does not create it again.",
       "Nichts zu tun. Der Kontakt wird in KUFER auf N gesetzt und in die Sperrliste übernommen.",
       "Nothing to do. The contact is set to N in KUFER and added to the suppression ledger."),
    _h("status-not-uploadable",
       "Newsletter-Status N oder leer: wird nicht übertragen", "Newsletter status N or empty: not uploaded",
       "Nur Kontakte mit Status J (Einwilligung) oder K (Bestandskunde) dürfen Werbung per E-Mail "
       "bekommen. N heißt Widerspruch, leer heißt: keine Rechtsgrundlage.",
       "Only contacts with status J (consent) or K (existing customer) may receive e-mail advertising. N "
       "means objection, empty means no legal basis.",
       "Soll der Kontakt den Newsletter bekommen, holen Sie eine Einwilligung ein und setzen Sie in KUFER "
       "den Status J.",
       "If the contact should get the newsletter, obtain consent and set J in KUFER."),
    _h("k-notice-missing", "K-Kontakte warten auf Ihre Bestätigung", "K contacts await your confirmation",
       "Bestandskunden (K) dürfen nach § 7 Abs. 3 UWG nur beworben werden, wenn bei der Buchung und in "
       "jeder Mail auf das Widerspruchsrecht hingewiesen wird. Das ist noch nicht bestätigt.",
       "Existing customers (K) may only be mailed under § 7(3) UWG if the right to object is pointed out "
       "at booking and in every mailing. This is not confirmed yet.",
       "Prüfen Sie Anmeldeformular und Newsletter-Vorlage auf den Widerspruchshinweis und bestätigen Sie "
       "dann unter Einstellungen > Rechtliches. Bis dahin werden K-Kontakte nicht übertragen.",
       "Check the booking form and the newsletter template for the objection notice, then confirm under "
       "Settings > Legal. Until then K contacts are not uploaded."),
    _h("lock-held", "Es läuft bereits eine Übertragung", "A sync is already running",
       "Ein anderer Lauf hält die Sperre, z. B. der nächtliche Cronjob oder eine Kollegin.",
       "Another run holds the lock, e.g. the nightly cron job or a colleague.",
       "Warten Sie, bis der andere Lauf fertig ist (wer sperrt, steht in der Meldung), und starten Sie neu.",
       "Wait until the other run has finished, then start again. The message names the holder."),
    _h("resume-available", "Unterbrochener Lauf kann fortgesetzt werden", "An interrupted run can be resumed",
       "Ein früherer Lauf wurde abgebrochen (Strg+C, Absturz, Netzfehler).",
       "An earlier run was interrupted (Ctrl+C, crash, network error).",
       "Setzen Sie ihn mit `kufertui sync --resume` fort; bereits gesendete Pakete werden nicht doppelt "
       "übertragen.",
       "Continue it with `kufertui sync --resume`; batches already sent are not sent twice."),
    _h("reconciliation-gap", "Bericht geht nicht auf", "Report does not add up",
       "Die Teilsummen des Berichts ergeben nicht die Zahl der ausgewählten Kontakte; für einige Kontakte "
       "fehlt ein Ergebnis. Die fehlenden Kontakte sind im Bericht aufgelistet.",
       "The report's parts do not add up to the selection; some contacts have no outcome. The missing "
       "contacts are listed in the report.",
       "Prüfen Sie die gelisteten Kontakte in Maileon. " + _SUPPORT_DE,
       "Check the listed contacts in Maileon. " + _SUPPORT_EN),
    _h("objection-push", "Widersprüche werden an Maileon gemeldet", "Objections are pushed to Maileon",
       "Kontakte mit Status N in KUFER werden in Maileon abgemeldet, damit Mailings an „alle aktiven "
       "Kontakte“ sie auslassen. Einzelne Meldungen sind fehlgeschlagen.",
       "Contacts with status N in KUFER are unsubscribed in Maileon so that mailings to \"all active "
       "contacts\" skip them. Some pushes failed.",
       "Nichts zu tun: Fehlgeschlagene Meldungen werden beim nächsten Lauf wiederholt.",
       "Nothing to do: failed pushes are retried on the next run."),
    _h("objection-push-off",
       "Widersprüche werden nicht an Maileon gemeldet", "Objections are not pushed to Maileon",
       "[unsubscribers] push_objections ist aus. In Maileon bleiben Kontakte aktiv, die in KUFER "
       "widersprochen haben; ein Mailing an „alle aktiven Kontakte“ würde sie erreichen.",
       "[unsubscribers] push_objections is off. Contacts who objected in KUFER stay active in Maileon; a "
       "mailing to \"all active contacts\" would reach them.",
       "Schalten Sie die Einstellung unter Einstellungen > Abmelder wieder ein.",
       "Switch the setting back on under Settings > Unsubscribers."),
    _h("workspace-corrupt", "Arbeitsdatenbank beschädigt", "Workspace database damaged",
       "Die lokale Arbeitsdatenbank (Kontakte, Sperrliste, Protokoll) lässt sich nicht lesen, z. B. nach "
       "Stromausfall.",
       "The local workspace database (contacts, ledger, journal) cannot be read, e.g. after a power cut.",
       "Starten Sie keinen Übertrag. Stellen Sie die Datei aus der Datensicherung wieder her (fragen Sie die "
       "IT); die Sperrliste darf nicht verloren gehen. " + _SUPPORT_DE,
       "Do not start an upload. Restore the file from backup (ask your IT); the ledger must not be lost. "
       + _SUPPORT_EN),
    _h("workspace-not-a-folder", "Arbeitsbereich ist eine Datei", "Workspace is a file",
       "Als Arbeitsbereich (--workspace oder die Voreinstellung) ist eine Datei angegeben, oder der Pfad führt "
       "durch eine Datei. Der Arbeitsbereich ist ein Ordner, in dem kufertui seine Datenbank und Dateien ablegt.",
       "The workspace (--workspace or the default) names a file, or its path runs through a file. The workspace "
       "is a folder where kufertui keeps its database and files.",
       "Geben Sie mit --workspace einen Ordner an (er wird angelegt, wenn es ihn nicht gibt). Die genannte Datei "
       "bleibt unverändert; nichts wurde geschrieben.",
       "Name a folder with --workspace (it is created when missing). The file named is left as it is; nothing "
       "was written."),
    _h("workspace-read-only", "Arbeitsdatenbank schreibgeschützt", "Workspace is read-only",
       "Das Programm darf im Arbeitsverzeichnis nicht schreiben (Rechte oder Platte voll).",
       "The tool may not write in its workspace directory (permissions or disk full).",
       "Bitten Sie die IT um Schreibrechte auf das Verzeichnis oder um mehr Platz.",
       "Ask your IT to give your user write access to the directory or to free up space."),
    _h("config-invalid", "Einstellungen fehlerhaft", "Settings invalid",
       "Die Einstellungsdatei enthält einen unbekannten Schlüssel, einen falschen Wert oder einen "
       "Tippfehler.", "The settings file contains an unknown key, a wrong value or a typo.",
       "Die Meldung nennt Zeile und Schlüssel (oft mit Vorschlag). Korrigieren Sie ihn in der TUI unter "
       "Einstellungen oder in der Datei und prüfen Sie mit `kufertui doctor`.",
       "The message names the line and key (often with a suggestion). Fix it under Settings in the TUI or "
       "in the file and check with `kufertui doctor`."),
    _h("import-failed", "KUFER-Daten konnten nicht gelesen werden", "KUFER data could not be read",
       "Die Exportdatei oder SQL-Abfrage aus KUFER ist unlesbar: falsche Kodierung, fehlende Spalten oder "
       "keine Verbindung zur Datenbank.",
       "The KUFER export file or SQL query could not be read: wrong encoding, missing columns or no "
       "database.", "Exportieren Sie die Auswahl in KUFER erneut und prüfen Sie Einstellungen > Quelle.",
       "Export the selection from KUFER again and check Settings > Source."),
    _h("xml-exists", "Upload-Datei, die kein abgeschlossener Lauf geschrieben hat",
       "Upload file that no finished run wrote",
       "Im Arbeitsbereich liegt eine Upload-Datei, die kufertui nicht als die eines abgeschlossenen Laufs "
       "erkennt: von Hand abgelegt oder seither verändert, oder von einem Lauf, der nicht zu Ende kam. Die Datei "
       "eines abgeschlossenen Laufs ersetzt der nächste Lauf ohne Frage (sie bleibt als maileon-upload.prev.xml).",
       "The workspace holds an upload file that kufertui does not recognise as a finished run's: put there by "
       "hand or changed since, or from a run that did not finish. A finished run's file is replaced by the next "
       "run without asking (it is kept as maileon-upload.prev.xml).",
       "Wurde der frühere Lauf unterbrochen, setzen Sie ihn mit `kufertui sync --resume` fort. Sonst "
       "bestätigen Sie das Ersetzen (`--yes`); die alte Datei bleibt als maileon-upload.prev.xml erhalten.",
       "If the earlier run was interrupted, continue it with `kufertui sync --resume`. Otherwise confirm "
       "the replacement (`--yes`); the old file is kept as maileon-upload.prev.xml."),
    _h("target-group-exists",
       "Zielgruppe existiert bereits (HTTP 409)", "Target group already exists (HTTP 409)",
       "In Maileon gibt es schon eine Zielgruppe mit diesem Namen.",
       "Maileon already has a target group with this name.",
       "Wählen Sie einen anderen Namen oder löschen Sie die alte unter Listen & Kontakte > Zielgruppen.",
       "Choose another name or delete the old one under Lists & contacts > Target groups."),
    _h("filter-limit", "Höchstzahl an Kontaktfiltern erreicht", "Contact filter limit reached",
       "Ein Maileon-Konto kann höchstens 200 Kontaktfilter haben.",
       "A Maileon account can hold at most 200 contact filters.",
       "Löschen Sie in Maileon unter Listen & Kontakte > Kontaktfilter nicht mehr benötigte Filter.",
       "Delete filters you no longer need in Maileon under Lists & contacts > Contact filters."),
    _h("shared-folder", "Ordner für andere Benutzer beschreibbar", "Folder writable by other users",
       "kufertui ersetzt Dateien (Einstellungen, Exporte, Upload- und Rückschreib-Datei, Support-Paket) über "
       "eine neue Datei im selben Ordner. Dürfen andere Benutzer dort schreiben, könnten sie die Datei "
       "vorher anlegen, austauschen oder mitlesen; darum schreibt kufertui dort nichts.",
       "kufertui replaces files (settings, exports, upload and write-back file, support bundle) through a new "
       "file in the same folder. Where other users may write, they could create, swap or read that file "
       "first; so kufertui writes nothing there.",
       "Wählen Sie einen Ordner, den nur Sie beschreiben dürfen (--config, --workspace, --out), oder nehmen "
       "Sie anderen das Schreibrecht: `chmod go-w ORDNER`. Ein für alle beschreibbarer Ordner mit Sticky-Bit "
       "(wie /tmp) geht, solange die Datei darin Ihnen gehört.",
       "Choose a folder only you may write to (--config, --workspace, --out), or take the write right from "
       "others: `chmod go-w FOLDER`. A world-writable folder with the sticky bit (like /tmp) works as long "
       "as the file in it is yours."),
    _h("writeback-too-broad", "Rückschreiben per SQL angehalten: mehr als eine Zeile",
       "SQL write-back stopped: more than one row",
       "Die Rückschreib-Anweisung hat für eine einzige Abmeldung mehr als eine Zeile der KUFER-Datenbank "
       "geändert (oder der Treiber meldet nicht, wie viele). Die Änderung wurde zurückgenommen.",
       "The write-back statement changed more than one row of the KUFER database for a single unsubscribe "
       "(or the driver does not report how many). The change was rolled back.",
       "Die Rückschreib-Datei (writeback/kufer-abmelder-*.csv) ist geschrieben und die Abmeldungen bleiben "
       "für KUFER vorgemerkt: nichts geht verloren. Schlüsseln Sie die Anweisung über eine eindeutige Spalte "
       "(E-Mail oder TNR), z. B. `UPDATE adressen SET nl = 'N' WHERE email = :email`, und prüfen Sie mit "
       "`kufertui doctor`.",
       "The write-back file (writeback/kufer-abmelder-*.csv) is written and the unsubscribes stay due for "
       "KUFER: nothing is lost. Key the statement on a unique column (e-mail or TNR), e.g. "
       "`UPDATE adressen SET nl = 'N' WHERE email = :email`, and check with `kufertui doctor`."),
    _h("maileon-protocol", "Maileons Antworten widersprechen sich", "Maileon's answers contradict each other",
       "Maileon hat Seiten geliefert, die nicht zusammenpassen: eine unvollständige Seite, obwohl die "
       "Seitenzahl (X-Pages) weitere verspricht, oder mehr Seiten, als ein Konto haben kann. Nichts davon wurde "
       "übernommen; der Stand (Wasserzeichen) ist unverändert, der nächste Lauf liest alles erneut.",
       "Maileon sent pages that do not fit together: a short page while the page count (X-Pages) promises "
       "more, or more pages than an account can hold. Nothing of them was taken; the watermark is unchanged "
       "and the next run reads everything again.",
       "Versuchen Sie es später erneut (`kufertui sync --resume` bzw. `kufertui unsubscribers pull`). Bleibt "
       "es dabei, schicken Sie das Support-Paket an den Maileon-Support; die Meldung nennt Anfrage und Seite.",
       "Try again later (`kufertui sync --resume` or `kufertui unsubscribers pull`). If it persists, send the "
       "support bundle to Maileon support; the message names the request and the page."),
    _h("response-too-large", "Antwort zu groß", "Answer too large",
       "Eine Antwort von {host} war größer, als kufertui in den Speicher liest; das Lesen wurde abgebrochen, "
       "nichts davon übernommen. Maileon schickt solche Antworten nicht; meist liegt ein Proxy oder eine "
       "falsche Adresse ([maileon] base_url) dazwischen.",
       "An answer from {host} was larger than kufertui reads into memory; reading was stopped and nothing of "
       "it was taken. Maileon does not send such answers; usually a proxy or a wrong address ([maileon] "
       "base_url) is in between.",
       "Prüfen Sie [maileon] base_url und den Proxy (`kufertui doctor`), dann setzen Sie den Lauf fort.",
       "Check [maileon] base_url and the proxy (`kufertui doctor`), then resume the run."),
    _h("marks-clear-pending", "Maileon leert das Import-Feld noch", "Maileon is still clearing the import field",
       "Vor dem Upload werden die Markierungen des letzten Laufs in Maileon gelöscht. Maileon hat den Auftrag "
       "angenommen, aber die Markierungen sind noch da (Maileon arbeitet ihn vielleicht später ab). Würde jetzt "
       "hochgeladen, könnte das späte Löschen die neuen Markierungen wieder entfernen.",
       "Before the upload, the last run's marks are deleted in Maileon. Maileon accepted the request but the "
       "marks are still there (Maileon may carry it out later). Uploading now, a late deletion could remove "
       "the new marks again.",
       "Warten Sie ein paar Minuten und setzen Sie den Lauf fort (`kufertui sync --resume`). Bleibt es dabei, "
       "leeren Sie das Feld in Maileon unter Kontaktfelder von Hand.",
       "Wait a few minutes and resume the run (`kufertui sync --resume`). If it persists, clear the field by "
       "hand in Maileon under Contact fields."),
    _h("marks-differ", "Markierungen in Maileon stimmen nicht", "Marks in Maileon do not match",
       "Nach dem Upload wurden die Markierungen (Import-Feld, Segment-Felder) in Maileon gelesen: Einige "
       "Kontakte dieses Laufs sind nicht markiert oder andere sind es noch, auch nach mehreren Korrekturen. "
       "Eine Zielgruppe aus diesem Feld hielte die falschen Personen.",
       "After the upload the marks (import field, segment fields) were read back from Maileon: some of this "
       "run's contacts are not marked or others still are, even after several corrections. A target group "
       "built on the field would hold the wrong people.",
       "Versenden Sie noch nicht an diese Zielgruppe. Setzen Sie den Lauf in ein paar Minuten fort (`kufertui "
       "sync --resume`): Er prüft und korrigiert erneut.",
       "Do not send to that target group yet. Resume the run in a few minutes (`kufertui sync --resume`): it "
       "checks and corrects again."),
    _h("marks-repaired", "Markierungen nachgetragen", "Marks corrected",
       "Maileons Markierungen wichen nach dem Upload vom Lauf ab, etwa weil ein verspätetes Löschen des "
       "Import-Felds Markierungen entfernt hatte. Sie wurden nachgetragen und erneut geprüft; jetzt stimmen sie.",
       "Maileon's marks differed from the run after the upload, e.g. because a late deletion of the import "
       "field had removed marks. They were corrected and checked again; now they match.",
       "Nichts zu tun. Tritt es oft auf, nennen Sie es dem Maileon-Support (verspätetes Löschen von Feldwerten).",
       "Nothing to do. If it happens often, tell Maileon support (field values deleted late)."),
    _h("target-group-name", "Name der Zielgruppe ungültig", "Invalid target group name",
       "Maileon nimmt als Namen einer Zielgruppe 3 bis 64 Zeichen: Buchstaben, Ziffern und Leerzeichen.",
       "Maileon takes 3 to 64 characters as a target group's name: letters, digits and spaces.",
       "Wählen Sie einen Namen aus Buchstaben, Ziffern und Leerzeichen, z. B. „Newsletter März 2026“.",
       "Choose a name of letters, digits and spaces, e.g. \"Newsletter March 2026\"."),
)

UNKNOWN = _h("unknown",
             "Unbekannter Fehler", "Unknown error", "Für diesen Fehler ist keine Ursache hinterlegt.",
             "No cause is recorded for this error.",
             "Notieren Sie die Meldung, prüfen Sie mit `kufertui doctor`. " + _SUPPORT_DE,
             "Note the message and check with `kufertui doctor`. " + _SUPPORT_EN)

HINTS: tuple[Hint, ...] = (*_NETWORK, *_MANUAL, *_CODES, *_ENGINE, UNKNOWN)
HINTS_BY_ID: dict[str, Hint] = {h.id: h for h in HINTS}


def hint(hint_id: str) -> Hint:
    """The hint for ``hint_id``; the generic "unknown" hint for anything not in the catalogue."""
    return HINTS_BY_ID.get(hint_id, UNKNOWN)


def hint_id_for_code(code: str) -> str:
    """The hint for a reject cause of the report: "maileon:19" and "preflight:19" → "maileon-code-19";
    named causes ("suppressed", "k-notice-missing", ...) are hint ids themselves; else "unknown"."""
    number = code.rsplit(":", 1)[-1]
    if number.isdigit():
        return maileon_code_hint_id(int(number))
    return code if code in HINTS_BY_ID else "unknown"


DE = {f"hints.{h.id}.{part}": text for h in HINTS
      for part, text in (("title", h.title_de), ("cause", h.cause_de), ("fix", h.fix_de))}

EN = {f"hints.{h.id}.{part}": text for h in HINTS
      for part, text in (("title", h.title_en), ("cause", h.cause_en), ("fix", h.fix_en))}
