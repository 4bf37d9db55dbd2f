"""Texts of `kufertui doctor --probe` (sync/probe/): the question before, the table after, one text per step and
outcome. ``probe.step.<id>``: what the step expects (the reading the simulator plays by default);
``probe.seen.<id>.<case>``: what it saw."""

DE = {
    # command line
    "cli.help.probe": "die Annahmen über Maileon am echten Konto prüfen: legt Testkontakte an und löscht sie "
                      "wieder (fragt vorher; siehe README „Die Probe“)",
    "cli.help.probe-domain": "Domain für die Adressen der Testkontakte – eine Ihrer VHS (Pflicht mit --probe)",
    "cli.metavar.domain": "DOMAIN",
    "cli.help.probe-cleanup": "mit --probe: nur Reste einer abgebrochenen Probe in Maileon löschen",
    "cli.help.probe-yes": "mit --probe: ohne Rückfrage (für Skripte)",
    "probe.domain-missing": "Die Probe braucht eine Domain für ihre Testadressen: --probe-domain IHRE-DOMAIN "
                            "(eine Domain Ihrer VHS; niemand bekommt Post).",
    "probe.domain-invalid": "„{domain}“ ist keine Domain (z. B. vhs-musterstadt.de).",
    "probe.domain-reserved": "„{domain}“ gehört niemandem (reservierte Beispiel- oder Testdomain); Maileon kann "
                             "solche Adressen ablehnen. Nennen Sie eine Domain Ihrer VHS.",
    "probe.needs-yes": "Die Probe legt Testkontakte in Maileon an und fragt vorher. Ohne Terminal (oder mit --json) "
                       "bitte --yes angeben.",
    "probe.cleanup-needs-probe": "--probe-domain, --cleanup und --yes gehören zu --probe: kufertui doctor --probe "
                                 "--probe-domain IHRE-DOMAIN (oder --probe --cleanup).",
    "probe.cancelled-by-user": "Nichts getan.",
    "probe.preview.heading": "Die Probe prüft {count} Annahmen über Maileon an Ihrem Konto ({url}). Sie legt dafür "
                             "an – und löscht danach wieder, auch bei Abbruch:",
    "probe.preview.contacts": "  {count} Testkontakte {email} (externe ID {eid}), Berechtigung 1 (keine): "
                              "niemand bekommt Post",
    "probe.preview.field": "  1 Kontaktfeld {field} (boolean)",
    "probe.preview.filters": "  bis zu 2 Kontaktfilter und 4 Zielgruppen „{prefix} …“",
    "probe.preview.markers": "  Abmeldemarker auf bis zu 4 dieser Adressen (bis zu 3 Testkontakte melden sich ab)",
    "probe.preview.stays": "Bleibt in Maileon: die Einträge dieser Abmeldungen im Abmelder-Bericht (Maileon "
                           "bewahrt sie als Nachweis auf; kufertui übergeht sie beim Abholen).",
    "probe.preview.reads": "Gelesen wird außerdem: eine Seite des Abmelder-Berichts (höchstens 1.000 Einträge, nur "
                           "gezählt, nichts gespeichert) und die Zahl der Kontakte.",
    "probe.preview.time": "Dauer: meist unter einer Minute, höchstens einige Minuten (Maileon arbeitet manches "
                          "nachträglich ab).",
    "probe.confirm": "Probe jetzt starten? [j/N] ",
    "probe.progress": "Probe: {step}",
    "probe.stopping": "Halte an und räume auf … (nochmals Strg+C: sofort; Reste bleiben für --cleanup verzeichnet)",
    # the table
    "probe.title": "kufertui doctor --probe – {url}",
    "probe.meta": "Probe {token} · Adressen @{domain} · begonnen {started} UTC · {seconds} s · kufertui {version}",
    "probe.verdict.holds": "trifft zu",
    "probe.verdict.differs": "weicht ab",
    "probe.verdict.could-not-check": "nicht prüfbar",
    "probe.label.expected": "Erwartet:",
    "probe.summary": "{holds} treffen zu, {differs} weichen ab, {unchecked} nicht prüfbar.",
    "probe.stopped-error": "Die Probe wurde angehalten: {detail}",
    "probe.stopped-cancel": "Die Probe wurde abgebrochen; nicht erreichte Schritte sind „nicht prüfbar“.",
    "probe.cleaned": "Aufgeräumt: Alles, was die Probe angelegt hat, ist in Maileon wieder gelöscht.",
    "probe.leftovers#one": "Nicht aufgeräumt: 1 Rest ist noch in Maileon. „kufertui doctor --probe --cleanup“ "
                           "löscht ihn (auch die nächste Probe versucht es):",
    "probe.leftovers": "Nicht aufgeräumt: {count} Reste sind noch in Maileon. „kufertui doctor --probe --cleanup“ "
                       "löscht sie (auch die nächste Probe versucht es):",
    "probe.report-entries#one": "Im Abmelder-Bericht bleibt 1 Eintrag der Probe (Maileon bewahrt Abmeldungen auf; "
                                "kufertui übergeht sie).",
    "probe.report-entries": "Im Abmelder-Bericht bleiben {count} Einträge der Probe (Maileon bewahrt Abmeldungen "
                            "auf; kufertui übergeht sie).",
    "probe.earlier-removed#one": "Reste 1 früheren, abgebrochenen Probe wurden zuerst gelöscht.",
    "probe.earlier-removed": "Reste {count} früherer, abgebrochener Proben wurden zuerst gelöscht.",
    "probe.earlier-left#one": "1 Rest einer früheren Probe ließ sich nicht löschen (kufertui doctor --probe "
                              "--cleanup).",
    "probe.earlier-left": "{count} Reste früherer Proben ließen sich nicht löschen (kufertui doctor --probe "
                          "--cleanup).",
    "probe.differs-advice": "„Weicht ab“ heißt: Maileon verhält sich hier anders, als kufertui annimmt. kufertui ist "
                            "darauf vorbereitet, wo docs/maileon-assumptions.md es sagt – bitte schicken Sie die "
                            "Datei unten an den Support, damit Annahme und Simulator berichtigt werden.",
    "probe.file": "Gespeichert für den Support: {path}",
    "probe.cleaning": "Probe: räume auf …",
    "probe.cleanup.none": "Keine Reste einer Probe verzeichnet.",
    "probe.doctor-leftovers#one": "Eine abgebrochene Probe hat Testkontakte in Maileon hinterlassen: kufertui doctor "
                                  "--probe --cleanup löscht sie.",
    "probe.doctor-leftovers": "{count} abgebrochene Proben haben Testkontakte in Maileon hinterlassen: kufertui "
                              "doctor --probe --cleanup löscht sie.",
    "probe.cleanup.done#one": "Reste 1 abgebrochenen Probe gelöscht.",
    "probe.cleanup.done": "Reste {count} abgebrochener Proben gelöscht.",
    "probe.cleanup.left#one": "1 Rest ließ sich nicht löschen:",
    "probe.cleanup.left": "{count} Reste ließen sich nicht löschen:",
    "probe.cleanup.elsewhere#one": "1 Probe wurde in einem anderen Maileon-Konto (andere Adresse) gemacht und bleibt "
                                   "verzeichnet, bis kufertui wieder dorthin zeigt.",
    "probe.cleanup.elsewhere": "{count} Proben wurden in einem anderen Maileon-Konto (andere Adresse) gemacht und "
                               "bleiben verzeichnet, bis kufertui wieder dorthin zeigt.",
    # why a step could not check, for every step
    "probe.seen.failed": "Der Schritt ging nicht durch: {detail}",
    "probe.seen.needs-contacts": "Die Testkontakte fehlen (Maileon nahm {made} von {wanted}; {codes}).",
    "probe.seen.needs-filter": "Der Kontaktfilter der Probe fehlt ({detail}).",
    "probe.seen.not-reached": "Nicht erreicht: Die Probe wurde vorher angehalten.",
    # what each step expects
    "probe.step.report-paging": "X-Pages kommt auf jeder Seite des Abmelder-Berichts und zählt die Seiten richtig.",
    "probe.step.report-anonymous": "Ohne exclude_anonymous lässt der Bericht anonymisierte Einträge weg (kufertui "
                                   "sendet daher immer exclude_anonymous=false).",
    "probe.step.report-entry-shape": "Ein anonymisierter Eintrag trägt anonymous=\"true\" und kein E-Mail-Element.",
    "probe.step.clear-values-landed": "DELETE …/values hat gewirkt, wenn die Antwort kommt.",
    "probe.step.marks-readback": "Ein Kontakt mit dem Feld zeigt true/1; ohne Wert fehlt das Feld – einzeln wie in "
                                 "der Liste GET /contacts.",
    "probe.step.targetgroup-duplicate-name": "Eine zweite Zielgruppe gleichen Namens wird mit 409 abgelehnt.",
    "probe.step.filter-v2-atomic": "contactfilters/v2 mit vergebenem Zielgruppennamen scheitert (409) und lässt den "
                                   "dabei angelegten Filter zurück.",
    "probe.step.filter-limit-answer": "Die Ablehnung an der Filtergrenze (200) erkennt kufertui als Grenze.",
    "probe.step.filter-rule-and-count": "Die Regel (Feld gleich \"true\") wählt ein wahres boolean-Feld; die Zahl "
                                        "gilt bis zum nächsten refresh.",
    "probe.step.answer-size": "Maileons Antworten sind höchstens einige MB groß.",
    "probe.step.delete-by-external-id": "DELETE /contacts/externalid/<id> antwortet 200 auch, wenn niemand die ID "
                                        "hat, und der Kontakt ist sofort weg.",
    "probe.step.delete-keeps-unsubscription": "Nach dem Löschen eines abgemeldeten Kontakts bleiben sein "
                                              "Bericht-Eintrag und sein Abmeldemarker.",
    "probe.step.overload-signal": "Überlast meldet Maileon mit 503 und Retry-After.",
    "probe.step.unsubscribe-by-external-id": "Abmelden nach externer ID erreicht jeden Kontakt mit der ID und "
                                             "antwortet 404, wenn niemand sie hat.",
    "probe.step.report-external-id": "Der Bericht-Eintrag trägt die externe ID, die der Kontakt beim Abmelden hatte.",
    "probe.step.report-after-unsubscribe": "Eine Abmeldung steht kurz nach der Antwort 200 im Bericht.",
    "probe.step.move-by-email": "PUT /contacts/email/<alt> mit neuer Adresse zieht den Kontakt um: gleiche ID, "
                                "externe ID und Berechtigung.",
    "probe.step.move-permission": "Eine beim Aktualisieren mitgegebene Berechtigung überschreibt die vorhandene.",
    "probe.step.move-external-id": "Eine externe ID im Inhalt von „update by e-mail“ ändert die des Kontakts.",
    "probe.step.move-onto-existing": "Ein Umzug auf die Adresse eines anderen Kontakts wird mit 409 abgelehnt.",
    "probe.step.marker-vs-code4": "Ein Sync prüft den Abmeldemarker vor dem Besitzer der externen ID (Code 4).",
    "probe.step.unsubscribed-lookup": "Ein abgemeldeter Kontakt ist unter seiner Adresse nicht mehr zu finden, sein "
                                      "Abmeldemarker schon.",
    "probe.step.code4-taken-external-id": "Eine neue Adresse mit der externen ID eines anderen Kontakts wird mit "
                                          "Code 4 abgelehnt; nichts wird angelegt.",
    "probe.step.media-type-bodiless": "Schreibende Aufrufe ohne Inhalt gehen mit Content-Type durch und auch ohne "
                                      "(kufertui sendet ihn immer).",
    # what each step saw
    "probe.seen.report-paging.right": "{pages} eigene Einträge zu je einem auf der Seite: X-Pages {pages} auf jeder "
                                      "Seite, die letzte Seite danach leer.",
    "probe.seen.report-paging.missing": "X-Pages fehlte auf {asked} Seiten (gesendet auf {sent}); kufertui liest "
                                        "dann bis zu einer kurzen Seite.",
    "probe.seen.report-paging.wrong": "X-Pages „{value}“ bei {pages} Seiten; kufertui liest bis zu einer kurzen "
                                      "Seite und bricht bei Widerspruch ab.",
    "probe.seen.report-paging.pages": "Einträge je Seite: {sizes} (erwartet: {pages} mal 1, dann 0).",
    "probe.seen.report-paging.filter-ignored": "Der Bericht hat den Filter eids nicht angewandt; X-Pages ließ sich "
                                               "an den eigenen Einträgen nicht prüfen.",
    "probe.seen.report-paging.too-few": "Nur {entries} eigene Einträge im Bericht; zum Blättern braucht es zwei.",
    "probe.seen.report-anonymous.excluded": "Ohne Parameter {absent}, mit false {included}, mit true {excluded}: "
                                            "Der Bericht lässt sie ohne Parameter weg.",
    "probe.seen.report-anonymous.included": "Ohne Parameter {absent}, mit false {included}, mit true {excluded}: "
                                            "Der Bericht nimmt sie ohne Parameter mit.",
    "probe.seen.report-anonymous.odd": "Ohne Parameter {absent}, mit false {included}, mit true {excluded}: Die "
                                       "Zahl ohne Parameter passt zu keiner der beiden.",
    "probe.seen.report-anonymous.no-anonymised": "Der Bericht zählt mit und ohne anonymisierte Einträge gleich "
                                                 "viele ({included}): Im Konto gibt es (noch) keine.",
    "probe.seen.report-entry-shape.flagged#one": "1 anonymisierter Eintrag, mit anonymous=\"true\" und ohne "
                                                 "E-Mail-Element.",
    "probe.seen.report-entry-shape.flagged": "{count} anonymisierte Einträge, alle mit anonymous=\"true\" und ohne "
                                             "E-Mail-Element.",
    "probe.seen.report-entry-shape.unflagged": "{count} Einträge sehen anonymisiert aus, {unflagged} davon OHNE "
                                               "anonymous=\"true\" ({shapes}). Ein Platzhalter ohne Kennzeichen "
                                               "würde als Adresse genommen – bitte an den Support.",
    "probe.seen.report-entry-shape.shape#one": "1 anonymisierter Eintrag mit anonymous=\"true\"; E-Mail: {shapes} "
                                               "(kufertui nimmt ihn nicht als Adresse).",
    "probe.seen.report-entry-shape.shape": "{count} anonymisierte Einträge mit anonymous=\"true\"; E-Mail: {shapes} "
                                           "(kufertui nimmt keinen davon als Adresse).",
    "probe.seen.report-entry-shape.none-seen": "Unter den ersten {entries} Einträgen des Berichts ist kein "
                                               "anonymisierter.",
    "probe.seen.clear-values-landed.at-once": "Direkt nach der Antwort trug kein Testkontakt das Feld mehr.",
    "probe.seen.clear-values-landed.late": "Erst nach {seconds} s war das Feld bei allen Testkontakten leer; "
                                           "kufertui wartet vor dem Hochladen darauf.",
    "probe.seen.clear-values-landed.never": "Auch nach {seconds} s trugen Testkontakte das Feld noch.",
    "probe.seen.clear-values-landed.no-marks": "Die Testkontakte trugen das Feld vorher nicht.",
    "probe.seen.marks-readback.read": "Einzeln und in der Liste: true bei den markierten, das Feld fehlt beim "
                                      "unmarkierten.",
    "probe.seen.marks-readback.values": "Einzeln gelesen zeigten {marked} von 2 markierten Testkontakten den Wert "
                                        "true/1 (oder der unmarkierte zeigte ihn).",
    "probe.seen.marks-readback.unset-shown": "Das Feld ohne Wert wird mitgeliefert (leer); kufertui liest es als "
                                             "„nicht gesetzt“.",
    "probe.seen.marks-readback.list-values": "In der Liste GET /contacts stimmen die Werte der Testkontakte nicht.",
    "probe.seen.marks-readback.list-not-found": "Die Testkontakte standen nicht auf den letzten Seiten von "
                                                "GET /contacts ({contacts} Kontakte).",
    "probe.seen.targetgroup-duplicate-name.refused": "Zweite Gruppe gleichen Namens: HTTP {status}. Nur in Groß"
                                                     "buchstaben: {capitals}; mit Umlaut: {umlaut}.",
    "probe.seen.targetgroup-duplicate-name.accepted": "Zweite Gruppe gleichen Namens angelegt (HTTP {status}). "
                                                      "Großbuchstaben: {capitals}; Umlaut: {umlaut}.",
    "probe.seen.targetgroup-duplicate-name.other": "Zweite Gruppe gleichen Namens: HTTP {status}. Großbuchstaben: "
                                                   "{capitals}; Umlaut: {umlaut}.",
    "probe.seen.targetgroup-duplicate-name.first-refused": "Schon die erste Zielgruppe der Probe wurde abgelehnt "
                                                           "(HTTP {status}).",
    "probe.seen.filter-v2-atomic.orphan": "HTTP {status}, und der Filter dieses Namens blieb angelegt (die Probe "
                                          "hat ihn gelöscht).",
    "probe.seen.filter-v2-atomic.atomic": "HTTP {status}, und es blieb kein Filter zurück.",
    "probe.seen.filter-v2-atomic.accepted": "Angelegt (HTTP {status}) trotz vergebenem Zielgruppennamen.",
    "probe.seen.filter-limit-answer.recognised": "Maileon lehnte den Filter der Probe ab (HTTP {status}, {filters} "
                                                 "Filter im Konto): kufertui erkennt das als Grenze.",
    "probe.seen.filter-limit-answer.not-recognised": "Maileon lehnte den Filter der Probe ab (HTTP {status}, "
                                                     "{filters} Filter im Konto), ohne dass kufertui die Grenze "
                                                     "erkennt.",
    "probe.seen.filter-limit-answer.not-at-cap": "Das Konto ist nicht an der Grenze ({filters} von {limit} "
                                                 "Filtern); sie wird auf einem Kundenkonto nicht absichtlich "
                                                 "erreicht.",
    "probe.seen.filter-rule-and-count.stale": "Nach refresh {first} (2 markiert); einen dritten markiert: ohne "
                                              "refresh {unrefreshed}, nach refresh {refreshed}.",
    "probe.seen.filter-rule-and-count.fresh": "Nach refresh {first}; einen dritten markiert: schon ohne refresh "
                                              "{unrefreshed} (kufertui fragt ohnehin mit refresh).",
    "probe.seen.filter-rule-and-count.rule": "Nach refresh {first} statt 2 und {refreshed} statt 3: Die Regel "
                                             "wählt das boolean-Feld nicht so (kufertui zählt dann Kontakt für "
                                             "Kontakt).",
    "probe.seen.filter-rule-and-count.slow": "Die Zahl stimmte erst nach {seconds} s ({first}, {refreshed}): Maileon "
                                             "wertet Filter im Hintergrund aus.",
    "probe.seen.answer-size.not-provoked": "Nicht zu provozieren; die größte Antwort dieser Probe: {largest} Bytes "
                                           "(kufertui nimmt höchstens {limit}).",
    "probe.seen.delete-by-external-id.same-answer": "200 für eine ID, die niemand hat, wie für eine gelöschte; der "
                                                    "Kontakt war sofort weg.",
    "probe.seen.delete-by-external-id.nobody-status": "Für eine ID, die niemand hat: HTTP {nobody} (kufertui sieht "
                                                      "ohnehin vorher und nachher nach).",
    "probe.seen.delete-by-external-id.late": "Der Kontakt war erst nach {seconds} s weg (niemand: HTTP {nobody}).",
    "probe.seen.delete-by-external-id.not-gone": "Der Kontakt war auch nach {seconds} s noch da.",
    "probe.seen.delete-by-external-id.refused": "Das Löschen wurde abgelehnt: HTTP {status}.",
    "probe.seen.delete-keeps-unsubscription.kept": "Bericht-Einträge vorher {entries}, nachher {entries_after}; der "
                                                   "Abmeldemarker blieb.",
    "probe.seen.delete-keeps-unsubscription.entry-gone": "Bericht-Einträge vorher {entries}, nachher "
                                                         "{entries_after}: Das Löschen nahm die Abmeldung mit.",
    "probe.seen.delete-keeps-unsubscription.marker-gone": "Der Abmeldemarker ging mit dem Kontakt.",
    "probe.seen.overload-signal.not-provoked": "Überlast wird auf einem Kundenkonto nicht provoziert.",
    "probe.seen.unsubscribe-by-external-id.all": "Alle {holders} Kontakte mit der ID standen nach {seconds} s im "
                                                 "Bericht; eine ID ohne Kontakt: 404.",
    "probe.seen.unsubscribe-by-external-id.not-all": "Nach {seconds} s standen {listed} von {holders} Kontakten mit "
                                                     "der ID im Bericht.",
    "probe.seen.unsubscribe-by-external-id.nobody-answered": "Eine ID ohne Kontakt: HTTP {status} statt 404 "
                                                             "(kufertui fragt zusätzlich nach jeder Adresse).",
    "probe.seen.unsubscribe-by-external-id.refused": "Abgelehnt: HTTP {status}.",
    "probe.seen.report-external-id.same": "Der Eintrag trägt die externe ID des Kontakts.",
    "probe.seen.report-external-id.other": "Der Eintrag trägt eine andere externe ID.",
    "probe.seen.report-external-id.none": "Der Eintrag trägt keine externe ID.",
    "probe.seen.report-external-id.no-entry": "Kein Eintrag im Bericht, an dem es sich prüfen ließe.",
    "probe.seen.report-after-unsubscribe.seen": "Im Bericht nach {seconds} s.",
    "probe.seen.report-after-unsubscribe.not-seen": "Nach {seconds} s noch nicht im Bericht.",
    "probe.seen.move-by-email.moved": "Umgezogen: gleiche ID, gleiche externe ID, Berechtigung unverändert; unter "
                                      "der alten Adresse niemand mehr.",
    "probe.seen.move-by-email.refused": "Abgelehnt: HTTP {status}.",
    "probe.seen.move-by-email.not-moved": "Die Antwort war 2xx, aber der Kontakt ist nicht unter der neuen Adresse "
                                          "(oder noch unter der alten).",
    "probe.seen.move-by-email.changed": "Unter der neuen Adresse ist ein Kontakt, aber ID, externe ID oder "
                                        "Berechtigung ({permission}) weichen ab (Einzelheiten: --json).",
    "probe.seen.move-permission.no-mailing-permission": "Dazu bräuchte es einen Kontakt mit einer Berechtigung, die "
                                                        "Post erlaubt – die Probe legt nie einen an. Ohne mitgegebene "
                                                        "Berechtigung blieb sie bei {permission}.",
    "probe.seen.move-external-id.set": "Die externe ID des Kontakts ist jetzt die aus dem Inhalt.",
    "probe.seen.move-external-id.ignored": "Die externe ID blieb, wie sie war.",
    "probe.seen.move-external-id.refused": "Abgelehnt: HTTP {status}.",
    "probe.seen.move-external-id.other": "Danach hatte der Kontakt eine dritte externe ID (oder war nicht zu "
                                         "finden).",
    "probe.seen.move-onto-existing.conflict": "HTTP 409; beide Kontakte unverändert.",
    "probe.seen.move-onto-existing.accepted": "Angenommen (HTTP {status}): Die Adresse eines anderen Kontakts ging "
                                              "an diesen (kufertui sieht vorher nach und zieht dann nicht um).",
    "probe.seen.move-onto-existing.other": "HTTP {status} statt 409.",
    "probe.seen.marker-vs-code4.marker-first": "Als abgemeldet übersprungen (count_unsubscribed_contacts 1), kein "
                                               "Code 4.",
    "probe.seen.marker-vs-code4.code4-first": "Code 4 vor dem Marker (kufertui sieht vor jedem Umzug selbst nach "
                                              "dem Marker).",
    "probe.seen.marker-vs-code4.other": "Weder noch: Codes {codes}, abgemeldet {unsubscribed}, neu {new}.",
    "probe.seen.unsubscribed-lookup.gone": "Nach {seconds} s: Kontakt unter der Adresse 404, Abmeldemarker 200.",
    "probe.seen.unsubscribed-lookup.still-found": "Auch nach {seconds} s war der Kontakt unter seiner Adresse noch "
                                                  "zu finden.",
    "probe.seen.unsubscribed-lookup.no-marker": "Nach {seconds} s kein Abmeldemarker auf der Adresse.",
    "probe.seen.code4-taken-external-id.code4": "Code 4, kein Kontakt angelegt.",
    "probe.seen.code4-taken-external-id.created": "Angelegt – zwei Kontakte tragen jetzt die ID (Codes: {codes}).",
    "probe.seen.code4-taken-external-id.other": "Codes {codes} statt 4 (abgemeldet: {unsubscribed}).",
    "probe.seen.media-type-bodiless.lenient": "Mit Content-Type: {with_type}; ohne: {without}.",
    "probe.seen.media-type-bodiless.strict": "Mit Content-Type: {with_type}; ohne: {without} – Maileon ist streng "
                                             "(kufertui sendet ihn immer).",
    "probe.seen.media-type-bodiless.refused": "Schon mit Content-Type abgelehnt: {with_type} (ohne: {without}).",
}

EN = {
    # command line
    "cli.help.probe": "check the assumptions about Maileon on the real account: makes scratch contacts and deletes "
                      "them again (asks first; see README \"The probe\")",
    "cli.help.probe-domain": "domain for the scratch contacts' addresses – one of your centre's (required with "
                             "--probe)",
    "cli.metavar.domain": "DOMAIN",
    "cli.help.probe-cleanup": "with --probe: only delete what an interrupted probe left in Maileon",
    "cli.help.probe-yes": "with --probe: without asking (for scripts)",
    "probe.domain-missing": "The probe needs a domain for its scratch addresses: --probe-domain YOUR-DOMAIN (one of "
                            "your centre's; nobody is mailed).",
    "probe.domain-invalid": "\"{domain}\" is not a domain (e.g. vhs-musterstadt.de).",
    "probe.domain-reserved": "\"{domain}\" belongs to nobody (a reserved example or test domain); Maileon may refuse "
                             "such addresses. Name a domain of your centre's.",
    "probe.needs-yes": "The probe makes scratch contacts in Maileon and asks first. Without a terminal (or with "
                       "--json) add --yes.",
    "probe.cleanup-needs-probe": "--probe-domain, --cleanup and --yes go with --probe: kufertui doctor --probe "
                                 "--probe-domain YOUR-DOMAIN (or --probe --cleanup).",
    "probe.cancelled-by-user": "Nothing done.",
    "probe.preview.heading": "The probe checks {count} assumptions about Maileon on your account ({url}). For that "
                             "it makes – and deletes afterwards, also when interrupted:",
    "probe.preview.contacts": "  {count} scratch contacts {email} (external id {eid}), permission 1 (none): nobody "
                              "is mailed",
    "probe.preview.field": "  1 contact field {field} (boolean)",
    "probe.preview.filters": "  up to 2 contact filters and 4 target groups \"{prefix} …\"",
    "probe.preview.markers": "  unsubscription markers on up to 4 of these addresses (up to 3 scratch contacts "
                             "unsubscribe)",
    "probe.preview.stays": "Stays in Maileon: the entries of these unsubscribes in the unsubscription report "
                           "(Maileon keeps them as records; kufertui's pull passes them over).",
    "probe.preview.reads": "It also reads: one page of the unsubscription report (at most 1,000 entries, only "
                           "counted, nothing kept) and the number of contacts.",
    "probe.preview.time": "Takes: usually under a minute, a few minutes at most (Maileon does some things "
                          "afterwards).",
    "probe.confirm": "Start the probe now? [y/N] ",
    "probe.progress": "Probe: {step}",
    "probe.stopping": "Stopping and cleaning up … (Ctrl+C again: at once; leftovers stay recorded for --cleanup)",
    # the table
    "probe.title": "kufertui doctor --probe – {url}",
    "probe.meta": "Probe {token} · addresses @{domain} · started {started} UTC · {seconds} s · kufertui {version}",
    "probe.verdict.holds": "holds",
    "probe.verdict.differs": "differs",
    "probe.verdict.could-not-check": "could not check",
    "probe.label.expected": "Expected:",
    "probe.summary": "{holds} hold, {differs} differ, {unchecked} could not be checked.",
    "probe.stopped-error": "The probe was stopped: {detail}",
    "probe.stopped-cancel": "The probe was cancelled; steps not reached read \"could not check\".",
    "probe.cleaned": "Cleaned up: everything the probe made is deleted from Maileon again.",
    "probe.leftovers#one": "Not cleaned up: 1 leftover is still in Maileon. \"kufertui doctor --probe --cleanup\" "
                           "deletes it (the next probe tries too):",
    "probe.leftovers": "Not cleaned up: {count} leftovers are still in Maileon. \"kufertui doctor --probe "
                       "--cleanup\" deletes them (the next probe tries too):",
    "probe.report-entries#one": "1 entry of the probe stays in the unsubscription report (Maileon keeps "
                                "unsubscribes; kufertui passes it over).",
    "probe.report-entries": "{count} entries of the probe stay in the unsubscription report (Maileon keeps "
                            "unsubscribes; kufertui passes them over).",
    "probe.earlier-removed#one": "What 1 earlier, interrupted probe left was deleted first.",
    "probe.earlier-removed": "What {count} earlier, interrupted probes left was deleted first.",
    "probe.earlier-left#one": "1 leftover of an earlier probe could not be deleted (kufertui doctor --probe "
                              "--cleanup).",
    "probe.earlier-left": "{count} leftovers of earlier probes could not be deleted (kufertui doctor --probe "
                          "--cleanup).",
    "probe.differs-advice": "\"Differs\" means: Maileon behaves otherwise here than kufertui assumes. kufertui is "
                            "prepared for it where docs/maileon-assumptions.md says so – please send the file below "
                            "to support, so that the assumption and the simulator are set right.",
    "probe.file": "Saved for support: {path}",
    "probe.cleaning": "Probe: cleaning up …",
    "probe.cleanup.none": "No leftovers of a probe are recorded.",
    "probe.doctor-leftovers#one": "An interrupted probe left scratch contacts in Maileon: kufertui doctor --probe "
                                  "--cleanup deletes them.",
    "probe.doctor-leftovers": "{count} interrupted probes left scratch contacts in Maileon: kufertui doctor --probe "
                              "--cleanup deletes them.",
    "probe.cleanup.done#one": "Deleted what 1 interrupted probe left.",
    "probe.cleanup.done": "Deleted what {count} interrupted probes left.",
    "probe.cleanup.left#one": "1 leftover could not be deleted:",
    "probe.cleanup.left": "{count} leftovers could not be deleted:",
    "probe.cleanup.elsewhere#one": "1 probe was made in another Maileon account (another address) and stays recorded "
                                   "until kufertui points there again.",
    "probe.cleanup.elsewhere": "{count} probes were made in another Maileon account (another address) and stay "
                               "recorded until kufertui points there again.",
    # why a step could not check, for every step
    "probe.seen.failed": "The step did not go through: {detail}",
    "probe.seen.needs-contacts": "The scratch contacts are missing (Maileon took {made} of {wanted}; {codes}).",
    "probe.seen.needs-filter": "The probe's contact filter is missing ({detail}).",
    "probe.seen.not-reached": "Not reached: the probe was stopped before.",
    # what each step expects
    "probe.step.report-paging": "X-Pages comes on every page of the unsubscription report and counts the pages "
                                "right.",
    "probe.step.report-anonymous": "Without exclude_anonymous the report leaves anonymised entries out (so kufertui "
                                   "always sends exclude_anonymous=false).",
    "probe.step.report-entry-shape": "An anonymised entry carries anonymous=\"true\" and no e-mail element.",
    "probe.step.clear-values-landed": "DELETE …/values has taken effect when its answer comes.",
    "probe.step.marks-readback": "A contact with the field shows true/1; without a value the field is left out – "
                                 "read alone and in the list GET /contacts.",
    "probe.step.targetgroup-duplicate-name": "A second target group of the same name is refused with 409.",
    "probe.step.filter-v2-atomic": "contactfilters/v2 with a taken target group name fails (409) and leaves the "
                                   "filter it made on the way.",
    "probe.step.filter-limit-answer": "kufertui recognises the refusal at the filter cap (200) as the cap.",
    "probe.step.filter-rule-and-count": "The rule (field equals \"true\") selects a true boolean field; the count "
                                        "holds until the next refresh.",
    "probe.step.answer-size": "Maileon's answers are a few MB at most.",
    "probe.step.delete-by-external-id": "DELETE /contacts/externalid/<id> answers 200 also when nobody has the id, "
                                        "and the contact is gone at once.",
    "probe.step.delete-keeps-unsubscription": "After an unsubscribed contact is deleted, its report entry and its "
                                              "unsubscription marker stay.",
    "probe.step.overload-signal": "Maileon says overload with 503 and Retry-After.",
    "probe.step.unsubscribe-by-external-id": "Unsubscribing by external id reaches every contact with the id and "
                                             "answers 404 when nobody has it.",
    "probe.step.report-external-id": "The report entry carries the external id the contact had when it "
                                     "unsubscribed.",
    "probe.step.report-after-unsubscribe": "An unsubscribe is in the report soon after its 200.",
    "probe.step.move-by-email": "PUT /contacts/email/<old> with a new address moves the contact: same id, external "
                                "id and permission.",
    "probe.step.move-permission": "A permission given with an update overwrites the one the contact holds.",
    "probe.step.move-external-id": "An external id in the body of an update by e-mail changes the contact's.",
    "probe.step.move-onto-existing": "A move onto another contact's address is refused with 409.",
    "probe.step.marker-vs-code4": "A sync checks the unsubscription marker before the external id's owner (code 4).",
    "probe.step.unsubscribed-lookup": "An unsubscribed contact is not found under its address any more, its "
                                      "unsubscription marker is.",
    "probe.step.code4-taken-external-id": "A new address with another contact's external id is refused with code 4; "
                                          "nothing is made.",
    "probe.step.media-type-bodiless": "Bodiless writes go through with Content-Type, and without it too (kufertui "
                                      "always sends it).",
    # what each step saw
    "probe.seen.report-paging.right": "{pages} own entries one to a page: X-Pages {pages} on every page, the page "
                                      "after the last empty.",
    "probe.seen.report-paging.missing": "X-Pages was missing on {asked} pages (sent on {sent}); kufertui then reads "
                                        "until a short page.",
    "probe.seen.report-paging.wrong": "X-Pages \"{value}\" for {pages} pages; kufertui reads until a short page and "
                                      "stops at a contradiction.",
    "probe.seen.report-paging.pages": "Entries per page: {sizes} (expected: {pages} times 1, then 0).",
    "probe.seen.report-paging.filter-ignored": "The report did not apply the eids filter; X-Pages could not be "
                                               "checked on the probe's own entries.",
    "probe.seen.report-paging.too-few": "Only {entries} own entries in the report; paging needs two.",
    "probe.seen.report-anonymous.excluded": "Without the parameter {absent}, with false {included}, with true "
                                            "{excluded}: without it the report leaves them out.",
    "probe.seen.report-anonymous.included": "Without the parameter {absent}, with false {included}, with true "
                                            "{excluded}: without it the report includes them.",
    "probe.seen.report-anonymous.odd": "Without the parameter {absent}, with false {included}, with true {excluded}: "
                                       "the count without it matches neither.",
    "probe.seen.report-anonymous.no-anonymised": "The report counts as many with as without anonymised entries "
                                                 "({included}): the account has none (yet).",
    "probe.seen.report-entry-shape.flagged#one": "1 anonymised entry, with anonymous=\"true\" and no e-mail "
                                                 "element.",
    "probe.seen.report-entry-shape.flagged": "{count} anonymised entries, all with anonymous=\"true\" and no e-mail "
                                             "element.",
    "probe.seen.report-entry-shape.unflagged": "{count} entries look anonymised, {unflagged} of them WITHOUT "
                                               "anonymous=\"true\" ({shapes}). A placeholder without the flag would "
                                               "be taken for an address – please tell support.",
    "probe.seen.report-entry-shape.shape#one": "1 anonymised entry with anonymous=\"true\"; e-mail: {shapes} "
                                               "(kufertui does not take it for an address).",
    "probe.seen.report-entry-shape.shape": "{count} anonymised entries with anonymous=\"true\"; e-mail: {shapes} "
                                           "(kufertui takes none of them for an address).",
    "probe.seen.report-entry-shape.none-seen": "None of the report's first {entries} entries is anonymised.",
    "probe.seen.clear-values-landed.at-once": "Right after the answer no scratch contact carried the field.",
    "probe.seen.clear-values-landed.late": "Only after {seconds} s was the field empty on every scratch contact; "
                                           "kufertui waits for that before an upload.",
    "probe.seen.clear-values-landed.never": "After {seconds} s scratch contacts still carried the field.",
    "probe.seen.clear-values-landed.no-marks": "The scratch contacts did not carry the field before.",
    "probe.seen.marks-readback.read": "Alone and in the list: true on the marked ones, the field left out on the "
                                      "unmarked one.",
    "probe.seen.marks-readback.values": "Read alone, {marked} of 2 marked scratch contacts showed true/1 (or the "
                                        "unmarked one did).",
    "probe.seen.marks-readback.unset-shown": "The field without a value comes along (empty); kufertui reads it as "
                                             "\"not set\".",
    "probe.seen.marks-readback.list-values": "In the list GET /contacts the scratch contacts' values are wrong.",
    "probe.seen.marks-readback.list-not-found": "The scratch contacts were not on the last pages of GET /contacts "
                                                "({contacts} contacts).",
    "probe.seen.targetgroup-duplicate-name.refused": "Second group of the same name: HTTP {status}. In capitals "
                                                     "only: {capitals}; with an umlaut: {umlaut}.",
    "probe.seen.targetgroup-duplicate-name.accepted": "Second group of the same name made (HTTP {status}). "
                                                      "Capitals: {capitals}; umlaut: {umlaut}.",
    "probe.seen.targetgroup-duplicate-name.other": "Second group of the same name: HTTP {status}. Capitals: "
                                                   "{capitals}; umlaut: {umlaut}.",
    "probe.seen.targetgroup-duplicate-name.first-refused": "Already the probe's first target group was refused "
                                                           "(HTTP {status}).",
    "probe.seen.filter-v2-atomic.orphan": "HTTP {status}, and the filter of that name stayed (the probe deleted "
                                          "it).",
    "probe.seen.filter-v2-atomic.atomic": "HTTP {status}, and no filter was left behind.",
    "probe.seen.filter-v2-atomic.accepted": "Made (HTTP {status}) although the target group name is taken.",
    "probe.seen.filter-limit-answer.recognised": "Maileon refused the probe's filter (HTTP {status}, {filters} "
                                                 "filters in the account): kufertui recognises that as the cap.",
    "probe.seen.filter-limit-answer.not-recognised": "Maileon refused the probe's filter (HTTP {status}, {filters} "
                                                     "filters in the account) without kufertui recognising the cap.",
    "probe.seen.filter-limit-answer.not-at-cap": "The account is not at the cap ({filters} of {limit} filters); it "
                                                 "is not reached on purpose on a customer's account.",
    "probe.seen.filter-rule-and-count.stale": "After a refresh {first} (2 marked); a third one marked: without a "
                                              "refresh {unrefreshed}, after one {refreshed}.",
    "probe.seen.filter-rule-and-count.fresh": "After a refresh {first}; a third one marked: already without a refresh "
                                              "{unrefreshed} (kufertui refreshes anyway).",
    "probe.seen.filter-rule-and-count.rule": "After a refresh {first} instead of 2 and {refreshed} instead of 3: the "
                                             "rule does not select the boolean field that way (kufertui then counts "
                                             "contact by contact).",
    "probe.seen.filter-rule-and-count.slow": "The count was right only after {seconds} s ({first}, {refreshed}): "
                                             "Maileon evaluates filters in the background.",
    "probe.seen.answer-size.not-provoked": "Not to be provoked; this probe's largest answer: {largest} bytes "
                                           "(kufertui takes {limit} at most).",
    "probe.seen.delete-by-external-id.same-answer": "200 for an id nobody has, as for a deleted one; the contact was "
                                                    "gone at once.",
    "probe.seen.delete-by-external-id.nobody-status": "For an id nobody has: HTTP {nobody} (kufertui looks before "
                                                      "and after anyway).",
    "probe.seen.delete-by-external-id.late": "The contact was gone only after {seconds} s (nobody: HTTP {nobody}).",
    "probe.seen.delete-by-external-id.not-gone": "The contact was still there after {seconds} s.",
    "probe.seen.delete-by-external-id.refused": "The deletion was refused: HTTP {status}.",
    "probe.seen.delete-keeps-unsubscription.kept": "Report entries before {entries}, after {entries_after}; the "
                                                   "unsubscription marker stayed.",
    "probe.seen.delete-keeps-unsubscription.entry-gone": "Report entries before {entries}, after {entries_after}: "
                                                         "the deletion took the unsubscribe with it.",
    "probe.seen.delete-keeps-unsubscription.marker-gone": "The unsubscription marker went with the contact.",
    "probe.seen.overload-signal.not-provoked": "Overload is not provoked on a customer's account.",
    "probe.seen.unsubscribe-by-external-id.all": "All {holders} contacts with the id were in the report after "
                                                 "{seconds} s; an id without a contact: 404.",
    "probe.seen.unsubscribe-by-external-id.not-all": "After {seconds} s {listed} of {holders} contacts with the id "
                                                     "were in the report.",
    "probe.seen.unsubscribe-by-external-id.nobody-answered": "An id without a contact: HTTP {status} instead of 404 "
                                                             "(kufertui also asks by every address).",
    "probe.seen.unsubscribe-by-external-id.refused": "Refused: HTTP {status}.",
    "probe.seen.report-external-id.same": "The entry carries the contact's external id.",
    "probe.seen.report-external-id.other": "The entry carries another external id.",
    "probe.seen.report-external-id.none": "The entry carries no external id.",
    "probe.seen.report-external-id.no-entry": "No entry in the report to check it on.",
    "probe.seen.report-after-unsubscribe.seen": "In the report after {seconds} s.",
    "probe.seen.report-after-unsubscribe.not-seen": "Not in the report after {seconds} s.",
    "probe.seen.move-by-email.moved": "Moved: same id, same external id, permission unchanged; nobody under the old "
                                      "address any more.",
    "probe.seen.move-by-email.refused": "Refused: HTTP {status}.",
    "probe.seen.move-by-email.not-moved": "The answer was 2xx, but the contact is not under the new address (or "
                                          "still under the old one).",
    "probe.seen.move-by-email.changed": "There is a contact under the new address, but its id, external id or "
                                        "permission ({permission}) differ (details: --json).",
    "probe.seen.move-permission.no-mailing-permission": "That needs a contact with a permission that allows mail – "
                                                        "the probe never makes one. Without a permission given it "
                                                        "stayed at {permission}.",
    "probe.seen.move-external-id.set": "The contact's external id is now the one from the body.",
    "probe.seen.move-external-id.ignored": "The external id stayed as it was.",
    "probe.seen.move-external-id.refused": "Refused: HTTP {status}.",
    "probe.seen.move-external-id.other": "Afterwards the contact had a third external id (or was not found).",
    "probe.seen.move-onto-existing.conflict": "HTTP 409; both contacts unchanged.",
    "probe.seen.move-onto-existing.accepted": "Taken (HTTP {status}): another contact's address went to this one "
                                              "(kufertui looks first and does not move then).",
    "probe.seen.move-onto-existing.other": "HTTP {status} instead of 409.",
    "probe.seen.marker-vs-code4.marker-first": "Skipped as unsubscribed (count_unsubscribed_contacts 1), no code 4.",
    "probe.seen.marker-vs-code4.code4-first": "Code 4 before the marker (kufertui looks the marker up itself before "
                                              "every move).",
    "probe.seen.marker-vs-code4.other": "Neither: codes {codes}, unsubscribed {unsubscribed}, new {new}.",
    "probe.seen.unsubscribed-lookup.gone": "After {seconds} s: the contact under the address 404, the marker 200.",
    "probe.seen.unsubscribed-lookup.still-found": "After {seconds} s the contact was still found under its address.",
    "probe.seen.unsubscribed-lookup.no-marker": "After {seconds} s no unsubscription marker on the address.",
    "probe.seen.code4-taken-external-id.code4": "Code 4, no contact made.",
    "probe.seen.code4-taken-external-id.created": "Made – two contacts now carry the id (codes: {codes}).",
    "probe.seen.code4-taken-external-id.other": "Codes {codes} instead of 4 (unsubscribed: {unsubscribed}).",
    "probe.seen.media-type-bodiless.lenient": "With Content-Type: {with_type}; without: {without}.",
    "probe.seen.media-type-bodiless.strict": "With Content-Type: {with_type}; without: {without} – Maileon is strict "
                                             "(kufertui always sends it).",
    "probe.seen.media-type-bodiless.refused": "Refused even with Content-Type: {with_type} (without: {without}).",
}
