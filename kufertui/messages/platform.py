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
    "platform.shared-folder.writable": "Nicht geschrieben: den Ordner {folder} dürfen auch andere Benutzer "
                                       "beschreiben. Sie könnten die Datei vorher anlegen oder austauschen. "
                                       "Wählen Sie einen eigenen Ordner oder: chmod go-w \"{folder}\"",
    "platform.shared-folder.owner": "Nicht geschrieben: der Ordner {folder} gehört einem anderen Benutzer, der "
                                    "die Datei austauschen könnte. Wählen Sie einen eigenen Ordner.",
    "platform.shared-folder.foreign-file": "Nicht geschrieben: {name} im gemeinsamen Ordner {folder} gehört "
                                           "einem anderen Benutzer (oder ist ein Verweis). Wählen Sie einen "
                                           "eigenen Ordner.",
}

EN = {
    "platform.not-private": "Warning: could not make {path} readable by you only. Other users of this computer "
                            "may be able to read it. Fix (Windows): "
                            "icacls \"{path}\" /inheritance:r /grant:r \"%USERNAME%:F\"",
    "platform.replaced-elsewhere": "Note: {path} is open in another program and could not be replaced. The new "
                                   "version is in {other}.",
    "platform.network-share": "Note: {path} is on a network drive. The database runs without WAL mode there "
                              "(slower, but safe). A local workspace folder (--workspace) is better.",
    "platform.shared-folder.writable": "Not written: other users may write in the folder {folder}. They could "
                                       "create or swap the file first. Choose a folder of your own or: "
                                       "chmod go-w \"{folder}\"",
    "platform.shared-folder.owner": "Not written: the folder {folder} belongs to another user, who could swap "
                                    "the file. Choose a folder of your own.",
    "platform.shared-folder.foreign-file": "Not written: {name} in the shared folder {folder} belongs to another "
                                           "user (or is a link). Choose a folder of your own.",
}
