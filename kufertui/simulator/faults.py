"""Fault injection for the simulator, configured by a spec string.

Grammar (whitespace around separators is ignored)::

    spec   := rule (';' rule)*
    rule   := 'delay=' SECONDS                      -- latency of every API request: the answer leaves
                                                       SECONDS after the request arrived, its work done
                                                       meanwhile (a 'delay@' rule instead holds the request
                                                       before anything of it happens)
            | 'rate=' N                             -- rate-limit mode: N requests per second per key,
                                                       beyond that 429 with Retry-After
            | 'strict-media'                        -- 415 to a POST/PUT/DELETE without Content-Type
            | 'harsh'                               -- every mode below at its harshest (HARSH)
            | MODE '=' VALUE                        -- one undocumented behaviour of Maileon, played (MODES)
            | KIND '@' MATCH ['#' WHEN] [':' OPTS]
    KIND   := '400' | '415' | '429' | '500' | '502' | '503' | '504' | 'drop' | 'malformed' | 'revoke' | 'delay'
            | 'bloat'
    MATCH  := '*'                                   -- any API request
            | METHOD                                -- e.g. 'POST' (any path)
            | [METHOD ' '] PATH                     -- e.g. 'POST /contacts', 'GET /reports/*'
              PATH is relative to /1.0; exact unless it ends in '*' (prefix); METHOD may be '*'
    WHEN   := N                                     -- only the N-th matching request (1-based)
            | N '-' M                               -- the N-th to M-th matching requests
            | N '+'                                 -- the N-th and every later one
            | 'every' N                             -- every N-th (N, 2N, 3N, ...)
            | '*'                                   -- all (default when '#' is omitted)
    OPTS   := KEY '=' VALUE (',' KEY '=' VALUE)*
              429:   retry-after=SECONDS (default 1; 'none' sends no header)
              503:   retry-after=SECONDS (default none: an outage; with it, overload as Maileon may say)
              delay: seconds=SECONDS (default 1)
              drop:  when=after|before (default after: the request IS applied, then the
                     connection is closed mid-response; before: closed before processing)
              bloat: bytes=N (default 1500000000), length=declared|none (default none: chunked) -- a 200
                     answer of N bytes, streamed, never held in memory (use it over a socket)
    MODE   := see MODES below; e.g. 'x-pages=omit', 'anonymous=placeholder', 'clear-delay=2',
              'filter-limit=5', 'filter-limit-status=409'. Modes are switches on SimState (the
              harshest plausible reading of what Maileon leaves undocumented, one row each in
              docs/maileon-assumptions.md); `GET /_sim/modes` lists them, `POST /_sim/modes?NAME=VALUE` sets them.
              One mode is for benchmarks only: 'latency-only=on' answers a sync by counting its contacts
              (nothing parsed, validated or stored), so that with 'delay=S' the server costs latency and no
              CPU per contact (tests/bench/: measure the client, not the simulator).

Examples::

    429@POST /contacts#2:retry-after=1; 503@*#3; delay=0.1; drop@POST /contacts#1
    malformed@GET /reports/unsubscriptions#1; revoke@POST /contacts#3; 502@GET#every 4

Each rule counts its own matching requests. Several rules may fire for one request; the order is
revoke, delay, then the first of 429/5xx/drop/malformed that fires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

KINDS = frozenset({"400", "415", "429", "500", "502", "503", "504", "drop", "malformed", "revoke", "delay",
                   "bloat"})


def _on_off(text: str) -> bool:
    low = text.strip().lower()
    if low in ("on", "true", "1", "yes"):
        return True
    if low in ("off", "false", "0", "no"):
        return False
    raise ValueError(text)


def _one_of(*choices: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text.strip().lower() not in choices:
            raise ValueError(text)
        return text.strip().lower()
    return check


# mode name -> (SimState attribute, parser, what it plays). Every one of them is a row of
# docs/maileon-assumptions.md; `kufertui doctor --probe` tells which reading a real account follows.
MODES: dict[str, tuple[str, Callable[[str], Any], str]] = {
    "x-pages": ("report_x_pages", str,
                "paged answers: '' the true X-Pages, 'omit' none, any other value sent as it is"),
    "anonymous": ("report_anonymous", _one_of("missing", "nil", "empty", "placeholder"),
                  "the e-mail of an anonymised report entry: no element, nil, empty or a placeholder address"),
    "exclude-anonymous-default": ("exclude_anonymous_default", _on_off,
                                  "a report request without exclude_anonymous leaves anonymised entries out"),
    "clear-delay": ("clear_delay_s", float, "DELETE …/values answers at once and lands SECONDS later"),
    "stale-counts": ("stale_filter_counts", _on_off,
                     "filter and target group counts are those of the filter's last evaluation until a refresh"),
    "v2-orphan": ("v2_orphan_filter", _on_off,
                  "v2 create with a taken target group name answers 409 after making the filter"),
    "filter-limit": ("max_filters", int, "contact filters per account"),
    "filter-limit-status": ("filter_limit_status", int,
                            "the status of the answer at the filter limit (400 says so; others do not)"),
    "marker-before-code4": ("marker_before_code4", _on_off,
                            "a sync checks the unsubscription marker before the external id's owner (off: code 4 "
                            "first, so a client that moves on code 4 must look the marker up itself)"),
    "strict-media": ("strict_media", _on_off, "415 to a POST/PUT/DELETE without Content-Type, with or without body"),
    "delete-absent-status": ("delete_absent_status", lambda v: int(_one_of("200", "404")(v)),
                             "the answer to DELETE /contacts/externalid/{id} when nobody has the id: 200 or 404"),
    "anonymous-flag": ("report_anonymous_flag", _on_off,
                       "an anonymised report entry carries anonymous=\"true\" (off: nothing marks it)"),
    "update-sets-external-id": ("update_sets_external_id", _on_off,
                                "an external id in the body of an update by e-mail changes the contact's"),
    "update-permission-overwrites": ("update_permission_overwrites", _on_off,
                                     "a permission on an update by e-mail replaces the contact's, downwards too "
                                     "(off: only raised)"),
    # not a reading of Maileon (no row in the assumptions, see BENCH_ONLY) but for benchmarks: the server costs
    # no CPU per contact
    "latency-only": ("latency_only", _on_off,
                     "POST /contacts is answered by counting the contacts (all 'existing'), nothing parsed, "
                     "checked or stored; only the configured delay remains"),
}
# the harshest reading of each (the simulator's defaults keep the older tests' world where they can). One reading
# is left out on purpose: "anonymous-flag=off" (a placeholder address with nothing marking it is taken for an
# address; no client can tell): `kufertui doctor --probe` tells whether a real account does that (row R3).
# modes that read nothing of Maileon: no row in docs/maileon-assumptions.md, no probe step, never in HARSH
BENCH_ONLY = frozenset({"latency-only"})
HARSH: dict[str, str] = {"x-pages": "omit", "anonymous": "placeholder", "exclude-anonymous-default": "on",
                         "clear-delay": "1.5", "stale-counts": "on", "v2-orphan": "on", "filter-limit-status": "409",
                         "marker-before-code4": "off", "strict-media": "on", "delete-absent-status": "200",
                         "update-sets-external-id": "on", "update-permission-overwrites": "on"}


def parse_mode(name: str, value: str) -> tuple[str, Any]:
    """(SimState attribute, value) of one mode; FaultSpecError for an unknown name or a bad value."""
    spec = MODES.get(name.strip().lower())
    if spec is None:
        raise FaultSpecError(f"unknown mode {name!r} (modes: {', '.join(sorted(MODES))})")
    try:
        return spec[0], spec[1](value)
    except ValueError:
        raise FaultSpecError(f"bad value {value!r} for mode {name!r}: {spec[2]}") from None


def apply_modes(state: Any, modes: dict[str, str]) -> None:
    """Set the modes on a SimState (under its lock: requests may be in flight)."""
    parsed = [parse_mode(name, value) for name, value in modes.items()]
    with state.lock:
        for attribute, value in parsed:
            setattr(state, attribute, value)


def mode_values(state: Any) -> dict[str, Any]:
    return {name: getattr(state, spec[0]) for name, spec in MODES.items()}


class FaultSpecError(ValueError):
    pass


@dataclass
class FaultRule:
    kind: str
    method: str = "*"
    path: str = "*"
    first: int = 1
    last: int | None = None  # None = unbounded
    every: int | None = None
    opts: dict[str, str] = field(default_factory=dict)
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method != "*" and self.method != method:
            return False
        if self.path == "*":
            return True
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    def fire(self, method: str, path: str) -> bool:
        """Count the request if it matches; True if the fault applies to it."""
        if not self.matches(method, path):
            return False
        self.seen += 1
        n = self.seen
        if self.every is not None:
            return n % self.every == 0
        return n >= self.first and (self.last is None or n <= self.last)

    def number(self, key: str, default: float) -> float:
        raw = self.opts.get(key)
        return default if raw is None else float(raw)


@dataclass
class Faults:
    rules: list[FaultRule] = field(default_factory=list)
    delay_s: float = 0.0
    rate_per_s: float = 0.0  # 0 = no rate limit
    strict_media: bool = False
    modes: dict[str, str] = field(default_factory=dict)  # MODES set by the spec (applied to the state)

    def select(self, method: str, path: str) -> list[FaultRule]:
        """Every rule that fires for this request (all rules count it, even if not used)."""
        return [r for r in self.rules if r.fire(method, path)]


def _parse_when(rule: FaultRule, text: str) -> None:
    t = text.strip().lower().replace(" ", "")
    try:
        if t in ("", "*"):
            return
        if t.startswith("every"):
            rule.every = int(t[5:])
            if rule.every < 1:
                raise ValueError
        elif t.endswith("+"):
            rule.first = int(t[:-1])
        elif "-" in t:
            a, b = t.split("-", 1)
            rule.first, rule.last = int(a), int(b)
        else:
            rule.first = rule.last = int(t)
    except ValueError:
        raise FaultSpecError(f"bad '#' part: {text!r}") from None


def _parse_rule(text: str) -> FaultRule:
    head, _, opt_text = text.partition(":")
    kind, at, rest = head.partition("@")
    kind = kind.strip().lower()
    if kind not in KINDS or not at:
        raise FaultSpecError(f"bad fault rule {text!r} (expected KIND@MATCH, kinds {sorted(KINDS)})")
    match, _, when = rest.partition("#")
    rule = FaultRule(kind=kind)
    parts = match.split()
    if len(parts) == 1:
        token = parts[0]
        if token.startswith("/"):
            rule.path = token
        elif token == "*":
            pass
        else:
            rule.method = token.upper()
    elif len(parts) == 2:
        rule.method, rule.path = parts[0].upper(), parts[1]
    else:
        raise FaultSpecError(f"bad match in {text!r}")
    _parse_when(rule, when)
    for item in filter(None, (o.strip() for o in opt_text.split(","))):
        key, eq, value = item.partition("=")
        if not eq:
            raise FaultSpecError(f"bad option {item!r} in {text!r}")
        rule.opts[key.strip().lower()] = value.strip()
    try:
        for key in ("retry-after", "seconds", "bytes"):
            if key in rule.opts and rule.opts[key] != "none":
                float(rule.opts[key])
    except ValueError:
        raise FaultSpecError(f"bad number in {text!r}") from None
    return rule


def parse_faults(spec: str | None) -> Faults:
    faults = Faults()
    for raw in (spec or "").split(";"):
        text = raw.strip()
        if not text:
            continue
        if text.lower().startswith("delay="):
            try:
                faults.delay_s = float(text.split("=", 1)[1])
            except ValueError:
                raise FaultSpecError(f"bad global delay {text!r}") from None
            continue
        if text.lower().startswith("rate="):
            try:
                faults.rate_per_s = float(text.split("=", 1)[1])
            except ValueError:
                raise FaultSpecError(f"bad rate {text!r}") from None
            continue
        if text.lower() == "strict-media":
            faults.strict_media = True
            continue
        if text.lower() == "harsh":
            faults.modes.update(HARSH)
            continue
        name, eq, value = text.partition("=")
        if eq and "@" not in name:
            parse_mode(name, value)  # checked now: a typo fails at start, not at the first request
            faults.modes[name.strip().lower()] = value.strip()
            continue
        faults.rules.append(_parse_rule(text))
    return faults
