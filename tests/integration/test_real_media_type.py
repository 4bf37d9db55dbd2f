"""Issue 13, item 1: the media type goes with every request, also without a body; a strict server
(the simulator's strict mode, on in these tests) answers 415 to a write without it."""

from __future__ import annotations

import base64

import httpx
import pytest
from client_helpers import API_KEY, fast_options

from kufertui.maileon import BadRequest, MaileonClient
from kufertui.simulator import SimState, running_simulator


@pytest.fixture
def strict() -> SimState:
    state = SimState.with_key(API_KEY, strict_media=True)
    state.log_requests = True
    return state


async def test_strict_simulator_answers_415_to_a_bodiless_write_without_media_type(strict: SimState) -> None:
    token = base64.b64encode(API_KEY.encode()).decode()
    with running_simulator(strict) as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Basic {token}"}) as raw:
            assert (await raw.delete("/contacts/fields/custom/ImportAPI/values")).status_code == 415
            assert (await raw.post("/contacts/fields/custom/ImportAPI?type=boolean")).status_code == 415
            assert (await raw.get("/ping")).status_code == 200  # reads stay allowed
            xml = {"Content-Type": "application/vnd.maileon.api+xml"}
            assert (await raw.post("/contacts/fields/custom/ImportAPI?type=boolean", headers=xml)).status_code == 201


async def test_every_bodiless_call_passes_the_strict_server(strict: SimState) -> None:
    strict.seed_contact("leaver@example.org", external_id="10001")
    with running_simulator(strict) as base_url:
        async with MaileonClient(fast_options(base_url)) as client:
            assert await client.check_rights() == {"GET": True, "POST": True, "PUT": True, "DELETE": True}
            assert await client.ensure_custom_field("ImportAPI") is True  # POST without a body
            await client.clear_custom_field_values("ImportAPI")  # DELETE
            assert await client.unsubscribe_email("leaver@example.org") is True  # DELETE (objection push)
    writes = [r for r in strict.request_log if r.method != "GET"]
    assert writes and all(r.method in ("POST", "PUT", "DELETE") for r in writes)
    assert strict.summary()["anonymised"] == 1


async def test_check_rights_reports_a_refusal_that_is_not_about_rights(strict: SimState) -> None:
    with running_simulator(strict, "415@DELETE /ping") as base_url:
        async with MaileonClient(fast_options(base_url)) as client:
            rights = await client.check_rights()
    assert rights == {"GET": True, "POST": True, "PUT": True, "DELETE": True}
    assert list(rights.refused) == ["DELETE"]
    err = rights.refused["DELETE"]
    assert isinstance(err, BadRequest) and err.status == 415 and "DELETE /ping" in str(err)
    assert err.hint_id == "bad-request"


async def test_a_415_names_the_request_and_the_hint(strict: SimState) -> None:
    with running_simulator(strict, "415@POST /contacts/fields/custom/*") as base_url:
        async with MaileonClient(fast_options(base_url)) as client:
            with pytest.raises(BadRequest) as info:
                await client.create_custom_field("ImportAPI")
    assert info.value.status == 415 and info.value.hint_id == "bad-request"
    assert "POST /contacts/fields/custom/ImportAPI" in str(info.value)
