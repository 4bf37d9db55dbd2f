"""One probe run: the steps in order, each deciding its rows; whatever happens, everything made is deleted again
(``finally``), and what could not be deleted stays named in the workspace for the next probe or ``--cleanup``."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from kufertui.config import Settings
from kufertui.maileon.errors import MaileonError, PermissionDeniedError
from kufertui.maileon.probe_client import ProbeClient
from kufertui.sync.connect import client_options
from kufertui.sync.internals.interrupt import CANCEL_GRACE_S, CancelRequested, unless_cancelled

from . import contacts, deletes, fields, report
from .cleanup import try_remove
from .context import SETTLE_S, ProbeRun, StepFailed, failure_facts
from .outcome import CleanupOutcome, ProbeOutcome, fatal
from .record import ProbeRecord, drop_record, pending_records, save_record
from .steps import STEPS, Names, RowResult, Verdict, normal_domain
from .text import write_probe_file

Say = Callable[[str], None]
Phase = Callable[[ProbeRun], Awaitable[None]]


async def media_type(run: ProbeRun) -> None:
    """T1: bodiless writes (``DELETE``/``POST /ping``, which change nothing) with the media type and without."""
    step, client = "media-type-bodiless", run.client
    with_type = [(await client.answer(m, "/ping")).status_code for m in ("DELETE", "POST")]
    without = [await client.status_without_media_type(m, "/ping") for m in ("DELETE", "POST")]
    facts = {"with_type": ", ".join(map(str, with_type)), "without": ", ".join(map(str, without))}
    if not all(200 <= s < 300 for s in with_type):
        run.differs(step, "refused", **facts)
    elif all(200 <= s < 300 for s in without):
        run.holds(step, "lenient", **facts)
    else:
        run.differs(step, "strict", **facts)


# (the step, the rows it decides, whether it needs the scratch contacts), in the order they run
PHASES: tuple[tuple[Phase, tuple[str, ...], bool], ...] = (
    (media_type, ("media-type-bodiless",), False),
    (contacts.code4, ("code4-taken-external-id",), True),
    (contacts.marker_order, ("marker-vs-code4",), True),
    (contacts.moves, ("move-by-email", "move-permission", "move-onto-existing"), True),
    (contacts.external_id_update, ("move-external-id",), True),
    (contacts.unsubscribe_by_external_id, ("unsubscribe-by-external-id",), True),
    (contacts.unsubscribe_by_email, ("unsubscribed-lookup",), True),
    (report.report_after_unsubscribe, ("report-after-unsubscribe", "report-external-id"), True),
    (report.report_paging, ("report-paging",), True),
    (report.report_anonymous, ("report-anonymous",), False),
    (report.report_entry_shape, ("report-entry-shape",), False),
    (fields.marks_readback, ("marks-readback",), True),
    (fields.filters, ("filter-rule-and-count", "filter-limit-answer"), True),
    (fields.group_names, ("targetgroup-duplicate-name",), True),
    (fields.v2_atomic, ("filter-v2-atomic",), True),
    (fields.clear_landed, ("clear-values-landed",), True),
    (deletes.delete_by_external_id, ("delete-by-external-id",), True),
    (deletes.delete_keeps_unsubscription, ("delete-keeps-unsubscription",), True),
    (deletes.not_provoked, ("overload-signal", "answer-size"), False),
)


def shown_url(url: str) -> str:
    """The base URL without any user part (a proxy-style ``user:pass@`` never reaches the table)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", "")) if parts.netloc else url


def new_names(domain: str) -> Names:
    return Names(secrets.token_hex(4), normal_domain(domain))


def _client(settings: Settings, transport: httpx.AsyncBaseTransport | None) -> ProbeClient:
    return ProbeClient(client_options(settings), transport=transport)


async def _rights(client: ProbeClient) -> None:
    rights = await client.check_rights()
    missing = [m for m, ok in rights.items() if not ok]
    if missing:
        raise PermissionDeniedError("the probe needs every method", method=" ".join(missing), path="/ping",
                                    status=403, detail=", ".join(missing))


async def clean_earlier(client: ProbeClient, root: Path, base_url: str) -> tuple[int, list[str]]:
    """Remove what killed probes left in this Maileon: (records cleared, what is still there)."""
    removed, left = 0, []
    for record in pending_records(root):
        if record.base_url != base_url:
            continue  # made in another Maileon: only cleaned up against that one
        still, _error = await try_remove(client, record)
        if still:
            left += still
        else:
            drop_record(root, record.token)
            removed += 1
    return removed, left


async def _run_phases(run: ProbeRun, say: Say) -> None:
    made: StepFailed | None = None
    for index, (phase, steps, needs_contacts) in enumerate(PHASES, 1):
        run.checkpoint()
        say(f"{index}/{len(PHASES)} {steps[0]}")
        if needs_contacts and not run.ids and made is None:
            try:
                await unless_cancelled(contacts.make_contacts(run), run.cancel, grace_s=CANCEL_GRACE_S)
            except StepFailed as exc:
                made = exc
            except MaileonError as exc:
                if fatal(exc):
                    raise
                made = StepFailed("needs-contacts", made=0, wanted=len(contacts.CONTACT_ROLES),
                                  codes=exc.technical()[:120])
        if needs_contacts and made is not None:
            for step in steps:
                run.unchecked(step, made.case, **made.facts)
            continue
        try:  # a cancel ends a call in flight after a short grace: the cleanup must not wait for a slow one
            await unless_cancelled(phase(run), run.cancel, grace_s=CANCEL_GRACE_S)
        except StepFailed as exc:
            for step in steps:
                run.unchecked(step, exc.case, **exc.facts)
        except MaileonError as exc:
            if fatal(exc):
                raise
            for step in steps:
                run.unchecked(step, "failed", **failure_facts(exc))


async def run_probe(settings: Settings, workspace_root: Path, names: Names, *, cancel: threading.Event | None = None,
                    transport: httpx.AsyncBaseTransport | None = None, settle_s: float = SETTLE_S,
                    say: Say = lambda _text: None) -> ProbeOutcome:
    """Every step against the account in ``settings``, on scratch contacts named by ``names``; the table, its
    file in the workspace (``exports/probe-<time>-<token>.txt``) and what is left, as data. Interrupted (``cancel``, or
    the task cancelled) it deletes what it made all the same."""
    cancel = cancel or threading.Event()
    base_url = shown_url(settings.maileon.base_url)  # what the record keeps: never a user part
    started = time.monotonic()
    now = datetime.now(UTC)
    outcome = ProbeOutcome(names, base_url, now.strftime("%Y-%m-%d %H:%M:%S"))
    record = ProbeRecord.planned(names, base_url, outcome.started_at)
    saved = False
    run: ProbeRun | None = None
    async with _client(settings, transport) as client:
        try:
            await _rights(client)
            outcome.earlier_removed, outcome.earlier_left = await clean_earlier(client, workspace_root, base_url)
            save_record(workspace_root, record)  # named before the first thing is made
            saved = True
            run = ProbeRun(client, record, cancel, settle_s, save=lambda: save_record(workspace_root, record),
                           started_ms=int(now.timestamp() * 1000))
            await _run_phases(run, say)
        except CancelRequested:
            outcome.interrupted = True
        except MaileonError as exc:
            outcome.error = exc
        finally:
            if saved:
                say("cleanup")
                outcome.leftovers, _error = await try_remove(client, record)
                if not outcome.leftovers:
                    drop_record(workspace_root, record.token)
            if run is not None:
                outcome.report_entries = int(run.found.get("f_entries", 0)) + int(run.found.get("eid_unsubscribed", 0))
                done = run.results
            else:
                done = {}
            outcome.rows = [done.get(s.id) or RowResult(s.id, Verdict.UNCHECKED, "not-reached") for s in STEPS]
            outcome.seconds = round(time.monotonic() - started, 1)
    outcome.file = write_probe_file(outcome, workspace_root)
    return outcome


async def clean_leftovers(settings: Settings, workspace_root: Path, *,
                          transport: httpx.AsyncBaseTransport | None = None) -> CleanupOutcome:
    """`kufertui doctor --probe --cleanup`: remove what killed probes left in the configured Maileon."""
    out = CleanupOutcome()
    records = pending_records(workspace_root)
    base_url = shown_url(settings.maileon.base_url)
    out.elsewhere = sum(1 for r in records if r.base_url != base_url)
    if len(records) == out.elsewhere:
        return out
    async with _client(settings, transport) as client:
        try:
            out.removed, out.left = await clean_earlier(client, workspace_root, base_url)
        except MaileonError as exc:
            out.error = exc
    return out
