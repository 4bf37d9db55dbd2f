"""Refusals that keep the wrong data or the wrong people out of Maileon: one Maileon field per KUFER field,
and a target group only from the run whose marks Maileon holds."""

DE = {
    "mapping.conflict": "Das Maileon-Feld {target} kann nur ein KUFER-Feld aufnehmen, zugeordnet sind aber {fields}. "
                        "Ordnen Sie eines davon einem anderen Feld zu oder senden Sie es nicht.",
    "mapping.conflict-import": "Mit dem Maileon-Feld {target} markiert kufertui selbst Kontakte (die eines Laufs "
                               "oder eines Segments); {fields} darf nicht hinein. Wählen Sie ein anderes Feld.",
    "mapping.refused": "{field} → {target} nicht übernommen: {target} erhält schon {other}. "
                       "Die bisherige Zuordnung bleibt.",
    "mapping.refused-import": "{field} → {target} nicht übernommen: Mit {target} markiert kufertui selbst "
                              "Kontakte (die eines Laufs oder eines Segments). Die bisherige Zuordnung bleibt.",
    "mapping.in-config": "{problem} (Abschnitt [fields] in {file})",
    "mapping.in-option": "{problem} (--fields {fields})",
    "marks.not-upload": "Lauf #{run} hat nichts übertragen und in Maileon niemanden markiert – Zielgruppen nur aus "
                        "einer Übertragung.",
    "marks.none": "Lauf #{run} hat nichts an Maileon gesendet, und noch kein Lauf hat dort Kontakte mit {field} "
                  "markiert. Keine Zielgruppe angelegt.",
    "marks.sent-nothing": "Lauf #{run} hat nichts an Maileon gesendet: {field} markiert dort weiter die Kontakte "
                          "von Lauf #{holder_id}. Eine Zielgruppe enthielte deren Kontakte – keine angelegt.",
    "marks.other-run": "Keine Zielgruppe aus Lauf #{run}: In Maileon markiert {field} jetzt die Kontakte von "
                       "Lauf #{holder_id}, nicht die dieses Laufs. Eine Zielgruppe enthielte die Kontakte von "
                       "Lauf #{holder_id}.",
    "marks.other-run-partial": "Keine Zielgruppe aus Lauf #{run}: In Maileon markiert {field} jetzt einen Teil "
                               "der Kontakte von Lauf #{holder_id}, der nicht zu Ende gelaufen ist.",
    "marks.unfinished": "Keine Zielgruppe aus Lauf #{run}: Der Lauf ist nicht zu Ende gelaufen, {field} markiert in "
                        "Maileon nur die Kontakte, die er vor dem Abbruch gesendet hat. Erst den Lauf fortsetzen "
                        "(F4) oder neu übertragen.",
    "marks.segment-note": "Dieser Lauf hat Segmente aufgefrischt ({names}): {field} markiert alle ihre Mitglieder. "
                          "Jedes Segment hat schon eine eigene Zielgruppe, die genau bleibt.",
}

EN = {
    "mapping.conflict": "The Maileon field {target} can take one KUFER field only, but {fields} are mapped to it. "
                        "Map one of them to another field or leave it unsent.",
    "mapping.conflict-import": "kufertui marks contacts with the Maileon field {target} itself (a run's or a "
                               "segment's); {fields} must not go there. Choose another field.",
    "mapping.refused": "{field} → {target} not taken: {target} already receives {other}. "
                       "The previous mapping stays.",
    "mapping.refused-import": "{field} → {target} not taken: kufertui marks contacts with {target} itself (a "
                              "run's or a segment's). The previous mapping stays.",
    "mapping.in-config": "{problem} (section [fields] in {file})",
    "mapping.in-option": "{problem} (--fields {fields})",
    "marks.not-upload": "Run #{run} uploaded nothing and marked nobody in Maileon – target groups only from an "
                        "upload.",
    "marks.none": "Run #{run} sent nothing to Maileon, and no run has marked contacts there with {field} yet. "
                  "No target group created.",
    "marks.sent-nothing": "Run #{run} sent nothing to Maileon: there, {field} still marks the contacts of run "
                          "#{holder_id}. A target group would hold those – none created.",
    "marks.other-run": "No target group from run #{run}: in Maileon, {field} now marks the contacts of run "
                       "#{holder_id}, not this run's. A target group would hold the contacts of run #{holder_id}.",
    "marks.other-run-partial": "No target group from run #{run}: in Maileon, {field} now marks part of the "
                               "contacts of run #{holder_id}, which did not finish.",
    "marks.unfinished": "No target group from run #{run}: the run did not finish, so in Maileon {field} marks only "
                        "the contacts it sent before it stopped. Resume the run (F4) or upload anew first.",
    "marks.segment-note": "This run refreshed segments ({names}): {field} marks all their members. Each segment "
                          "already has a target group of its own that stays exact.",
}
