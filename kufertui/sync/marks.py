"""Marks that are true when the run ends: the import field (and each refreshed segment field) in Maileon holds
exactly the contacts this run sent, or the run does not end "done".

Maileon's ``DELETE …/values`` may run asynchronously (undocumented), and a clear that timed out may still land
later. So (docs/maileon-assumptions.md, rows "clear" and "marks"):

- ``clear_marks``: read back first (a field nobody carries is not cleared: no deletion can be pending then),
  clear without resending on an unknown outcome, and read back until no contact carries the field; bounded,
  with a message while it waits, and a clear failure (``ClearPending``, resumable) when it never lands.
- ``verify_marks``: after the upload, read every contact's marks, set what is missing, unset what is extra
  (an update-only sync of just that field), read again; a difference that stays is ``MarksDiffer``.

Counting is cheap with our contact filter "field equals true" (``mark_filter``: refreshed, then
``GET /contacts/filter/{id}/count``), but its rule for a boolean field is itself a guess [I]. So a filter count
is trusted only where it proves itself: before a clear when it counts the marks a read-back found, after the
upload when it equals what Maileon took in this run's batches. Otherwise, and for every difference, the marks
are read contact by contact (``GET /contacts`` with the fields, every page, documented).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import BadRequest, Conflict, MaileonError, NotFound, PermissionDeniedError
from kufertui.maileon.xml import MaileonContact, build_sync_body
from kufertui.store.workspace import Workspace
from kufertui.sync.targetgroup import same_name, shared_filter_name

Say = Callable[..., None]

CLEAR_SETTLE_S = 60.0  # how long a clear may take to show in a read-back before it is sent once more
CLEAR_ATTEMPTS = 2  # clears sent per field at most (the second only after the first never showed)
POLL_FIRST_S = 0.2
POLL_MAX_S = 5.0
REPAIR_ROUNDS = 3  # read → set/unset → read again, at most this often
# an account with more contacts gets our filter "import field equals true" to count its marks (one filter,
# the one its target groups use): a read of every contact is then more than 20 requests, twice a run
FILTER_WORTH_CONTACTS = 20_000
MARKER_CHECKS_MAX = 200  # contacts left unmarked whose unsubscription marker is asked for, at most


class ClearPending(MaileonError):
    """A clear of a field has not shown in Maileon within the bound: the upload does not start."""

    hint_id = "marks-clear-pending"


class MarksDiffer(MaileonError):
    """After the upload and its repairs, Maileon's marks still differ from what the run sent."""

    hint_id = "marks-differ"


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def norm_email(email: str) -> str:
    """The form two spellings of one address compare in: lower case, the domain as IDNA (Maileon may store
    an internationalised domain either way [U])."""
    if email.isascii():  # IDNA leaves an ASCII domain as it is: the common case, without the codec
        return email.strip().lower()
    local, at, domain = email.strip().rpartition("@")
    if not at:
        return email.strip().lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain}".lower()


async def carriers_of(client: MaileonClient, fields: Collection[str]) -> set[str]:
    """The fields that at least one contact carries as true (stops reading once every field is seen)."""
    found: set[str] = set()
    if not fields:
        return found
    async with aclosing(client.contact_pages(sorted(fields))) as pages:
        async for page in pages:
            for contact in page:
                found.update(f for f in fields if f not in found and is_true(contact.custom_fields.get(f)))
            if len(found) == len(fields):
                break
    return found


async def find_mark_filter(client: MaileonClient, field_name: str) -> tuple[int | None, bool]:
    """Our contact filter "``field_name`` equals true" (``targetgroup.shared_filter_name``; the target groups of
    the field are built on it) found by name, read only: (its id, False); or (None, whether the account is large
    enough that reading every contact costs more than a few requests: ``FILTER_WORTH_CONTACTS``, then one is
    worth making)."""
    name = shared_filter_name(field_name)
    # both at once: the count is one request more where the filter is found, one round trip less where it is not
    filters, count = await asyncio.gather(client.contact_filters(), client.contact_count(), return_exceptions=True)
    refused = (BadRequest, Conflict, NotFound, PermissionDeniedError)  # no filter then: marks are read one by one
    if isinstance(filters, refused):
        return None, False
    if isinstance(filters, BaseException):
        raise filters
    for flt in filters:
        if same_name(flt.name, name):
            return flt.id, False  # whatever became of the count: not needed
    if isinstance(count, refused):
        return None, False
    if isinstance(count, BaseException):
        raise count
    return None, count > FILTER_WORTH_CONTACTS


async def make_mark_filter(client: MaileonClient, field_name: str) -> int | None:
    """Our filter "``field_name`` equals true", made without a group; None when Maileon refuses it (the filter
    cap): the marks are then read contact by contact."""
    try:
        filter_id, _none = await client.create_contact_filter(shared_filter_name(field_name), field_name, "true",
                                                              False)
    except (BadRequest, Conflict, NotFound, PermissionDeniedError):
        return None
    return filter_id


async def mark_filter(client: MaileonClient, field_name: str) -> int | None:
    """Our filter "``field_name`` equals true": found by name, or made in an account large enough for one; None
    otherwise, or when Maileon refuses it: the marks are then read contact by contact."""
    found, worth_making = await find_mark_filter(client, field_name)
    if found is None and worth_making:
        return await make_mark_filter(client, field_name)
    return found


async def filter_count(client: MaileonClient, filter_id: int) -> int | None:
    """The filter's contacts after a refresh; None when the filter is gone."""
    try:
        await client.refresh_contact_filter(filter_id)
        return await client.count_contacts_by_filter(filter_id)
    except NotFound:
        return None


async def _still_set(client: MaileonClient, pending: set[str], trusted: Mapping[str, int]) -> set[str]:
    still = set()
    rest = pending - set(trusted)
    for name in pending & set(trusted):
        count = await filter_count(client, trusted[name])
        if count is None:
            rest.add(name)  # the filter is gone: read contact by contact
        elif count > 0:
            still.add(name)
    return still | (await carriers_of(client, rest) if rest else set())


async def marks_to_clear(client: MaileonClient, fields: Iterable[str],
                         filters: Mapping[str, int | None]) -> tuple[dict[str, int], set[str]]:
    """What a clear of ``fields`` has to do, read only: (field → its filter where the filter counts the marks that
    are there, so that its zero will mean cleared; the fields some contact carries as true). A field nobody
    carries is not cleared: no deletion can be pending for it then."""
    wanted = list(dict.fromkeys(fields))
    trusted: dict[str, int] = {}
    for name, filter_id in filters.items():
        if name in wanted and filter_id and (await filter_count(client, filter_id) or 0) > 0:
            trusted[name] = filter_id
    return trusted, set(trusted) | await carriers_of(client, [f for f in wanted if f not in trusted])


async def clear_marks(client: MaileonClient, fields: Iterable[str], say: Say, *,
                      filters: Mapping[str, int | None] | None = None,
                      cancelled: Callable[[], bool] = lambda: False,
                      seen: tuple[dict[str, int], set[str]] | None = None) -> None:
    """Clear each field's values in Maileon and return once a read-back shows none of them true anywhere.
    ``filters``: a field's filter "equals true", counted instead of reading every contact where it counts the
    marks that are there before the clear. ``seen``: what ``marks_to_clear`` found shortly before (the run
    looked while it pulled the unsubscribes), instead of looking again. Returns early (nothing guaranteed) when
    ``cancelled`` becomes true: the caller stops the run then."""
    wanted = list(dict.fromkeys(fields))
    if not wanted:
        return
    trusted, pending = seen if seen is not None else await marks_to_clear(client, wanted, filters or {})
    started = time.monotonic()
    waited = False
    for _attempt in range(CLEAR_ATTEMPTS):
        for name in sorted(pending):
            try:
                await client.clear_custom_field_values(name, resend=False)
            except MaileonError as exc:
                if not exc.outcome_unknown:
                    raise
                # it may have reached Maileon: not resent (a second one could land after the upload), read back
        deadline = time.monotonic() + CLEAR_SETTLE_S
        delay = POLL_FIRST_S
        while pending:
            pending = await _still_set(client, pending, trusted)
            if not pending or cancelled():
                break
            if not waited:
                waited = True
                say("marks.clear-waiting", "warning", "marks-clear-pending", fields=", ".join(sorted(pending)),
                    seconds=int(CLEAR_SETTLE_S * CLEAR_ATTEMPTS))
            if time.monotonic() >= deadline:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, POLL_MAX_S)
        if not pending or cancelled():
            break
    if pending and not cancelled():
        raise ClearPending("field values not cleared in time", method="DELETE",
                           path="/contacts/fields/custom/{name}/values",
                           detail=f"{', '.join(sorted(pending))}: still set after "
                                  f"{int(time.monotonic() - started)} s")
    if waited and not pending:
        say("marks.clear-landed", fields=", ".join(wanted), seconds=round(time.monotonic() - started, 1))


# ------------------------------------------------------------------------------------------ verification

@dataclass(slots=True)
class Difference:
    missing: dict[str, set[str]] = field(default_factory=dict)  # field → normalised e-mails to set true
    extra: dict[str, set[str]] = field(default_factory=dict)  # field → normalised e-mails to set false

    def count(self) -> tuple[int, int]:
        return sum(map(len, self.missing.values())), sum(map(len, self.extra.values()))


def expected_marks(ws: Workspace, run_id: int, import_field: str,
                   segment_marks: Mapping[str, frozenset[str]] | None = None) -> dict[str, set[str]]:
    """Field → the normalised e-mails that must carry it: every contact the run sent (Maileon took it, or a
    move carried it over), and of those each refreshed segment's members for the segment's field."""
    sent = ws.journal.sent_addresses(run_id)
    # norm_email of each, the usual ASCII address without a call each (100,000 calls were a tenth of a second)
    normalised = [email.strip().lower() if email.isascii() else norm_email(email) for _key, email in sent]
    expected = {import_field: set(normalised)}
    for name, members in (segment_marks or {}).items():
        expected[name] = {norm for (key, _email), norm in zip(sent, normalised, strict=True) if key in members}
    return expected


Marked = tuple[dict[str, set[str]], dict[str, str]]


async def read_marks(client: MaileonClient, fields: Collection[str]) -> Marked:
    """Who carries each field as true (normalised e-mails), and every listed contact's e-mail as Maileon spells
    it (by its normalised form): a read of every contact."""
    marked: dict[str, set[str]] = {f: set() for f in fields}
    listed: dict[str, str] = {}
    async for page in client.contact_pages(sorted(fields)):
        for contact in page:
            if not contact.email:
                continue
            key = norm_email(contact.email)
            listed[key] = contact.email
            for name in marked:
                if is_true(contact.custom_fields.get(name)):
                    marked[name].add(key)
    return marked, listed


def _difference(expected: Mapping[str, set[str]], marked: Mapping[str, set[str]],
                listed: Mapping[str, str]) -> Difference:
    """Between Maileon (``read_marks``) and ``expected``. A contact the run sent that Maileon does not list (it
    took an unsubscription marker's word, or it was anonymised meanwhile) cannot carry a mark and is no
    difference."""
    diff = Difference()
    for name, want in expected.items():
        have = marked.get(name, set())
        missing = {e for e in want if e in listed} - have
        extra = have - want
        if missing:
            diff.missing[name] = missing
        if extra:
            diff.extra[name] = extra
    return diff


async def _read(client: MaileonClient, expected: Mapping[str, set[str]],
                first: Awaitable[Marked] | None = None) -> tuple[Difference, dict[str, str]]:
    """The difference between Maileon and ``expected``, and every listed contact's e-mail as Maileon spells it;
    ``first``: that read, already under way."""
    marked, listed = await first if first is not None else await read_marks(client, expected)
    return _difference(expected, marked, listed), listed


async def _repair(client: MaileonClient, diff: Difference, listed: Mapping[str, str], batch_size: int) -> None:
    """One update-only sync per batch carrying just the fields that differ: no contact is created, no
    permission is sent (existing contacts keep theirs), other fields are not touched."""
    values: dict[str, dict[str, str | bool | int | None]] = {}
    for name, emails in diff.missing.items():
        for e in emails:
            values.setdefault(e, {})[name] = True
    for name, emails in diff.extra.items():
        for e in emails:
            values.setdefault(e, {})[name] = False
    contacts = [MaileonContact(listed[e], custom_fields=v) for e, v in sorted(values.items()) if e in listed]
    for start in range(0, len(contacts), max(1, batch_size)):
        await client.sync_contacts(build_sync_body(contacts[start:start + batch_size]), permission=None,
                                   sync_mode=1, update_only=True, ignore_invalid_contacts=True,
                                   reimport_unsubscribed_contacts=False, override_permission=False)


async def _drop_marked_addresses(client: MaileonClient, diff: Difference, listed: Mapping[str, str]) -> int:
    """Missing marks of addresses that carry Maileon's unsubscription marker: a sync skips those (our
    ``reimport_unsubscribed_contacts=false``), so they cannot be marked and are no difference. Returns them."""
    missing = sorted({e for s in diff.missing.values() for e in s})
    if not missing or len(missing) > MARKER_CHECKS_MAX:
        return 0
    skipped = {e for e in missing if await client.has_unsubscription_marker(listed[e])}
    for name in list(diff.missing):
        diff.missing[name] -= skipped
        if not diff.missing[name]:
            del diff.missing[name]
    return len(skipped)


async def _counts_agree(client: MaileonClient, fields: Collection[str],
                        counts: Mapping[str, tuple[int, int]]) -> bool:
    """Every field has a filter whose count (after a refresh) is what Maileon took with the mark."""
    if not fields or set(fields) - set(counts):
        return False
    for name in fields:
        filter_id, want = counts[name]
        if await filter_count(client, filter_id) != want:
            return False
    return True


async def verify_marks(client: MaileonClient, ws: Workspace, run_id: int, fields: list[str],
                       expected_of: Callable[[], Awaitable[Mapping[str, set[str]]]], say: Say, *,
                       batch_size: int = 1000, counts: Mapping[str, tuple[int, int]] | None = None,
                       first_read: Awaitable[Marked] | None = None) -> dict[str, Any]:
    """Read the marks back, repair what differs (bounded rounds), and raise MarksDiffer for what stays.
    ``fields``: the run's fields, the import field first; ``expected_of``: field → the e-mails that must carry
    it (``expected_marks``, built only when the marks are read contact by contact). ``counts``: field → (its
    filter, the contacts Maileon took with the mark in this run's batches); when each field's filter counts
    exactly that, the marks are taken as verified without reading every contact. ``first_read``: the first read
    of every contact (``read_marks`` of ``fields``), already under way.
    The figures go to the journal (step "marks") and into one message; a repair is a warning with its hint."""
    shown = ", ".join(sorted(fields))
    if counts and await _counts_agree(client, fields, counts):
        figures = {"fields": sorted(fields), "marked": counts[fields[0]][1], "checked": "filter-count"}
        ws.journal.record_step(run_id, "marks", figures)
        say("marks.verified", fields=shown, count=figures["marked"])
        return figures
    expected = await expected_of()
    first = fields[0] if fields else ""
    repaired_missing = repaired_extra = 0
    skipped = 0
    diff, listed = await _read(client, expected, first_read)
    for _round in range(REPAIR_ROUNDS):
        if not diff.missing and not diff.extra:
            break
        missing, extra = diff.count()
        repaired_missing, repaired_extra = repaired_missing + missing, repaired_extra + extra
        await _repair(client, diff, listed, batch_size)
        diff, listed = await _read(client, expected)
    if diff.missing:
        skipped = await _drop_marked_addresses(client, diff, listed)
    figures = {"fields": sorted(expected), "marked": len({e for e in expected.get(first, ()) if e in listed}),
               "checked": "read-back", "repaired_missing": repaired_missing, "repaired_extra": repaired_extra,
               "skipped_unsubscribed": skipped}
    ws.journal.record_step(run_id, "marks", figures)
    if diff.missing or diff.extra:
        missing, extra = diff.count()
        raise MarksDiffer("marks differ from the run", method="GET", path="/contacts",
                          detail=f"{', '.join(sorted(set(diff.missing) | set(diff.extra)))}: {missing} missing, "
                                 f"{extra} extra after {REPAIR_ROUNDS} repairs")  # no addresses: errors reach the log
    if repaired_missing or repaired_extra:
        say("marks.repaired", "warning", "marks-repaired", missing=repaired_missing, extra=repaired_extra,
            fields=shown)
    if skipped:
        say("marks.skipped-unsubscribed", "info", None, count=skipped)
    say("marks.verified", fields=shown, count=figures["marked"])
    return figures


def report_observed(client: MaileonClient, say: Say) -> None:
    """Undocumented behaviour the client met on the way (``MaileonClient.observed``), each said once: the
    reading we took is safe either way, but the admin (and the probe) should know which one Maileon showed."""
    for key, where in sorted(client.observed.items()):
        say(f"unknown.{key}", path=where)
    client.observed.clear()
