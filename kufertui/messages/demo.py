"""Texts of `kufertui demo` while it prepares its contacts and simulator (the TUI shows them at once)."""

DE = {
    "demo.preparing": "Demo wird vorbereitet: {n} erfundene Kontakte, lokaler Maileon-Simulator",
    "demo.phase": "Schritt {step} von {steps}: {what} … ({seconds} s)",
    "demo.phase.generate": "KUFER-Export erzeugen",
    "demo.phase.import": "Export in den Arbeitsordner einlesen",
    "demo.phase.simulator": "Maileon-Simulator mit Verlauf starten",
    "demo.phase.start": "Vorbereitung beginnt",
    "demo.wait": "Die Kontakte erscheinen, sobald sie eingelesen sind. Strg+Q beendet.",
    "demo.failed": "Die Demo konnte nicht vorbereitet werden: {detail}. Strg+Q beendet.",
}

EN = {
    "demo.preparing": "Preparing the demo: {n} synthetic contacts, local Maileon simulator",
    "demo.phase": "Step {step} of {steps}: {what} … ({seconds} s)",
    "demo.phase.generate": "generating the KUFER export",
    "demo.phase.import": "importing the export into the workspace",
    "demo.phase.simulator": "starting the Maileon simulator with its history",
    "demo.phase.start": "starting",
    "demo.wait": "The contacts appear as soon as they are imported. Ctrl+Q quits.",
    "demo.failed": "The demo could not be prepared: {detail}. Ctrl+Q quits.",
}
