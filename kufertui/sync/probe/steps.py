"""What the probe checks (one step per row of docs/maileon-assumptions.md), what it makes, and how it names it.

A step's verdict compares Maileon with the reading the simulator plays by default, which is the reading the row
describes: *holds* when Maileon shows it, *differs* (with what was seen) when it shows another one – kufertui is
built for the other readings where the row says so, but the row, and the simulator, must then be set right –,
*could not check* (with the reason) where a check cannot be made safely on a customer's account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kufertui.core.probe_ids import PROBE_ID_PREFIX
from kufertui.i18n import t


class Verdict(StrEnum):
    HOLDS = "holds"
    DIFFERS = "differs"
    UNCHECKED = "could-not-check"


@dataclass(frozen=True, slots=True)
class Step:
    id: str  # as named in the table's last column ("probe: <id>")
    row: str  # the row's "#"


# in the order of docs/maileon-assumptions.md; a test holds the two to each other
STEPS: tuple[Step, ...] = (
    Step("report-paging", "R1"), Step("report-anonymous", "R2"), Step("report-entry-shape", "R3"),
    Step("clear-values-landed", "R4"), Step("marks-readback", "R5"), Step("targetgroup-duplicate-name", "R6"),
    Step("filter-v2-atomic", "R7"), Step("filter-limit-answer", "R8"), Step("filter-rule-and-count", "R9"),
    Step("answer-size", "R10"), Step("delete-by-external-id", "1"), Step("delete-keeps-unsubscription", "2"),
    Step("overload-signal", "3"), Step("unsubscribe-by-external-id", "P1"), Step("report-external-id", "P2"),
    Step("report-after-unsubscribe", "P3"), Step("move-by-email", "M1"), Step("move-permission", "M2"),
    Step("move-external-id", "M3"), Step("move-onto-existing", "M4"), Step("marker-vs-code4", "M5"),
    Step("unsubscribed-lookup", "M6"), Step("code4-taken-external-id", "M7"), Step("media-type-bodiless", "T1"),
)
STEP_BY_ID = {s.id: s for s in STEPS}


@dataclass(slots=True)
class RowResult:
    """One row of the probe's table. ``case`` picks the text (``probe.seen.<step>.<case>``), ``facts`` are its
    parameters and the language-neutral detail of ``--json``."""

    step: str
    verdict: Verdict
    case: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def row(self) -> str:
        return STEP_BY_ID[self.step].row

    def expected(self) -> str:
        return t(f"probe.step.{self.step}")

    def text(self) -> str:
        if self.case in GENERIC_CASES:
            return t(f"probe.seen.{self.case}", **self.facts)
        return t(f"probe.seen.{self.step}.{self.case}", **self.facts)

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "step": self.step, "verdict": str(self.verdict), "case": self.case,
                "facts": self.facts, "expected": self.expected(), "text": self.text()}


# cases every step may end in: its calls failed (``detail``: the request and Maileon's answer), an earlier step it
# needs did not come through, or the probe was stopped before it
GENERIC_CASES = frozenset({"failed", "needs-contacts", "needs-filter", "not-reached"})


# ------------------------------------------------------------------------------------------ names

CONTACT_ROLES = ("a", "b", "c", "d", "e", "f", "g", "m1", "m2", "m3")  # the scratch contacts made at the start
OTHER_ADDRESSES = ("a2", "x", "y")  # a move's new address, a marker alone, a code-4 candidate: no contact meant
OTHER_IDS = ("e2", "none")  # an external id set by an update; one nobody has
MARKED = ("m1", "m2")  # the scratch field is true on these at the start


@dataclass(frozen=True, slots=True)
class Names:
    """Everything the probe makes is named after one random token: external ids in the reserved range, addresses
    under the admin's domain, one custom field, filters and target groups under one name prefix."""

    token: str
    domain: str

    def eid(self, role: str) -> str:
        return f"{PROBE_ID_PREFIX}{self.token}-{role}"

    def email(self, role: str) -> str:
        return f"{PROBE_ID_PREFIX}{self.token}-{role}@{self.domain}"

    @property
    def field(self) -> str:
        return f"kufertui_probe_{self.token}"

    @property
    def name_prefix(self) -> str:
        """Of every contact filter and target group it makes (letters, digits and spaces only)."""
        return f"kufertui probe {self.token}"

    def group(self, suffix: str) -> str:
        return f"{self.name_prefix} {suffix}"

    def all_emails(self) -> list[str]:
        return [self.email(r) for r in (*CONTACT_ROLES, *OTHER_ADDRESSES)]

    def all_eids(self) -> list[str]:
        return [self.eid(r) for r in (*CONTACT_ROLES, *OTHER_IDS)]


# ------------------------------------------------------------------------------------------ the domain

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
# names nobody owns (RFC 2606, RFC 6761): a Maileon account may refuse their addresses, and they are no VHS's
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "invalid", "test", "localhost", "local")


def probe_domain_problem(domain: str | None) -> str | None:
    """Why ``domain`` cannot take the probe's addresses (a message key), or None. The admin names a domain of their
    own (the VHS's): its addresses are then recognisably theirs, and nobody else's contact."""
    text = (domain or "").strip().lower().rstrip(".")
    if not text:
        return "probe.domain-missing"
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        return "probe.domain-invalid"
    labels = text.split(".")
    if "@" in text or len(text) > 200 or len(labels) < 2 or not all(_LABEL.match(p) for p in labels) \
            or labels[-1].isdigit():
        return "probe.domain-invalid"
    if labels[-1] in RESERVED_TLDS or any(text == d or text.endswith("." + d) for d in RESERVED_DOMAINS):
        return "probe.domain-reserved"
    return None


def normal_domain(domain: str) -> str:
    """The domain as the probe's addresses carry it (lower case, IDNA)."""
    return domain.strip().lower().rstrip(".").encode("idna").decode("ascii")
