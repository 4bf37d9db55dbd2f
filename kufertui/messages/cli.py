"""Texts of the command line."""

DE = {
    "cli.interrupted": "Abgebrochen. Ein begonnener Lauf kann mit „kufertui sync --resume“ fortgesetzt werden.",
    "cli.stopping": "Halte an, sobald die laufenden Stapel bestätigt sind … (nochmals Strg+C: sofort)",
    "cli.hint": "Hinweis",
    "cli.fix": "Abhilfe",
    "cli.resume": "Fortsetzen mit: kufertui sync --resume",
    "cli.no-api-key": "Es ist kein API-Key eingetragen. Tragen Sie ihn in den Einstellungen (F9) ein oder setzen "
                      "Sie KUFERTUI_API_KEY.",
    "cli.unknown-fields": "Unbekannte Felder: {fields}. Bekannt sind: {known}",
    "cli.dry-run-title": "PROBELAUF – in Maileon wurde nichts geändert.",
    "cli.writeback-file": "Datei für KUFER (Abmelder auf N setzen): {path}",
    "cli.pulled": "{seen} Abmeldungen gelesen, {new} neu, {written} an KUFER zurückgegeben.",
    "cli.demo-contacts": "--contacts muss mindestens 1 sein.",
    "cli.demo-intro": "Demo: {contacts} erfundene Kontakte, lokaler Maileon-Simulator, Arbeitsordner {path}",
    "cli.serve-missing": "Für den Browser-Modus fehlt textual-serve: pip install 'kufertui[serve]'",
    "cli.serve-info": "kufertui läuft im Browser auf http://127.0.0.1:{port} (nur lokal; Helpdesk per ssh -L).",
    "doctor.config-file": "Einstellungsdatei {path} ist nur für Sie lesbar.",
    "doctor.no-config": "Noch keine Einstellungsdatei ({path}); es gelten die Standardwerte.",
    "doctor.workspace": "Arbeitsbereich {path}: {count} Kontakte.",
    "doctor.never-pulled": "Abmelder wurden noch nie abgeholt. Maileon anonymisiert sie nach {days} Tagen; danach "
                           "lassen sie sich nur noch über die KUFER-Nummer zuordnen.",
    "doctor.pull-too-old": "Die letzte Abholung der Abmelder ist {age} Tage her – länger als die "
                           "Aufbewahrungsfrist von {days} Tagen. Abmeldungen mit KUFER-Nummer werden trotzdem "
                           "zugeordnet, die ohne können verloren sein.",
    "doctor.pull-recent": "Abmelder zuletzt vor {age} Tagen abgeholt (Frist {days} Tage).",
    "doctor.api-key": "API-Key eingetragen ({masked}).",
    "doctor.proxy": "Proxy {host}:{port}",
    "doctor.connection-failed": "Keine Verbindung zu Maileon: {detail}",
    "doctor.connection-ok": "Verbindung zu {url} in Ordnung (TLS geprüft).",
    "doctor.rights-missing": "Dem API-Key fehlen Rechte für: {methods}",
    "doctor.rights-ok": "Der API-Key hat alle Rechte (GET, POST, PUT, DELETE).",
    "bundle.written": "Support-Paket geschrieben: {path}",
}

EN = {
    "cli.interrupted": "Cancelled. A started run can be resumed with \"kufertui sync --resume\".",
    "cli.stopping": "Stopping once the batches in flight are confirmed … (Ctrl+C again: at once)",
    "cli.hint": "Hint",
    "cli.fix": "Fix",
    "cli.resume": "Resume with: kufertui sync --resume",
    "cli.no-api-key": "No API key is set. Enter it in the settings (F9) or set KUFERTUI_API_KEY.",
    "cli.unknown-fields": "Unknown fields: {fields}. Known: {known}",
    "cli.dry-run-title": "DRY RUN – nothing was changed in Maileon.",
    "cli.writeback-file": "File for KUFER (set these unsubscribers to N): {path}",
    "cli.pulled": "{seen} unsubscriptions read, {new} new, {written} handed back to KUFER.",
    "cli.demo-contacts": "--contacts must be at least 1.",
    "cli.demo-intro": "Demo: {contacts} synthetic contacts, local Maileon simulator, working folder {path}",
    "cli.serve-missing": "Browser mode needs textual-serve: pip install 'kufertui[serve]'",
    "cli.serve-info": "kufertui runs in the browser at http://127.0.0.1:{port} (local only; helpdesk via ssh -L).",
    "doctor.config-file": "Settings file {path} is readable by you only.",
    "doctor.no-config": "No settings file yet ({path}); defaults apply.",
    "doctor.workspace": "Workspace {path}: {count} contacts.",
    "doctor.never-pulled": "Unsubscribes have never been fetched. Maileon anonymises them after {days} days; "
                           "then only the KUFER number identifies them.",
    "doctor.pull-too-old": "The last unsubscriber pull was {age} days ago – longer than the retention window of "
                           "{days} days. Unsubscribes with a KUFER number are still matched, those without may be "
                           "lost.",
    "doctor.pull-recent": "Unsubscribes last fetched {age} days ago (window {days} days).",
    "doctor.api-key": "API key set ({masked}).",
    "doctor.proxy": "Proxy {host}:{port}",
    "doctor.connection-failed": "No connection to Maileon: {detail}",
    "doctor.connection-ok": "Connection to {url} is fine (TLS verified).",
    "doctor.rights-missing": "The API key lacks rights for: {methods}",
    "doctor.rights-ok": "The API key has every right (GET, POST, PUT, DELETE).",
    "bundle.written": "Support bundle written: {path}",
}
