"""The probe's steps on deleting by external id (rows 1 and 2), and the rows it does not provoke on a customer's
account (3, R10), said as such."""

from __future__ import annotations

from kufertui.maileon.client import seg
from kufertui.maileon.transport import MAX_RESPONSE_BYTES

from .context import ProbeRun, StepFailed


async def delete_by_external_id(run: ProbeRun) -> None:
    """Row 1: the answer when nobody has the id (the simulator: 200, like a deletion), and whether a deletion has
    taken the contact away when it returns."""
    names, client, step = run.names, run.client, "delete-by-external-id"
    nobody = await client.answer("DELETE", f"/contacts/externalid/{seg(names.eid('none'))}")
    resp = await client.answer("DELETE", f"/contacts/externalid/{seg(names.eid('g'))}")
    if not 200 <= resp.status_code < 300:
        run.differs(step, "refused", status=resp.status_code, nobody=nobody.status_code)
        return

    async def gone() -> bool:
        return not await client.contacts_by_external_id(names.eid("g"))

    at_once = await gone()
    waited = 0.0 if at_once else await run.until(gone)
    if waited is None:
        run.differs(step, "not-gone", nobody=nobody.status_code, seconds=int(run.settle_s))
    elif not at_once:
        run.differs(step, "late", nobody=nobody.status_code, seconds=waited)
    elif nobody.status_code != 200:
        run.differs(step, "nobody-status", nobody=nobody.status_code)
    else:
        run.holds(step, "same-answer")


async def delete_keeps_unsubscription(run: ProbeRun) -> None:
    """Row 2: contact f unsubscribed earlier; deleting it by external id leaves its report entry and its
    unsubscription marker where they were (the simulator's default)."""
    names, client, step = run.names, run.client, "delete-keeps-unsubscription"
    if not run.found.get("f_entries"):
        raise StepFailed("needs-contacts", made=0, wanted=1, codes="-")
    eids, emails = [names.eid("f")], [names.email("f")]
    entries = len(await run.own_entries(eids=eids, emails=emails))
    marker = await client.marker_status(names.email("f")) == 200
    resp = await client.answer("DELETE", f"/contacts/externalid/{seg(names.eid('f'))}")
    after = len(await run.own_entries(eids=eids, emails=emails))
    marker_after = await client.marker_status(names.email("f")) == 200
    facts = {"status": resp.status_code, "entries": entries, "entries_after": after}
    if after < entries:
        run.differs(step, "entry-gone", **facts)
    elif marker and not marker_after:
        run.differs(step, "marker-gone", **facts)
    else:
        run.holds(step, "kept", **facts)


async def not_provoked(run: ProbeRun) -> None:
    """Rows no probe may provoke on a customer's account."""
    run.unchecked("overload-signal", "not-provoked")
    run.unchecked("answer-size", "not-provoked", largest=run.client.largest_answer, limit=MAX_RESPONSE_BYTES)
