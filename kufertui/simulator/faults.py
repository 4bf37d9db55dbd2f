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
            | KIND '@' MATCH ['#' WHEN] [':' OPTS]
    KIND   := '400' | '415' | '429' | '500' | '502' | '503' | '504' | 'drop' | 'malformed' | 'revoke' | 'delay'
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

Examples::

    429@POST /contacts#2:retry-after=1; 503@*#3; delay=0.1; drop@POST /contacts#1
    malformed@GET /reports/unsubscriptions#1; revoke@POST /contacts#3; 502@GET#every 4

Each rule counts its own matching requests. Several rules may fire for one request; the order is
revoke, delay, then the first of 429/5xx/drop/malformed that fires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = frozenset({"400", "415", "429", "500", "502", "503", "504", "drop", "malformed", "revoke", "delay"})


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
        for key in ("retry-after", "seconds"):
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
        faults.rules.append(_parse_rule(text))
    return faults
