"""Texts about the operating system: owner-only files, files held open, network shares."""

DE = {
    "platform.not-private": "Warnung: {path} konnte nicht auf „nur für Sie lesbar“ gesetzt werden. Andere Benutzer "
                            "dieses Rechners können die Datei womöglich lesen. Abhilfe (Windows): "
                            "icacls \"{path}\" /inheritance:r /grant:r \"%USERNAME%:F\"",
    "platform.replaced-elsewhere": "Hinweis: {path} ist von einem anderen Programm geöffnet und konnte nicht ersetzt "
                                   "werden. Die neue Fassung steht in {other}.",
    "platform.network-share": "Hinweis: {path} liegt auf einem Netzlaufwerk. Die Datenbank arbeitet dort ohne "
                              "WAL-Modus (langsamer, aber sicher). Besser ist ein lokaler Arbeitsordner "
                              "(--workspace).",
}

EN = {
    "platform.not-private": "Warning: could not make {path} readable by you only. Other users of this computer "
                            "may be able to read it. Fix (Windows): "
                            "icacls \"{path}\" /inheritance:r /grant:r \"%USERNAME%:F\"",
    "platform.replaced-elsewhere": "Note: {path} is open in another program and could not be replaced. The new "
                                   "version is in {other}.",
    "platform.network-share": "Note: {path} is on a network drive. The database runs without WAL mode there "
                              "(slower, but safe). A local workspace folder (--workspace) is better.",
}
