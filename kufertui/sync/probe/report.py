"""The probe's steps on the unsubscription report: how soon an unsubscribe shows (P3) and under which external id
(P2), ``X-Pages`` on its own entries (R1), the server's default for ``exclude_anonymous`` (R2, by counts only), and
the shape of anonymised entries (R3). R3 reads one page of the account's report (the oldest entries, where the
anonymised ones are); of it only counts are kept, never an address."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kufertui.maileon.probe_client import EntryShape
from kufertui.maileon.transport import shown_header

from .context import ProbeRun, StepFailed

PAGE = 1000
# a placeholder address in place of an anonymised one: a name nobody owns, or the word itself
_PLACEHOLDER_TLDS = ("invalid", "example", "test", "localhost", "local")
PLACEHOLDER_SHARED_BY = 3  # one address on entries of this many different contacts is a placeholder


async def report_after_unsubscribe(run: ProbeRun) -> None:
    """P3 (the unsubscribe of f shows in the report within the settle bound) and P2 (its entry carries the
    external id f had)."""
    names = run.names
    if not run.found.get("f_unsubscribed"):
        raise StepFailed("needs-contacts", made=0, wanted=1, codes="-")
    entries: list[EntryShape] = []

    async def listed() -> bool:
        entries[:] = await run.own_entries(eids=[names.eid("f")], emails=[names.email("f")])
        return bool(entries)

    waited = await run.until(listed)
    if waited is None:
        run.differs("report-after-unsubscribe", "not-seen", seconds=int(run.settle_s))
        run.unchecked("report-external-id", "no-entry")
        return
    run.holds("report-after-unsubscribe", "seen", seconds=waited)
    eids = {e.external_id for e in entries}
    if eids == {names.eid("f")}:
        run.holds("report-external-id", "same")
    else:
        run.differs("report-external-id", "other" if eids - {None} else "none")
    run.found["f_entries"] = len(entries)


async def report_paging(run: ProbeRun) -> None:
    """R1: read the probe's own entries one to a page: ``X-Pages`` must be sent on each page and count them."""
    names, step = run.names, "report-paging"
    eids = [names.eid("d"), names.eid("f")]
    filters = {**run.report_window(), "eids": eids}
    _resp, entries = await run.client.report_shapes({**filters, "page_size": PAGE})
    own = [e for e in entries if e.external_id in eids]
    if len(own) != len(entries):
        run.unchecked(step, "filter-ignored")
        return
    if len(own) < 2:
        run.unchecked(step, "too-few", entries=len(own))
        return
    total = len(own)
    headers: list[str | None] = []
    sizes: list[int] = []
    for index in range(1, total + 2):
        run.checkpoint()
        resp, page = await run.client.report_shapes({**filters, "page_size": 1, "page_index": index})
        headers.append(resp.headers.get("X-Pages"))
        sizes.append(len(page))
    pages_right = sizes == [1] * total + [0]
    if any(h is None for h in headers):
        run.differs(step, "missing", pages=total, sent=sum(h is not None for h in headers), asked=len(headers))
    elif any(h.strip() != str(total) for h in headers if h is not None):
        wrong = next(h for h in headers if h is not None and h.strip() != str(total))
        run.differs(step, "wrong", pages=total, value=shown_header(wrong))
    elif not pages_right:
        run.differs(step, "pages", pages=total, sizes=", ".join(map(str, sizes)))
    else:
        run.holds(step, "right", pages=total)


async def report_anonymous(run: ProbeRun) -> None:
    """R2: the report's count without ``exclude_anonymous``, with ``false`` and with ``true`` (the whole account,
    counts only): which one does the server's default follow?"""
    step = "report-anonymous"
    absent = await run.client.report_count({})
    included = await run.client.report_count({"exclude_anonymous": False})
    excluded = await run.client.report_count({"exclude_anonymous": True})
    facts = {"absent": absent, "included": included, "excluded": excluded}
    if included == excluded:
        run.unchecked(step, "no-anonymised", **facts)
    elif absent == excluded:
        run.holds(step, "excluded", **facts)
    elif absent == included:
        run.differs(step, "included", **facts)
    else:
        run.differs(step, "odd", **facts)


def _placeholder(email: str, shared: Counter[str]) -> bool:
    local, _, domain = email.lower().rpartition("@")
    return (shared[email.lower()] >= PLACEHOLDER_SHARED_BY or local.startswith("anonym")
            or domain.rsplit(".", 1)[-1] in _PLACEHOLDER_TLDS)


def entry_shapes(entries: Sequence[EntryShape]) -> tuple[int, int, Counter[str]]:
    """(anonymised-looking entries, those of them without the flag, their e-mail shapes). An entry looks
    anonymised when it is flagged, carries no address, or a placeholder one (see ``_placeholder``)."""
    contacts_of: dict[str, set[str | None]] = {}
    for e in entries:
        if e.email_shape == "address" and e.email:
            contacts_of.setdefault(e.email.lower(), set()).add(e.contact_id)
    shared = Counter({email: len(ids) for email, ids in contacts_of.items()})
    looking = unflagged = 0
    shapes: Counter[str] = Counter()
    for e in entries:
        placeholder = e.email_shape == "address" and e.email is not None and _placeholder(e.email, shared)
        if not (e.flagged or e.email_shape != "address" or placeholder):
            continue
        looking += 1
        unflagged += not e.flagged
        shapes["placeholder" if placeholder else e.email_shape] += 1
    return looking, unflagged, shapes


async def report_entry_shape(run: ProbeRun) -> None:
    """R3: anonymised entries carry ``anonymous="true"`` and no e-mail element (the simulator's default); a
    placeholder address without the flag would be taken for an address."""
    step = "report-entry-shape"
    _resp, entries = await run.client.report_shapes({"exclude_anonymous": False, "page_size": PAGE,
                                                     "page_index": 1})
    looking, unflagged, shapes = entry_shapes(entries)
    shown = ", ".join(f"{shape} {count}" for shape, count in sorted(shapes.items()))
    if not looking:
        run.unchecked(step, "none-seen", entries=len(entries))
    elif unflagged:
        run.differs(step, "unflagged", count=looking, unflagged=unflagged, shapes=shown)
    elif set(shapes) != {"missing"}:
        run.differs(step, "shape", count=looking, shapes=shown)
    else:
        run.holds(step, "flagged", count=looking)
