"""In-memory state of the simulated Maileon account(s), with JSON persistence and test helpers."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ALL_METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})


class SimClock:
    """Real time plus an offset that tests move forward. Timestamps are UTC [I: real zone unknown]."""

    def __init__(self, offset_s: float = 0.0, frozen_at: float | None = None) -> None:
        self.offset_s = offset_s
        self.frozen_at = frozen_at  # epoch seconds; None = follow real time

    def time(self) -> float:
        base = self.frozen_at if self.frozen_at is not None else time.time()
        return base + self.offset_s

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), tz=UTC)

    def now_ms(self) -> int:
        return int(self.time() * 1000)

    def advance(self, days: float = 0.0, seconds: float = 0.0) -> None:
        self.offset_s += days * 86400 + seconds

    def freeze(self, at: datetime | None = None) -> None:
        self.frozen_at = (at or datetime.now(tz=UTC)).timestamp()


def fmt_ts(ms: int, fraction: bool = False) -> str:
    text = datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
    return text + ".0" if fraction else text


@dataclass
class Account:
    rights: set[str] = field(default_factory=lambda: set(ALL_METHODS))
    revoked: bool = False


@dataclass
class SimContact:
    id: int
    email: str | None
    external_id: str | None = None
    permission: int = 1
    standard: dict[str, str] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    created_ms: int = 0
    updated_ms: int = 0
    anonymous: bool = False


@dataclass
class UnsubEntry:
    timestamp_ms: int
    email: str | None
    contact_id: int
    external_id: str | None
    source: str
    mailing_id: int | None = None


@dataclass
class LoggedRequest:
    """One API request as the simulator received it (only kept when ``SimState.log_requests``)."""

    method: str
    path: str  # relative to /1.0
    query: str
    authorization: str | None = None
    body: bytes = b""
    # False when the client went away before its body arrived (a killed kufertui): nothing was sent
    complete: bool = True


@dataclass
class SimState:
    accounts: dict[str, Account] = field(default_factory=dict)
    contacts: dict[str, SimContact] = field(default_factory=dict)  # lower-cased email -> contact
    anonymised: dict[int, SimContact] = field(default_factory=dict)  # id -> contact without email
    custom_fields: dict[str, str] = field(default_factory=dict)  # name -> type
    unsubscriptions: list[UnsubEntry] = field(default_factory=list)
    markers: set[str] = field(default_factory=set)  # lower-cased emails
    filters: dict[int, dict[str, Any]] = field(default_factory=dict)
    target_groups: dict[int, dict[str, Any]] = field(default_factory=dict)
    retention_days: float = 14.0
    # what happens to a report entry past retention: "anonymise" (drop the e-mail, keep external id and
    # contact id, as the PHP client's docs suggest) or "delete" (the pessimistic reading)
    retention_mode: str = "anonymise"
    strict_media: bool = False  # 415 to a POST/PUT/DELETE without Content-Type (on in integration tests)
    # sync: the unsubscription marker is checked before the external id's owner (code 4); False: code 4 first
    marker_before_code4: bool = True
    rate_limit: float = 0.0  # requests per second per key, 0 = none; beyond it 429 + Retry-After
    # a new target group is counted this many (clock) seconds after its creation; until then its counts come
    # back as empty elements ("empty") or as 0 ("zero")
    target_group_count_delay_s: float = 0.0
    target_group_uncounted: str = "empty"
    rate_limited: int = field(default=0, compare=False)  # how many requests were answered 429 for it
    requests_seen: int = field(default=0, compare=False)
    max_batch: int = 1000
    max_filters: int = 200
    next_id: int = 1
    clock: SimClock = field(default_factory=SimClock)
    # request log for tests (off by default: a long demo would keep every upload body in memory)
    log_requests: bool = False
    request_log: list[LoggedRequest] = field(default_factory=list, repr=False, compare=False)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    # bumped when an existing contact's external id changes (other changes alter len(contacts))
    eid_generation: int = field(default=0, repr=False, compare=False)
    _eid_cache: tuple[tuple[int, int], dict[str, list[SimContact]]] | None = field(
        default=None, repr=False, compare=False)
    # --- the harshest plausible readings of what Maileon does not document. Each one a switch,
    # set by name through `--faults` / `/_sim/faults` / `/_sim/modes` (``faults.MODES``); docs/maileon-assumptions.md
    report_x_pages: str = ""  # paged answers: "" the true X-Pages, "omit" none, anything else sent as it is
    report_anonymous: str = "missing"  # an anonymised report entry's e-mail: missing | nil | empty | placeholder
    exclude_anonymous_default: bool = True  # a report request without exclude_anonymous leaves them out
    clear_delay_s: float = 0.0  # DELETE …/values answers at once and lands this many seconds later
    stale_filter_counts: bool = True  # counts are those of the filter's last evaluation (creation or refresh)
    v2_orphan_filter: bool = True  # v2 + createTargetGroup, group name taken: 409 after the filter was made
    filter_limit_status: int = 400  # the answer to a filter beyond max_filters (400 names it; others do not)
    delete_absent_status: int = 200  # DELETE /contacts/externalid/{id} when nobody has it: 200 (harsh) or 404
    report_anonymous_flag: bool = True  # an anonymised report entry carries anonymous="true" (off: no sign at all)
    update_sets_external_id: bool = True  # an external id in an update-by-e-mail body is set on the contact
    update_permission_overwrites: bool = True  # a permission on an update by e-mail replaces, downwards too
    pending_clears: list[tuple[float, str]] = field(default_factory=list, repr=False, compare=False)
    # not a reading of Maileon but a benchmark switch (`latency-only=on`): a sync is answered by counting its
    # contacts, nothing parsed, checked or stored, so that a benchmark measures the client and the delay alone
    latency_only: bool = False

    # ------------------------------------------------------------------ construction

    @classmethod
    def with_key(cls, api_key: str, rights: set[str] | None = None, **kw: Any) -> SimState:
        state = cls(**kw)
        state.add_key(api_key, rights)
        return state

    def add_key(self, api_key: str, rights: set[str] | None = None) -> None:
        self.accounts[api_key] = Account(rights=set(rights if rights is not None else ALL_METHODS))

    def revoke_key(self, api_key: str) -> None:
        if api_key in self.accounts:
            self.accounts[api_key].revoked = True

    def log_request(self, entry: LoggedRequest) -> None:
        if self.log_requests:
            with self.lock:
                self.request_log.append(entry)

    def sync_bodies(self) -> list[bytes]:
        """Bodies of every ``POST /contacts`` received whole (whatever the answer was)."""
        with self.lock:
            return [r.body for r in self.request_log
                    if r.method == "POST" and r.path == "/contacts" and r.complete]

    def new_id(self) -> int:
        with self.lock:
            value = self.next_id
            self.next_id += 1
            return value

    # ------------------------------------------------------------------ lookups

    def by_external_id(self, external_id: str) -> list[SimContact]:
        """Contacts carrying this external id."""
        with self.lock:
            return list(self.external_id_owners().get(external_id, ()))

    def external_id_owners(self) -> dict[str, list[SimContact]]:
        """External id -> contacts carrying it. The map is rebuilt only after a change: a scan per lookup
        made a 1000-contact sync quadratic in the size of the account. It is the live cache, valid until the
        next change: callers hold ``lock`` while they use it and never modify it."""
        with self.lock:
            key = self._eid_key()
            if self._eid_cache is None or self._eid_cache[0] != key:
                owners: dict[str, list[SimContact]] = {}
                for contact in self.contacts.values():
                    if contact.external_id:
                        owners.setdefault(contact.external_id, []).append(contact)
                self._eid_cache = (key, owners)
            return self._eid_cache[1]

    def add_contact(self, contact: SimContact) -> None:
        """Store a new contact. A current external-id map is extended in place: rebuilding it after every
        batch of new contacts made a first upload quadratic in the size of the account."""
        with self.lock:
            email_key = (contact.email or "").lower()
            fresh = (self._eid_cache is not None and self._eid_cache[0] == self._eid_key()
                     and email_key not in self.contacts)
            self.contacts[email_key] = contact
            if fresh:
                assert self._eid_cache is not None
                owners = self._eid_cache[1]
                if contact.external_id:
                    owners.setdefault(contact.external_id, []).append(contact)
                self._eid_cache = (self._eid_key(), owners)
            else:  # e.g. a contact replaced under the same e-mail: the size did not change, so drop the map
                self._eid_cache = None

    def _eid_key(self) -> tuple[int, int]:
        # contacts only change through add_contact, pop (size) or an external-id update (generation)
        return (len(self.contacts), self.eid_generation)

    def clear_values(self, name: str) -> None:
        """``DELETE …/values``: at once, or (``clear_delay_s``) queued to land later on what is there then."""
        with self.lock:
            if self.clear_delay_s > 0:
                self.pending_clears.append((time.monotonic() + self.clear_delay_s, name))
                return
            for c in self.contacts.values():
                c.custom.pop(name, None)

    def apply_due_clears(self, *, all_pending: bool = False) -> int:
        """Carry out queued clears whose time has come (every API request asks first; so do tests)."""
        with self.lock:
            now = time.monotonic()
            due = [n for at, n in self.pending_clears if all_pending or at <= now]
            if not due:
                return 0
            self.pending_clears = [(at, n) for at, n in self.pending_clears if not (all_pending or at <= now)]
            for name in due:
                for c in self.contacts.values():
                    c.custom.pop(name, None)
            return len(due)

    def by_id(self, contact_id: int) -> SimContact | None:
        for c in self.contacts.values():
            if c.id == contact_id:
                return c
        return None

    def visible_unsubscriptions(self) -> list[UnsubEntry]:
        """Report entries. Past the retention window an entry loses its e-mail (external id and contact id
        stay) or, with ``retention_mode="delete"``, disappears; markers stay either way."""
        cutoff = self.clock.now_ms() - int(self.retention_days * 86400 * 1000)
        with self.lock:
            if self.retention_mode == "delete":
                self.unsubscriptions = [u for u in self.unsubscriptions if u.timestamp_ms >= cutoff]
            else:
                for u in self.unsubscriptions:
                    if u.timestamp_ms < cutoff:
                        u.email = None
            return list(self.unsubscriptions)

    # ------------------------------------------------------------------ test helpers

    def seed_contact(
        self,
        email: str,
        *,
        external_id: str | None = None,
        permission: int = 4,
        standard: dict[str, str] | None = None,
        custom: dict[str, str] | None = None,
    ) -> SimContact:
        now = self.clock.now_ms()
        contact = SimContact(id=self.new_id(), email=email, external_id=external_id, permission=permission,
                             standard=dict(standard or {}), custom=dict(custom or {}),
                             created_ms=now, updated_ms=now)
        self.add_contact(contact)
        return contact

    def unsubscribe_contact(
        self, contact: SimContact, source: str = "link", mailing_id: int | None = None
    ) -> UnsubEntry:
        """Anonymise the contact, log a report entry, set the marker (Maileon does this async)."""
        with self.lock:
            email = contact.email
            entry = UnsubEntry(timestamp_ms=self.clock.now_ms(), email=email, contact_id=contact.id,
                               external_id=contact.external_id, source=source, mailing_id=mailing_id)
            self.unsubscriptions.append(entry)
            if email:
                self.markers.add(email.lower())
                self.contacts.pop(email.lower(), None)
            contact.email = None
            contact.standard = {}
            contact.custom = {}
            contact.anonymous = True
            contact.permission = 1
            self.anonymised[contact.id] = contact
            return entry

    def recipient_unsubscribes(self, email: str, source: str = "link", mailing_id: int | None = None) -> bool:
        """What a click on the unsubscribe link does; False when there is no such contact."""
        contact = self.contacts.get(email.lower())
        if contact is None:
            return False
        self.unsubscribe_contact(contact, source=source, mailing_id=mailing_id)
        return True

    def summary(self) -> dict[str, Any]:
        return {
            "contacts": len(self.contacts), "anonymised": len(self.anonymised),
            "custom_fields": dict(self.custom_fields), "unsubscriptions": len(self.unsubscriptions),
            "markers": len(self.markers), "filters": len(self.filters),
            "target_groups": len(self.target_groups), "now_ms": self.clock.now_ms(),
            "retention_days": self.retention_days, "retention_mode": self.retention_mode,
            "requests": self.requests_seen, "rate_limited": self.rate_limited,
            "pending_clears": len(self.pending_clears),
        }

    # ------------------------------------------------------------------ persistence

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "accounts": {k: {"rights": sorted(a.rights), "revoked": a.revoked}
                             for k, a in self.accounts.items()},
                "contacts": [asdict(c) for c in self.contacts.values()],
                "anonymised": [asdict(c) for c in self.anonymised.values()],
                "custom_fields": self.custom_fields,
                "unsubscriptions": [asdict(u) for u in self.unsubscriptions],
                "markers": sorted(self.markers),
                "filters": {str(k): v for k, v in self.filters.items()},
                "target_groups": {str(k): v for k, v in self.target_groups.items()},
                "retention_days": self.retention_days, "retention_mode": self.retention_mode,
                "strict_media": self.strict_media, "rate_limit": self.rate_limit, "max_batch": self.max_batch,
                "max_filters": self.max_filters, "next_id": self.next_id,
                "clock_offset_s": self.clock.offset_s, "clock_frozen_at": self.clock.frozen_at,
            }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimState:
        state = cls(
            accounts={k: Account(set(v["rights"]), v["revoked"]) for k, v in data["accounts"].items()},
            custom_fields=dict(data["custom_fields"]),
            unsubscriptions=[UnsubEntry(**u) for u in data["unsubscriptions"]],
            markers=set(data["markers"]),
            filters={int(k): v for k, v in data["filters"].items()},
            target_groups={int(k): v for k, v in data["target_groups"].items()},
            retention_days=data["retention_days"], max_batch=data["max_batch"],
            retention_mode=data.get("retention_mode", "anonymise"),
            strict_media=bool(data.get("strict_media", False)), rate_limit=float(data.get("rate_limit", 0.0)),
            max_filters=data["max_filters"], next_id=data["next_id"],
            clock=SimClock(data["clock_offset_s"], data["clock_frozen_at"]),
        )
        for c in data["contacts"]:
            contact = SimContact(**c)
            state.contacts[(contact.email or "").lower()] = contact
        for c in data["anonymised"]:
            contact = SimContact(**c)
            state.anonymised[contact.id] = contact
        return state

    def save(self, path: str | Path) -> None:
        from kufertui.platform import write_atomic

        write_atomic(Path(path), json.dumps(self.to_json(), ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> SimState:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


