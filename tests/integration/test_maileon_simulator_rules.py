"""The simulator rejects what Maileon rejects (raw HTTP, no client), plus retention and control API."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest

from kufertui.maileon import MaileonContact, build_sync_body
from kufertui.maileon.xml import build_contact_body, parse_sync_report
from kufertui.simulator import SimState, create_app

XML = "application/vnd.maileon.api+xml; charset=utf-8"


@pytest.fixture
async def raw(sim_state: SimState, api_key: str) -> AsyncIterator[httpx.AsyncClient]:
    token = base64.b64encode(api_key.encode()).decode()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(sim_state)),
                                 base_url="http://sim/1.0",
                                 headers={"Authorization": f"Basic {token}", "Content-Type": XML}) as c:
        yield c


def _err(resp: httpx.Response) -> str:
    assert resp.headers["content-type"].startswith("application/vnd.maileon.api+xml")
    return resp.text


async def test_auth_variants(raw: httpx.AsyncClient, api_key: str, sim_state: SimState) -> None:
    assert (await raw.get("/ping")).status_code == 200
    colon = base64.b64encode(f"{api_key}:".encode()).decode()
    assert (await raw.get("/ping", headers={"Authorization": f"Basic {colon}"})).status_code == 200
    wrong = base64.b64encode(b"wrong-key-123456").decode()
    resp = await raw.get("/ping", headers={"Authorization": f"Basic {wrong}"})
    assert resp.status_code == 401 and "<message>" in _err(resp)
    assert (await raw.get("/ping", headers={"Authorization": ""})).status_code == 401
    sim_state.accounts[api_key].rights = {"GET"}
    assert (await raw.delete("/ping")).status_code == 403


async def test_wrong_media_type(raw: httpx.AsyncClient) -> None:
    body = build_sync_body([MaileonContact("a@example.org")])
    resp = await raw.post("/contacts", content=body, headers={"Content-Type": "application/xml"})
    assert resp.status_code == 415


async def test_page_size_1001(raw: httpx.AsyncClient) -> None:
    resp = await raw.get("/reports/unsubscriptions", params={"page_size": 1001})
    assert resp.status_code == 400
    assert "page_size must not exceed 1000 but was 1001" in _err(resp)


async def _sync(raw: httpx.AsyncClient, contacts: list[MaileonContact], **params: str) -> httpx.Response:
    q = {"permission": "4", "ignore_invalid_contacts": "true", **params}
    return await raw.post("/contacts", params=q, content=build_sync_body(contacts))


@pytest.mark.parametrize(("contact", "code", "field"), [
    (MaileonContact("a@example.org", standard_fields={"GENDER": "w"}), 19, "GENDER"),
    (MaileonContact("a@example.org", standard_fields={"FIRSTNAME": "x" * 256}), 8, "FIRSTNAME"),
    (MaileonContact("a@example.org", standard_fields={"BIRTHDAY": "01.02.1990"}), 17, "BIRTHDAY"),
    (MaileonContact("a@example.org", standard_fields={"LOCALE": "de-DE"}), 20, "LOCALE"),
    (MaileonContact("a@example.org", custom_fields={"Undeclared": "x"}), 21, "Undeclared"),
    (MaileonContact("a@example.org", custom_fields={"Flag": "yes"}), 22, "Flag"),
    (MaileonContact("a@example.org", custom_fields={"Num": "2147483648"}), 25, "Num"),
    (MaileonContact("a b@example.org"), 3, None),
])
async def test_field_rules(raw: httpx.AsyncClient, sim_state: SimState, contact: MaileonContact,
                           code: int, field: str | None) -> None:
    sim_state.custom_fields.update({"Flag": "boolean", "Num": "integer"})
    resp = await _sync(raw, [contact])
    assert resp.status_code == 200
    report = parse_sync_report(resp.content)
    assert [(i.code, i.field) for i in report.invalid_contacts] == [(code, field)]
    assert sim_state.contacts == {}


async def test_255_chars_and_gender_d_are_fine(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    c = MaileonContact("a@example.org", standard_fields={"FIRSTNAME": "x" * 255, "GENDER": "d",
                                                         "BIRTHDAY": "1990-02-01", "LOCALE": "de_DE"})
    report = parse_sync_report((await _sync(raw, [c])).content)
    assert report.count_new_contacts == 1 and report.count_invalid_contacts == 0


async def test_duplicates_in_one_batch(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    report = parse_sync_report((await _sync(raw, [MaileonContact("a@example.org"),
                                                  MaileonContact("A@Example.org")])).content)
    assert report.count_new_contacts == 1
    assert [(i.email, i.code) for i in report.invalid_contacts] == [("A@Example.org", 5)]


async def test_ignore_invalid_false_persists_nothing(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    resp = await _sync(raw, [MaileonContact("ok@example.org"), MaileonContact("bad")],
                       ignore_invalid_contacts="false")
    assert resp.status_code == 400
    assert parse_sync_report(resp.content).success is False
    assert sim_state.contacts == {}


async def test_external_id_plus_prefer_maileon_id_is_400(raw: httpx.AsyncClient) -> None:
    resp = await _sync(raw, [MaileonContact("a@example.org", external_id="1")],
                       use_external_id="true", prefer_maileon_id="true")
    assert resp.status_code == 400


async def test_batch_limit(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    sim_state.max_batch = 3
    resp = await _sync(raw, [MaileonContact(f"u{i}@example.org") for i in range(4)])
    assert resp.status_code == 400


async def test_cdata_nil_and_element_order(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    sim_state.custom_fields["Flag"] = "boolean"
    sim_state.seed_contact("x@example.org", standard={"FIRSTNAME": "Old", "LASTNAME": "Keep"})
    body = (b"<contacts><contact><custom_fields><field><name>Flag</name><value>1</value></field>"
            b"</custom_fields><standard_fields><field><name>FIRSTNAME</name><value nil=\"true\"/></field>"
            b"<field><name>TITLE</name><value><![CDATA[Dr. & <Prof>]]></value></field></standard_fields>"
            b"<email>x@example.org</email></contact></contacts>")
    resp = await raw.post("/contacts", params={"sync_mode": "1", "ignore_invalid_contacts": "true"}, content=body)
    assert parse_sync_report(resp.content).count_existing_contacts == 1
    c = sim_state.contacts["x@example.org"]
    assert c.standard == {"LASTNAME": "Keep", "TITLE": "Dr. & <Prof>"} and c.custom == {"Flag": "true"}


async def test_doctype_rejected(raw: httpx.AsyncClient) -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><contacts><contact><email>&e;</email>' \
           b"</contact></contacts>"
    assert (await raw.post("/contacts", content=body)).status_code == 400


async def test_sync_mode_2_and_update_only(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    sim_state.seed_contact("x@example.org", standard={"FIRSTNAME": "Old"})
    c = [MaileonContact("x@example.org", standard_fields={"FIRSTNAME": "New"}), MaileonContact("n@example.org")]
    report = parse_sync_report((await _sync(raw, c, sync_mode="2", update_only="true")).content)
    assert report.count_existing_contacts == 1 and report.count_new_contacts == 0
    assert sim_state.contacts["x@example.org"].standard["FIRSTNAME"] == "Old"
    assert "n@example.org" not in sim_state.contacts


async def test_reimport_true_ignores_marker(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    sim_state.markers.add("m@example.org")
    report = parse_sync_report((await _sync(raw, [MaileonContact("m@example.org")],
                                            reimport_unsubscribed_contacts="true")).content)
    assert report.count_new_contacts == 1 and report.count_unsubscribed_contacts == 0


@pytest.mark.parametrize("marker_first", [True, False])
async def test_order_of_marker_and_code_4(raw: httpx.AsyncClient, sim_state: SimState, marker_first: bool) -> None:
    """[U] By default a marked address is skipped as unsubscribed before its external id is checked; the
    other mode answers code 4 first (the order the move must guard against by looking the marker up)."""
    sim_state.marker_before_code4 = marker_first
    sim_state.seed_contact("old@example.org", external_id="100978")
    sim_state.markers.add("new@example.org")
    report = parse_sync_report((await _sync(raw, [MaileonContact("new@example.org", external_id="100978")],
                                            reimport_unsubscribed_contacts="false")).content)
    if marker_first:
        assert report.count_unsubscribed_contacts == 1 and report.count_invalid_contacts == 0
    else:
        assert report.count_invalid_contacts == 1 and report.invalid_contacts[0].code == 4
    assert "new@example.org" not in sim_state.contacts


async def test_update_by_email_moves_and_overwrites_a_given_permission(raw: httpx.AsyncClient,
                                                                     sim_state: SimState) -> None:
    sim_state.custom_fields["ImportAPI"] = "boolean"
    sim_state.seed_contact("old@example.org", external_id="7", permission=4)
    sim_state.seed_contact("taken@example.org")
    body = build_contact_body(MaileonContact("new@example.org", custom_fields={"ImportAPI": True}))
    assert (await raw.put("/contacts/email/nobody%40example.org", content=body)).status_code == 404
    taken = build_contact_body(MaileonContact("taken@example.org"))
    assert (await raw.put("/contacts/email/old%40example.org", content=taken)).status_code == 409
    assert (await raw.put("/contacts/email/old%40example.org", content=body)).status_code == 200
    moved = sim_state.contacts["new@example.org"]
    assert "old@example.org" not in sim_state.contacts
    assert (moved.external_id, moved.permission, moved.custom) == ("7", 4, {"ImportAPI": "true"})
    # the harsh reading of a permission parameter: an overwrite, downwards too (DOI becomes "other")
    resp = await raw.put("/contacts/email/new%40example.org", params={"permission": "6"},
                         content=build_contact_body(MaileonContact("new@example.org")))
    assert resp.status_code == 200 and sim_state.contacts["new@example.org"].permission == 6


async def test_markers_and_single_contact(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    assert (await raw.get("/contacts/email/m%40example.org/unsubscription")).status_code == 404
    assert (await raw.put("/contacts/email/m%40example.org/unsubscription")).status_code == 201
    assert (await raw.put("/contacts/email/m%40example.org/unsubscription")).status_code == 200
    assert (await raw.delete("/contacts/email/m%40example.org/unsubscription")).status_code == 200
    assert (await raw.post("/contacts/email/s%40example.org", content=b"")).status_code == 201
    assert (await raw.get("/contacts/s%40example.org")).status_code == 200  # legacy path
    assert (await raw.delete("/contacts/email/s%40example.org")).status_code == 200
    assert (await raw.get("/contacts/email/s%40example.org")).status_code == 404
    assert (await raw.get("/contacts/count")).text.endswith("<count>0</count>")


async def test_filter_limit_and_json_errors(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    sim_state.max_filters = 1
    rule = {"startset": "empty", "operation": "add", "selection": {}}
    h = {"Content-Type": "application/json"}
    assert (await raw.post("/contactfilters/v2", json={"name": "a", "rules": [rule]}, headers=h)).status_code == 201
    resp = await raw.post("/contactfilters/v2", json={"name": "b", "rules": [rule]}, headers=h)
    assert resp.status_code == 400 and "maximum" in resp.json()["message"]
    resp = await raw.post("/contactfilters/v2", json={"name": "a", "rules": [rule]}, headers=h)
    assert resp.status_code == 409


async def test_retention_window(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    sim_state.retention_mode = "delete"  # the pessimistic reading: the entry disappears
    sim_state.seed_contact("r@example.org")
    sim_state.recipient_unsubscribes("r@example.org")
    assert (await raw.get("/reports/unsubscriptions/count")).text.endswith("<count>1</count>")
    sim_state.clock.advance(days=13.9)
    assert (await raw.get("/reports/unsubscriptions/count")).text.endswith("<count>1</count>")
    sim_state.clock.advance(days=0.2)
    assert (await raw.get("/reports/unsubscriptions/count")).text.endswith("<count>0</count>")
    assert "r@example.org" in sim_state.markers  # markers outlive the report


async def test_retention_anonymises_the_entry_by_default(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    contact = sim_state.seed_contact("a@example.org", external_id="10007")
    sim_state.recipient_unsubscribes("a@example.org")
    sim_state.clock.advance(days=sim_state.retention_days + 1)
    body = (await raw.get("/reports/unsubscriptions", params={"exclude_anonymous": "false"})).text
    assert "a@example.org" not in body and '<contact anonymous="true">' in body and "<email" not in body
    assert "<external_id>10007</external_id>" in body and f"<id>{contact.id}</id>" in body
    # the server's default for exclude_anonymous is not documented: the simulator plays the harsh one
    assert "<unsubscription>" not in (await raw.get("/reports/unsubscriptions")).text


async def test_paging_headers(raw: httpx.AsyncClient, sim_state: SimState) -> None:
    for i in range(5):
        sim_state.seed_contact(f"p{i}@example.org")
        sim_state.recipient_unsubscribes(f"p{i}@example.org")
    resp = await raw.get("/reports/unsubscriptions", params={"page_size": 2, "page_index": 2})
    assert resp.headers["X-Pages"] == "3" and resp.headers["X-Items"] == "5"
    rels = " ".join(resp.headers.get_list("link"))
    assert 'rel="start"' in rels and 'rel="prev"' in rels and 'rel="next"' in rels


async def test_control_api(sim_state: SimState) -> None:
    sim_state.seed_contact("c@example.org")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(sim_state)),
                                 base_url="http://sim") as c:
        assert (await c.post("/_sim/unsubscribe", params={"email": "c@example.org"})).status_code == 200
        now = sim_state.clock.now_ms()
        assert (await c.post("/_sim/clock", params={"advance_days": "15"})).json()["now_ms"] >= now + 15 * 86400000
        state = (await c.get("/_sim/state")).json()
        assert state["unsubscriptions"] == 1 and state["markers"] == 1


def test_state_save_load_roundtrip(sim_state: SimState, tmp_path: object) -> None:
    from pathlib import Path

    sim_state.custom_fields["ImportAPI"] = "boolean"
    sim_state.seed_contact("s@example.org", external_id="7", custom={"ImportAPI": "true"})
    sim_state.seed_contact("u@example.org")
    sim_state.recipient_unsubscribes("u@example.org")
    sim_state.clock.advance(days=2)
    path = Path(str(tmp_path)) / "sim.json"
    sim_state.save(path)
    loaded = SimState.load(path)
    assert loaded.to_json() == sim_state.to_json()
