"""Golden Maileon documents (tests/fixtures/maileon, sources in its README) against our three parts:
the builder writes canonically equal documents, the parsers read them, the simulator accepts the
requests and answers in the same element shapes. Expected values are read off the fixtures by hand."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
from lxml import etree
from sync_helpers import API_KEY

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.maileon.xml import (
    InvalidContact,
    MaileonContact,
    build_sync_body,
    build_target_group,
    parse_custom_fields,
    parse_error_message,
    parse_sync_report,
    parse_target_group,
    parse_unsubscriptions,
)
from kufertui.simulator import SimState, create_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "maileon"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def c14n(data: bytes) -> bytes:
    """Canonical XML (lxml C14N, comments dropped) of a document without insignificant whitespace."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True, strip_cdata=True))
    return etree.tostring(root, method="c14n", with_comments=False)


def shape(data: bytes) -> set[str]:
    """Every element path and attribute name of a document, e.g. ``report/invalid_contacts/contact/error@code``."""
    root = etree.fromstring(data)
    out: set[str] = set()

    def walk(el: etree._Element, prefix: str) -> None:
        path = f"{prefix}/{el.tag}" if prefix else el.tag
        out.add(path)
        out.update(f"{path}@{a}" for a in el.attrib)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, path)

    walk(root, "")
    return out


# the contacts of sync_request.xml, as the engine hands them to the builder
GOLDEN_CONTACTS = [
    MaileonContact("anna.beispiel@example.org", "100231",
                   {"SALUTATION": "Frau", "FIRSTNAME": "Anna", "LASTNAME": "Beispiel & Söhne <GmbH>"},
                   {"ImportAPI": True}),
    MaileonContact("bernd@example.org", "100232", {"LASTNAME": "Muster"}, {"ImportAPI": True}),
]


def fast_options() -> ClientOptions:
    return ClientOptions(api_key=API_KEY, base_url="http://sim.invalid/1.0", requests_per_second=0, max_retries=0)


def client_for(state: SimState) -> MaileonClient:
    return MaileonClient(fast_options(), transport=httpx.ASGITransport(app=create_app(state)))


# ------------------------------------------------------------------------------------------ builder

def test_sync_body_equals_the_golden_request() -> None:
    assert c14n(build_sync_body(GOLDEN_CONTACTS)) == c14n(fixture("sync_request.xml"))


def test_target_group_body_equals_the_golden_request() -> None:
    assert c14n(build_target_group("KUFER Import", 2773)) == c14n(fixture("targetgroup_request.xml"))


async def test_requests_on_the_wire_equal_the_golden_requests() -> None:
    """What the simulator receives from the client: the golden sync and filter bodies, the vendor media type."""
    state = SimState.with_key(API_KEY, log_requests=True)
    state.custom_fields["ImportAPI"] = "boolean"
    async with client_for(state) as client:
        await client.sync_contacts(build_sync_body(GOLDEN_CONTACTS), permission=4)
        await client.create_contact_filter("KUFER Import", "ImportAPI")
    sync, flt = state.request_log
    assert (sync.method, sync.path) == ("POST", "/contacts")
    assert c14n(sync.body) == c14n(fixture("sync_request.xml"))
    assert (flt.method, flt.path, flt.query) == ("POST", "/contactfilters/v2", "createTargetGroup=true")
    assert json.loads(flt.body) == json.loads(fixture("contactfilter_request.json"))


# ------------------------------------------------------------------------------------------ parsers

def test_parse_golden_sync_report() -> None:
    report = parse_sync_report(fixture("sync_report.xml"))
    assert (report.success, report.count_contacts, report.count_new_contacts, report.count_existing_contacts,
            report.count_unsubscribed_contacts, report.count_invalid_contacts) == (True, 5, 1, 1, 0, 3)
    assert report.invalid_contacts == [
        InvalidContact("kein-at-zeichen.example.org", "100240", 3, None),
        InvalidContact("dora@example.org", "100241", 4, None),
        InvalidContact("emil@example.org", None, 19, "GENDER"),
    ]


def test_parse_golden_unsubscriptions_incl_anonymised() -> None:
    first, anonymised = parse_unsubscriptions(fixture("unsubscriptions.xml"))
    assert (first.timestamp_raw, first.email, first.contact_id, first.external_id, first.mailing_id,
            first.source) == ("2024-03-05 14:02:11", "anna.beispiel@example.org", 5001, "100231", 812, "link")
    assert first.timestamp is not None and first.timestamp.isoformat() == "2024-03-05T14:02:11"
    # no e-mail any more: what is left to match it by is the external id (our KUFER number) and the id
    assert (anonymised.email, anonymised.contact_id, anonymised.external_id, anonymised.mailing_id,
            anonymised.source) == (None, 5002, "100232", None, "list-unsubscribe-header")


def test_parse_golden_custom_fields_target_group_and_error() -> None:
    assert parse_custom_fields(fixture("custom_fields.xml")) == {"ImportAPI": "boolean", "Kursnummer": "string"}
    tg = parse_target_group(fixture("targetgroup.xml"))
    assert (tg.id, tg.name, tg.count_contacts, tg.count_active_contacts) == (30, "KUFER Import", 1234, 1210)
    assert parse_error_message(fixture("error.xml")) == "page_size must not exceed 1000 but was 200000"


async def test_client_reads_the_golden_contact_filter_answer() -> None:
    """The JSON answer goes through the client's own reading (a canned server: the simulator's ids differ)."""
    canned = fixture("contactfilter_response.json")
    transport = httpx.MockTransport(lambda request: httpx.Response(201, content=canned,
                                                                   headers={"Content-Type": "application/json"}))
    async with MaileonClient(fast_options(), transport=transport) as client:
        assert await client.create_contact_filter("KUFER Import", "ImportAPI") == (2773, 30)


# ------------------------------------------------------------------------------------------ simulator

async def test_simulator_accepts_the_golden_sync_request_and_answers_in_its_shape() -> None:
    state = SimState.with_key(API_KEY)
    state.custom_fields["ImportAPI"] = "boolean"
    state.seed_contact("bernd@example.org", external_id="100232")
    state.seed_contact("owner@example.org", external_id="100241")
    async with client_for(state) as client:
        report = await client.sync_contacts(fixture("sync_request.xml"), permission=4)
        assert (report.count_contacts, report.count_new_contacts, report.count_existing_contacts) == (2, 1, 1)
        anna = state.contacts["anna.beispiel@example.org"]
        assert anna.external_id == "100231"
        assert anna.standard == {"SALUTATION": "Frau", "FIRSTNAME": "Anna", "LASTNAME": "Beispiel & Söhne <GmbH>"}
        assert anna.custom == {"ImportAPI": "true"}
        assert state.contacts["bernd@example.org"].standard == {"LASTNAME": "Muster"}
        # the golden report's three invalid contacts, produced by the simulator
        invalid = build_sync_body([
            MaileonContact("kein-at-zeichen.example.org", "100240"),
            MaileonContact("dora@example.org", "100241"),
            MaileonContact("emil@example.org", None, {"GENDER": "w"}),
            MaileonContact("fritz@example.org", "100243"),
        ])
        resp = await client._req("POST", "/contacts", params={"permission": 4, "ignore_invalid_contacts": True},
                                 content=invalid)
    assert shape(resp.content) == shape(fixture("sync_report.xml"))
    report = parse_sync_report(resp.content)
    assert [(c.code, c.field) for c in report.invalid_contacts] == [(3, None), (4, None), (19, "GENDER")]


async def test_simulator_answers_in_the_golden_shapes() -> None:
    state = SimState.with_key(API_KEY)
    async with client_for(state) as client:
        await client.create_custom_field("ImportAPI", "boolean")
        await client.create_custom_field("Kursnummer", "string")
        fields = await client._req("GET", "/contacts/fields/custom")
        anna = state.seed_contact("anna.beispiel@example.org", external_id="100231")
        state.unsubscribe_contact(anna, mailing_id=812)
        unsubs = await client._req("GET", "/reports/unsubscriptions")
        await client.sync_contacts(build_sync_body(GOLDEN_CONTACTS), permission=4)
        _flt, tg_id = await client.create_contact_filter("KUFER Import", "ImportAPI")
        tg = await client._req("GET", f"/targetgroups/targetgroup/{tg_id}")
        with pytest.raises(MaileonError) as caught:
            await client._req("GET", "/reports/unsubscriptions", params={"page_size": 200000})
    assert c14n(fields.content) == c14n(fixture("custom_fields.xml"))
    # the simulator writes no optional element the golden documents lack
    assert shape(unsubs.content) <= shape(fixture("unsubscriptions.xml"))
    assert {"unsubscriptions/unsubscription/timestamp", "unsubscriptions/unsubscription/contact/id",
            "unsubscriptions/unsubscription/contact/external_id", "unsubscriptions/unsubscription/source",
            "unsubscriptions/unsubscription/mailing_id"} <= shape(unsubs.content)
    assert shape(tg.content) <= shape(fixture("targetgroup.xml"))
    assert {"targetgroup/id", "targetgroup/count_contacts", "targetgroup/count_active_contacts"} <= shape(tg.content)
    assert caught.value.status == 400
    assert "page_size must not exceed 1000 but was 200000" in str(caught.value.detail)


async def test_simulator_error_body_equals_the_golden_error() -> None:
    """The raw answer, read without our client: status, vendor media type, ``<error><message>``."""
    state = SimState.with_key(API_KEY)
    auth = "Basic " + base64.b64encode(API_KEY.encode()).decode()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state)),
                                 base_url="http://sim.invalid/1.0") as raw:
        resp = await raw.get("/reports/unsubscriptions", params={"page_size": 200000},
                             headers={"Authorization": auth, "Accept": "application/vnd.maileon.api+xml"})
    assert resp.status_code == 400
    assert resp.headers["content-type"].startswith("application/vnd.maileon.api+xml")
    assert c14n(resp.content) == c14n(fixture("error.xml"))
