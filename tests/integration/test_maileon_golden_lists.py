"""Golden documents of issue 25 (tests/fixtures/maileon, sources in its README): anonymised report entries in
every shape, the lists of contact filters and target groups. Our parsers read them, the simulator answers in
the same element shapes (it writes nothing the golden documents lack)."""

from __future__ import annotations

import httpx
from lxml import etree
from sync_helpers import API_KEY
from test_maileon_golden import fixture, shape

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.maileon.xml import parse_contact_filters, parse_target_groups, parse_unsubscriptions
from kufertui.simulator import SimState, create_app


def client_for(state: SimState) -> MaileonClient:
    options = ClientOptions(api_key=API_KEY, base_url="http://sim.invalid/1.0", requests_per_second=0, max_retries=0)
    return MaileonClient(options, transport=httpx.ASGITransport(app=create_app(state)))


def test_parse_golden_anonymised_entries_in_every_shape() -> None:
    entries = parse_unsubscriptions(fixture("unsubscriptions_anonymised.xml"))
    assert [(e.email, e.anonymous, e.contact_id, e.external_id) for e in entries] == [
        (None, True, 5003, "100233"),  # a placeholder address is no address
        (None, True, 5004, "100234"),
        (None, True, 5005, "100235"),  # the flag as an element (PHP reads it so)
    ]
    readable = parse_unsubscriptions(fixture("unsubscriptions.xml"))[0]
    assert (readable.email, readable.anonymous) == ("anna.beispiel@example.org", False)


def test_parse_golden_lists() -> None:
    filters = parse_contact_filters(fixture("contactfilters.xml"))
    assert [(f.id, f.name, f.count_contacts, f.state) for f in filters] == [
        (2773, "kufertui ImportAPI", 1234, "uptodate"), (2774, "Staff filter", 12, "outofdate")]
    [group] = parse_target_groups(fixture("targetgroups.xml"))
    assert (group.id, group.name, group.contact_filter_id, group.count_contacts, group.count_active_contacts) == (
        30, "KUFER Import", 2773, 1234, 1210)


async def test_simulator_answers_lists_and_anonymised_entries_in_the_golden_shapes() -> None:
    state = SimState.with_key(API_KEY)
    state.custom_fields["ImportAPI"] = "boolean"
    async with client_for(state) as client:
        filter_id, _none = await client.create_contact_filter("kufertui ImportAPI", "ImportAPI", "true", False)
        await client.create_target_group("KUFER Import", filter_id)
        filters = await client._req("GET", "/contactfilters", params={"page_index": 1, "page_size": 100})
        groups = await client._req("GET", "/targetgroups", params={"page_index": 1, "page_size": 100})
        shapes = {}
        for mode in ("placeholder", "nil", "empty", "missing"):
            state.report_anonymous = mode
            anna = state.seed_contact(f"{mode}@example.org", external_id="100231")
            state.unsubscribe_contact(anna)
            state.clock.advance(days=state.retention_days + 1)  # anonymised by the retention
            resp = await client._req("GET", "/reports/unsubscriptions", params={"exclude_anonymous": False})
            shapes[mode] = resp.content
            assert {e.email for e in await client.unsubscriptions(0)} == {None}
    assert shape(filters.content) <= shape(fixture("contactfilters.xml"))
    assert {"contactfilters/contactfilter/id", "contactfilters/contactfilter/name"} <= shape(filters.content)
    assert shape(groups.content) <= shape(fixture("targetgroups.xml"))
    assert "targetgroups/targetgroup/contact_filter_id" in shape(groups.content)
    golden = shape(fixture("unsubscriptions_anonymised.xml")) | shape(fixture("unsubscriptions.xml"))
    for mode, body in shapes.items():
        assert shape(body) <= golden, mode
        assert etree.fromstring(body).find("unsubscription/contact").get("anonymous") == "true"
