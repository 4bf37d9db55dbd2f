"""Every legally relevant choice of an upload, fixed as a value: on the wire (the exact query string the
simulator receives) and in the simulator's end state. A run that is wrong in the client and in the
simulator alike still fails here, because the expected values are written down, not derived.

J (own consent) → permission 4 (DOI), K (customer, § 7 Abs. 3 UWG) → 6 (OTHER), unless configured;
an existing contact keeps its permission (override_permission=false); an unsubscribed e-mail is not
re-imported (reimport_unsubscribed_contacts=false); existing contacts are updated (sync_mode=1);
invalid contacts are skipped, not fatal (ignore_invalid_contacts=true); ImportAPI is cleared before
the first contact is sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_state

from kufertui.simulator import running_simulator
from kufertui.simulator.state import SimState

# the client sends every parameter explicitly, in this order
QUERY = ("permission={p}&sync_mode=1&ignore_invalid_contacts=true&reimport_unsubscribed_contacts=false"
         "&override_permission=false&update_only=false&use_external_id=false&prefer_maileon_id=false")
SOI, DOI, DOI_PLUS, OTHER = 2, 4, 5, 6


def _account(state: SimState) -> None:
    """What Maileon holds before the run: ImportAPI marks of an earlier run, two known contacts with a
    permission different from what this run would give, an unsubscribed e-mail, an external id in use."""
    state.log_requests = True
    state.custom_fields["ImportAPI"] = "boolean"
    state.seed_contact("earlier@vhs-test.de", permission=DOI, custom={"ImportAPI": "true"})
    j_known, k_known = person(3, "J"), person(4, "K")
    state.seed_contact(j_known.email, external_id=j_known.person_no, permission=SOI, standard={"LASTNAME": "alt"})
    state.seed_contact(k_known.email, external_id=k_known.person_no, permission=DOI)
    gone = state.seed_contact(person(5, "J").email, external_id=person(5, "J").person_no)
    state.unsubscribe_contact(gone)
    # long ago: the report entry has left the retention window and is gone (the pessimistic reading; by
    # default the simulator keeps it anonymised, and the pull would match it by KUFER number), so only
    # Maileon's marker remembers it
    state.retention_mode = "delete"
    state.clock.advance(days=state.retention_days + 30)
    state.seed_contact("owner@elsewhere.de", external_id=person(6, "J").person_no)  # code 4 for person 6


def _run(tmp_path: Path, permissions: tuple[str, str] | None) -> tuple[SimState, list[str]]:
    state = sim_state()
    _account(state)
    root = tmp_path / "ws"
    # 1, 2 new J / K; 3, 4 known J / K; 5 unsubscribed J; 6 J whose person number Maileon gives to another
    seed_workspace(root, [person(1, "J"), person(2, "K"), person(3, "J"), person(4, "K"), person(5, "J"),
                          person(6, "J")])
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=50)
        if permissions is not None:
            settings.permissions.J, settings.permissions.K = permissions
        run = run_engine(settings, root)
    assert run.report.run_id is not None
    bodies = state.sync_bodies()
    # the unsubscribed e-mail and the invalid contact are offered to Maileon: it is Maileon that skips them
    assert person(5).email.encode() in bodies[0] and person(6).email.encode() in bodies[0]
    calls = [f"{r.method} {r.path}" + (f"?{r.query}" if r.method == "POST" and r.path == "/contacts" else "")
             for r in state.request_log]
    return state, calls


@pytest.mark.parametrize(("configured", "j_code", "k_code"), [
    (None, DOI, OTHER),                  # the defaults
    (("doi+", "soi"), DOI_PLUS, SOI),    # as configured
])
def test_legal_values_on_the_wire_and_in_maileon(tmp_path: Path, configured: tuple[str, str] | None,
                                                 j_code: int, k_code: int) -> None:
    state, calls = _run(tmp_path, configured)

    syncs = [c for c in calls if c.startswith("POST /contacts?")]
    # one batch per legal basis, J first; exactly these query strings
    assert syncs == [f"POST /contacts?{QUERY.format(p=j_code)}", f"POST /contacts?{QUERY.format(p=k_code)}"]
    # ImportAPI is cleared once, before anything is sent
    clear = "DELETE /contacts/fields/custom/ImportAPI/values"
    assert calls.count(clear) == 1
    assert calls.index(clear) < calls.index(syncs[0])

    contacts = state.contacts
    # new contacts: the permission of their legal basis
    assert contacts[person(1).email].permission == j_code
    assert contacts[person(2).email].permission == k_code
    # existing contacts keep theirs (override_permission=false) but are updated (sync_mode=1)
    assert contacts[person(3).email].permission == SOI
    assert contacts[person(4).email].permission == DOI
    assert contacts[person(3).email].standard["LASTNAME"] == "Nach3"
    # the unsubscribed e-mail is not brought back (reimport_unsubscribed_contacts=false)
    assert person(5).email not in contacts
    # the invalid contact was skipped and the rest of its batch went in (ignore_invalid_contacts=true)
    assert person(6).email not in contacts
    # ImportAPI marks exactly this run's contacts: the earlier run's mark is gone
    marked = sorted(e for e, c in contacts.items() if c.custom.get("ImportAPI") == "true")
    assert marked == sorted(person(i).email for i in (1, 2, 3, 4))
