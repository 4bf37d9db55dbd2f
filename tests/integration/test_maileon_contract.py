"""Contract suite: the client against the simulator, in-process and over a real socket."""

from __future__ import annotations

import pytest

from kufertui.maileon import Conflict, MaileonClient, MaileonContact, build_sync_body
from kufertui.simulator import SimState


async def test_ping_and_rights(client: MaileonClient, sim_state: SimState, api_key: str) -> None:
    await client.ping()
    assert await client.check_rights() == {"GET": True, "POST": True, "PUT": True, "DELETE": True}
    sim_state.accounts[api_key].rights = {"GET", "POST"}
    assert await client.check_rights() == {"GET": True, "POST": True, "PUT": False, "DELETE": False}


async def test_custom_fields(client: MaileonClient, sim_state: SimState) -> None:
    assert await client.list_custom_fields() == {}
    assert await client.ensure_custom_field("ImportAPI") is True
    assert await client.ensure_custom_field("ImportAPI") is False
    with pytest.raises(Conflict) as info:
        await client.create_custom_field("ImportAPI", "boolean")
    assert info.value.hint_id == "conflict" and info.value.status == 409
    assert await client.list_custom_fields() == {"ImportAPI": "boolean"}
    sim_state.seed_contact("x@example.org", custom={"ImportAPI": "true"})
    await client.clear_custom_field_values("ImportAPI")
    assert sim_state.contacts["x@example.org"].custom == {}


async def test_sync_report_counts_and_invalid_list(client: MaileonClient, sim_state: SimState) -> None:
    await client.ensure_custom_field("ImportAPI")
    sim_state.seed_contact("old@example.org", permission=4)
    sim_state.markers.add("gone@example.org")
    contacts = [
        MaileonContact("new1@example.org", standard_fields={"FIRSTNAME": "Anna & <Ben>", "GENDER": "f"},
                       custom_fields={"ImportAPI": True}),
        MaileonContact("OLD@example.org", standard_fields={"LASTNAME": "Müller"}, custom_fields={"ImportAPI": True}),
        MaileonContact("bad-gender@example.org", standard_fields={"GENDER": "w"}),
        MaileonContact("new1@example.org"),
        MaileonContact("not-an-email"),
        MaileonContact("gone@example.org"),
        MaileonContact("undeclared@example.org", custom_fields={"Nope": "x"}),
    ]
    report = await client.sync_contacts(build_sync_body(contacts), permission=4)
    assert report.success
    assert report.count_contacts == 7
    assert report.count_new_contacts == 1
    assert report.count_existing_contacts == 1
    assert report.count_unsubscribed_contacts == 1
    assert report.count_invalid_contacts == 4
    codes = {(i.email, i.code, i.field) for i in report.invalid_contacts}
    assert codes == {("bad-gender@example.org", 19, "GENDER"), ("new1@example.org", 5, None),
                     ("not-an-email", 3, None), ("undeclared@example.org", 21, "Nope")}
    new = sim_state.contacts["new1@example.org"]
    assert new.standard["FIRSTNAME"] == "Anna & <Ben>" and new.custom == {"ImportAPI": "true"}
    assert new.permission == 4
    old = sim_state.contacts["old@example.org"]
    assert old.standard["LASTNAME"] == "Müller" and old.permission == 4  # override_permission=false
    assert "gone@example.org" not in sim_state.contacts
    assert await client.contact_count() == 2
    page, pages = await client.get_contacts_page(1, 1, standard_fields=["FIRSTNAME"], custom_fields=["ImportAPI"])
    assert pages == 2 and len(page) == 1 and page[0].email == "old@example.org"
    assert page[0].standard_fields == {"FIRSTNAME": None} and page[0].custom_fields == {"ImportAPI": "true"}


async def test_unsubscriptions_paging(client: MaileonClient, sim_state: SimState) -> None:
    start = sim_state.clock.now_ms()
    for i in range(25):
        sim_state.seed_contact(f"u{i}@example.org")
        sim_state.recipient_unsubscribes(f"u{i}@example.org")
    entries = await client.unsubscriptions(start, None, page_size=10)
    assert len(entries) == 25
    assert {e.email for e in entries} == {f"u{i}@example.org" for i in range(25)}
    assert all(e.source == "link" and e.timestamp is not None for e in entries)
    assert await client.unsubscriptions_count(start) == 25
    assert await client.unsubscriptions(start + 10**9) == []
    assert await client.unsubscriptions(start, start) == []  # to_date is exclusive


@pytest.mark.parametrize("email", ["a+b@example.org", "tom&jerry@example.org", "jörg@müller-straße.de"])
async def test_unsubscribe_by_email_special_chars(client: MaileonClient, sim_state: SimState, email: str) -> None:
    start = sim_state.clock.now_ms()
    sim_state.seed_contact(email, external_id="P-1")
    assert await client.unsubscribe_email(email) is True
    assert email.lower() not in sim_state.contacts
    assert email.lower() in sim_state.markers
    assert await client.unsubscribe_email(email) is False  # anonymised: no such contact any more
    [entry] = await client.unsubscriptions(start)
    assert entry.email == email and entry.source == "api" and entry.external_id == "P-1"


async def test_unsubscribe_by_external_id(client: MaileonClient, sim_state: SimState) -> None:
    sim_state.seed_contact("e@example.org", external_id="tnr 42+x&y")
    assert await client.unsubscribe_external_id("tnr 42+x&y") is True
    assert await client.unsubscribe_external_id("tnr 42+x&y") is False


async def test_update_by_email_and_lookups(client: MaileonClient, sim_state: SimState) -> None:
    """The calls of a move: the new address looked up (contact, unsubscription marker), then the update by
    the old address, which sends neither a permission nor an external id."""
    sim_state.log_requests = True
    old = sim_state.seed_contact("alt+1@example.org", external_id="42", permission=1)
    assert await client.contact_by_email("neu&1@example.org") is None
    assert await client.has_unsubscription_marker("neu&1@example.org") is False
    sim_state.markers.add("weg@example.org")
    assert await client.has_unsubscription_marker("weg@example.org") is True
    found = await client.contact_by_email("ALT+1@example.org")
    assert found is not None and found.external_id == "42"
    await client.update_contact_by_email("alt+1@example.org", MaileonContact(
        "neu&1@example.org", external_id="99", standard_fields={"FIRSTNAME": "Neu"}))
    assert sim_state.contacts["neu&1@example.org"] is old
    assert (old.external_id, old.permission, old.standard["FIRSTNAME"]) == ("42", 1, "Neu")
    [put] = [r for r in sim_state.request_log if r.method == "PUT"]
    assert "permission" not in put.query and b"external_id" not in put.body
    sim_state.seed_contact("taken@example.org")
    with pytest.raises(Conflict):
        await client.update_contact_by_email("neu&1@example.org", MaileonContact("taken@example.org"))


async def test_contact_filter_and_target_group(client: MaileonClient, sim_state: SimState) -> None:
    filter_id, tg_id = await client.create_contact_filter("ImportAPI true", "ImportAPI")
    assert filter_id > 0 and tg_id is not None and tg_id > 0
    with pytest.raises(Conflict):
        await client.create_contact_filter("ImportAPI true", "ImportAPI")
    f2, none = await client.create_contact_filter("Second", "ImportAPI", create_target_group=False)
    assert none is None
    tg2 = await client.create_target_group("Second group", f2)
    assert sim_state.target_groups[tg2]["contact_filter_id"] == f2
    with pytest.raises(Conflict) as info:
        await client.create_target_group("Second group", f2)
    assert info.value.status == 409
