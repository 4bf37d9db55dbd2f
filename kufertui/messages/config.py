"""Texts for settings and workspace errors."""

DE = {
    "config.origin-env": "Der Key stammt aus der Umgebungsvariable {var} (sie gilt statt der Einstellungsdatei).",
    "config.origin-file": "Der Key stammt aus der Einstellungsdatei.",
    "config.unknown-key": "Unbekannter Schlüssel „{key}“ in {file}, Zeile {line}. Meinten Sie „{nearest}“?",
    "config.wrong-type": "Falscher Wert für „{key}“ in {file}, Zeile {line}: erwartet wird {expected}.",
    "config.not-utf8": "Die Einstellungsdatei {file} ist nicht UTF-8-kodiert.",
    "config.unreadable": "Die Einstellungsdatei {file} kann nicht gelesen werden: {detail}",
    "config.is-directory": "{file} ist ein Ordner, keine Einstellungsdatei.",
    "config.bad-permission": "Unbekannte Permission. Erlaubt: none, soi, coi, doi, doi+, other.",
    "config.bad-batch-size": "Die Stapelgröße muss zwischen 1 und 1000 liegen.",
    "config.bad-in-flight": "Gleichzeitige Stapel: 1 bis 16.",
    "config.bad-single-calls": "Gleichzeitige Einzelanfragen: 1 bis 32.",
    "config.bad-rate": "Anfragen pro Sekunde: 0 (keine Obergrenze) oder mehr.",
    "config.bad-retention": "Die Aufbewahrungsfrist muss mindestens 1 Tag betragen.",
    "config.bad-language": "Sprache: de oder en.",
    "config.bad-proxy": "Der Proxy braucht die Form host oder http://host (Port unter [proxy] port oder einmal "
                        "als host:port, eine Zahl).",
    "config.bad-proxy-scheme": "Nur HTTP-Proxys werden unterstützt (http:// oder https://), kein socks5:// oder ftp://.",
    "config.bad-proxy-port": "Der Proxy-Port muss eine Zahl von 1 bis 65535 sein.",
    "config.bad-dsn": "Die SQL-Verbindung braucht die Form mssql://benutzer:passwort@server[:port]/datenbank "
                      "(Port eine Zahl) oder sqlite:///pfad. Das Passwort darf jedes Zeichen enthalten.",
    "config.insecure-url": "Die API-Adresse muss mit https:// beginnen (http nur für 127.0.0.1/localhost).",
    "config.world-readable": "Warnung: {path} ist für andere Benutzer lesbar. Abhilfe: chmod 600 {path}",
    "config.bad-url": "Die API-Adresse braucht die Form https://host/1.0, z. B. https://api.maileon.com/1.0.",
    "config.bad-k-notice": "Die Bestätigung des Widerspruchshinweises muss ein Datum der Form JJJJ-MM-TT sein "
                           "(z. B. 2026-10-01), oder leer, solange nicht bestätigt.",
    "config.bad-value": "Ungültiger Wert für „{key}“ in {file}, Zeile {line}: {rule} Es wurde nichts übertragen.",
    "config.bad-env-value": "Ungültiger Wert für „{key}“ aus der Umgebungsvariable {var}: {rule} "
                            "Es wurde nichts übertragen.",
    "config.env-wrong-type": "Falscher Wert in der Umgebungsvariable {var}: erwartet wird {expected}.",
    "config.env-dsn-edited": "Nicht gespeichert: die SQL-Verbindung stammt aus der Umgebungsvariable {var}, und "
                             "ihr Passwort gehört nicht in die Datei. Ändern Sie die Variable selbst.",
    "workspace.is-directory": "{path} ist ein Ordner, keine Arbeitsbereich-Datei.",
    "workspace.not-a-folder": "{path} ist eine Datei; als Arbeitsbereich wird ein Ordner erwartet.",
    "workspace.missing": "Der Arbeitsbereich {path} existiert nicht.",
    "workspace.corrupt": "Der Arbeitsbereich {path} ist beschädigt oder keine kufertui-Datei. Er wurde nicht "
                         "verändert. Stellen Sie eine Sicherung wieder her oder wählen Sie mit --workspace "
                         "einen anderen Ordner.",
    "workspace.read-only": "Der Arbeitsbereich {path} ist schreibgeschützt. Prüfen Sie die Dateirechte.",
    "workspace.unusable": "Der Arbeitsbereich {path} kann nicht geöffnet werden: {detail}",
    "config.unknown-key-no-nearest": "Unbekannter Schlüssel „{key}“ in {file}, Zeile {line}. Entfernen Sie ihn "
                                     "oder prüfen Sie die Schreibweise.",
    "config.unknown-env": "Unbekannte Umgebungsvariable {var}. Meinten Sie {nearest}?",
    "config.unknown-env-no-nearest": "Unbekannte Umgebungsvariable {var}: kufertui liest sie nicht. Entfernen Sie sie "
                                     "oder prüfen Sie die Schreibweise (KUFERTUI_ABSCHNITT__SCHLÜSSEL).",
    "config.syntax": "Die Einstellungsdatei {file} ist kein gültiges TOML: Fehler in Zeile {line}, Spalte {column}. "
                        "Meist fehlt dort ein Anführungszeichen, eine Klammer oder ein Gleichheitszeichen. "
                        "Details: {detail}",
    "config.type.int": "eine ganze Zahl (ohne Anführungszeichen)",
    "config.type.float": "eine Zahl (ohne Anführungszeichen)",
    "config.type.bool": "true oder false (ohne Anführungszeichen)",
    "config.type.str": "ein Text in Anführungszeichen",
    "config.type.text": "ein Text in Anführungszeichen",
    "config.type.table": "ein Abschnitt ([name])",
    "config.type.dict": "ein Abschnitt ([name])",
}

EN = {
    "config.origin-env": "The key comes from the environment variable {var} (it applies instead of the settings file).",
    "config.origin-file": "The key comes from the settings file.",
    "config.unknown-key": "Unknown key \"{key}\" in {file}, line {line}. Did you mean \"{nearest}\"?",
    "config.wrong-type": "Wrong value for \"{key}\" in {file}, line {line}: expected {expected}.",
    "config.not-utf8": "The settings file {file} is not UTF-8 encoded.",
    "config.unreadable": "The settings file {file} cannot be read: {detail}",
    "config.is-directory": "{file} is a folder, not a settings file.",
    "config.bad-permission": "Unknown permission. Allowed: none, soi, coi, doi, doi+, other.",
    "config.bad-batch-size": "The batch size must be between 1 and 1000.",
    "config.bad-in-flight": "Batches in flight: 1 to 16.",
    "config.bad-single-calls": "Single calls at once: 1 to 32.",
    "config.bad-rate": "Requests per second: 0 (no ceiling) or more.",
    "config.bad-retention": "The retention window must be at least 1 day.",
    "config.bad-language": "Language: de or en.",
    "config.bad-proxy": "The proxy needs the form host or http://host (the port in [proxy] port or once as "
                        "host:port, a number).",
    "config.bad-proxy-scheme": "Only HTTP proxies are supported (http:// or https://), no socks5:// or ftp://.",
    "config.bad-proxy-port": "The proxy port must be a number from 1 to 65535.",
    "config.bad-dsn": "The SQL connection needs the form mssql://user:password@server[:port]/database "
                      "(the port a number) or sqlite:///path. The password may hold any character.",
    "config.insecure-url": "The API address must start with https:// (http only for 127.0.0.1/localhost).",
    "config.world-readable": "Warning: {path} is readable by other users. Fix: chmod 600 {path}",
    "config.bad-url": "The API address needs the form https://host/1.0, e.g. https://api.maileon.com/1.0.",
    "config.bad-k-notice": "The confirmation of the objection notice must be a date in the form YYYY-MM-DD "
                           "(e.g. 2026-10-01), or empty while not confirmed.",
    "config.bad-value": "Invalid value for \"{key}\" in {file}, line {line}: {rule} Nothing was sent.",
    "config.bad-env-value": "Invalid value for \"{key}\" from the environment variable {var}: {rule} "
                            "Nothing was sent.",
    "config.env-wrong-type": "Wrong value in the environment variable {var}: expected {expected}.",
    "config.env-dsn-edited": "Not saved: the SQL connection comes from the environment variable {var}, and its "
                             "password does not belong in the file. Change the variable itself.",
    "workspace.is-directory": "{path} is a folder, not a workspace file.",
    "workspace.not-a-folder": "{path} is a file; a workspace is a folder.",
    "workspace.missing": "The workspace {path} does not exist.",
    "workspace.corrupt": "The workspace {path} is damaged or not a kufertui file. It was left untouched. "
                         "Restore a backup or choose another folder with --workspace.",
    "workspace.read-only": "The workspace {path} is read-only. Check the file permissions.",
    "workspace.unusable": "The workspace {path} cannot be opened: {detail}",
    "config.unknown-key-no-nearest": "Unknown key \"{key}\" in {file}, line {line}. Remove it or check the spelling.",
    "config.unknown-env": "Unknown environment variable {var}. Did you mean {nearest}?",
    "config.unknown-env-no-nearest": "Unknown environment variable {var}: kufertui does not read it. Remove it or "
                                     "check the spelling (KUFERTUI_SECTION__KEY).",
    "config.syntax": "The settings file {file} is not valid TOML: error in line {line}, column {column}. Usually a "
                        "quotation mark, a bracket or an equals sign is missing there. Details: {detail}",
    "config.type.int": "a whole number (without quotation marks)",
    "config.type.float": "a number (without quotation marks)",
    "config.type.bool": "true or false (without quotation marks)",
    "config.type.str": "a text in quotation marks",
    "config.type.text": "a text in quotation marks",
    "config.type.table": "a section ([name])",
    "config.type.dict": "a section ([name])",
}
