"""Refusals that keep the wrong data or the wrong people out of Maileon: one Maileon field per KUFER field,
and a target group only from the run whose marks Maileon holds."""

DE = {
    "mapping.conflict": "Das Maileon-Feld {target} kann nur ein KUFER-Feld aufnehmen, zugeordnet sind aber {fields}. "
                        "Ordnen Sie eines davon einem anderen Feld zu oder senden Sie es nicht.",
    "mapping.conflict-import": "Das Maileon-Feld {target} markiert die Kontakte eines Laufs; {fields} darf nicht "
                               "hinein. Wählen Sie ein anderes Feld.",
    "mapping.refused": "{field} → {target} nicht übernommen: {target} erhält schon {other}. "
                       "Die bisherige Zuordnung bleibt.",
    "mapping.refused-import": "{field} → {target} nicht übernommen: Mit {target} markiert jeder Lauf seine "
                              "Kontakte. Die bisherige Zuordnung bleibt.",
    "mapping.in-config": "{problem} (Abschnitt [fields] in {file})",
    "mapping.in-option": "{problem} (--fields {fields})",
}

EN = {
    "mapping.conflict": "The Maileon field {target} can take one KUFER field only, but {fields} are mapped to it. "
                        "Map one of them to another field or leave it unsent.",
    "mapping.conflict-import": "The Maileon field {target} is where a run marks its contacts; {fields} must not go "
                               "there. Choose another field.",
    "mapping.refused": "{field} → {target} not taken: {target} already receives {other}. "
                       "The previous mapping stays.",
    "mapping.refused-import": "{field} → {target} not taken: every run marks its contacts with {target}. "
                              "The previous mapping stays.",
    "mapping.in-config": "{problem} (section [fields] in {file})",
    "mapping.in-option": "{problem} (--fields {fields})",
}
