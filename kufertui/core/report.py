"""The run report: the manual's one-line report, its breakdown, and the reconciliation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class RunReport:
    run_id: int = 0
    dry_run: bool = False
    selected: int = 0
    new: int = 0
    updated: int = 0
    rejected_preflight: int = 0
    rejected_by_maileon: int = 0
    unsubscribed_now: int = 0  # selected, but unsubscribed in Maileon (pulled this run): set to N, not sent
    suppressed_by_ledger: int = 0  # selected, but on the suppression ledger from earlier: not sent
    held_legal: int = 0  # K contacts held back until the § 7 Abs. 3 UWG notice is confirmed in the settings
    skipped_unsubscribed_in_maileon: int = 0  # sent, but Maileon skipped them (unsubscription marker)
    unsubscribes_seen: int = 0  # entries in Maileon's unsubscription report for the window read this run
    unsubscribes_pulled: int = 0  # new addresses in the ledger from Maileon's report this run
    contacts_set_n: int = 0  # workspace contacts switched to N by this run's pull
    written_back: int = 0  # unsubscribes handed to KUFER this run (file / SQL)
    writeback_tnr_withheld: int = 0  # ... of them without the KUFER number Maileon gave: nobody here agrees
    objections_pushed: int = 0  # KUFER N contacts unsubscribed in Maileon this run
    objections_not_in_maileon: int = 0
    objections_pending: int = 0  # failed pushes, retried next run
    rejects_by_code: dict[str, int] = field(default_factory=dict)  # "maileon:19", "preflight:3" → count
    missing: list[str] = field(default_factory=list)  # selected contacts with no outcome
    writeback_file: str | None = None
    upload_xml: str | None = None
    dry_run_export: str | None = None  # CSV of a dry run's per-contact result (JSON beside it)
    target_group: dict[str, Any] | None = None
    segments: list[dict[str, Any]] | None = None  # a segment refresh: per segment members, joined, left, group

    @property
    def invalid(self) -> int:
        """Filtered as invalid: rejected before upload or by Maileon."""
        return self.rejected_preflight + self.rejected_by_maileon

    @property
    def unsubscribes(self) -> int:
        """Selected contacts not sent because they had unsubscribed (the manual's last figure)."""
        return self.unsubscribed_now + self.suppressed_by_ledger + self.skipped_unsubscribed_in_maileon

    @property
    def accounted(self) -> int:
        return self.new + self.updated + self.invalid + self.unsubscribes + self.held_legal

    @property
    def reconciled(self) -> bool:
        return self.accounted == self.selected and not self.missing

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(invalid=self.invalid, unsubscribes=self.unsubscribes, accounted=self.accounted,
                    reconciled=self.reconciled)
        return data


def report_line_parts(report: RunReport, lang: str = "de") -> list[tuple[str, str | None]]:
    """The report line as (text, part) pieces; ``part`` names the bar part a figure belongs to (None: glue).

    A face that colours the line like the bar (BAR_PARTS) styles the pieces; report_line joins them.
    """
    r = report
    if lang == "en":
        words = ("selected", "updated", "new", "filtered as invalid", "unsubscribes taken over",
                 "K held back (UWG notice)")
    else:
        words = ("ausgewählt", "aktualisiert", "neu", "ungültig ausgefiltert", "Abmelder übernommen",
                 "K zurückgehalten (UWG-Hinweis)")
    figures: list[tuple[int, str | None]] = [(r.selected, None), (r.updated, "updated"), (r.new, "new"),
                                             (r.invalid, "invalid"), (r.unsubscribes, "unsubscribes")]
    if r.held_legal:
        figures.append((r.held_legal, "held_legal"))
    pieces: list[tuple[str, str | None]] = []
    for i, ((value, part), word) in enumerate(zip(figures, words, strict=False)):
        if i:
            pieces.append((" · ", None))
        pieces.append((f"{value} {word}", part))
    return pieces


def report_line(report: RunReport, lang: str = "de") -> str:
    """The one-line report, fixed format (README documents it):

    de: ``1297 ausgewählt · 621 aktualisiert · 13 neu · 657 ungültig ausgefiltert · 6 Abmelder übernommen``
    en: ``1297 selected · 621 updated · 13 new · 657 filtered as invalid · 6 unsubscribes taken over``

    Only when K contacts were held back for the missing § 7 Abs. 3 UWG confirmation does a sixth part
    follow (`· 83 K zurückgehalten (UWG-Hinweis)`), so that the parts still add up to the selection.
    """
    return "".join(text for text, _part in report_line_parts(report, lang))


# The report line as a picture: one bar whose parts add up to the selection (a gap shows as its own part).
BAR_PARTS: tuple[tuple[str, str], ...] = (
    ("updated", "dodger_blue2"), ("new", "green3"), ("invalid", "red3"), ("unsubscribes", "gold3"),
    ("held_legal", "medium_purple3"), ("gap", "grey50"),
)

# The other figures of a run, grouped the way an admin asks about them.
BREAKDOWN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("run", ("rejected_preflight", "rejected_by_maileon", "unsubscribed_now", "suppressed_by_ledger",
             "skipped_unsubscribed_in_maileon", "held_legal")),
    ("unsubscribes", ("unsubscribes_pulled", "written_back")),
    ("objections", ("objections_pushed", "objections_not_in_maileon", "objections_pending")),
)


def bar_values(report: RunReport) -> list[tuple[str, int]]:
    """The bar's parts in BAR_PARTS order; they add up to the selection."""
    values = {"updated": report.updated, "new": report.new, "invalid": report.invalid,
              "unsubscribes": report.unsubscribes, "held_legal": report.held_legal,
              "gap": max(0, report.selected - report.accounted)}
    return [(name, values[name]) for name, _style in BAR_PARTS]


def bar_widths(values: list[int], width: int) -> list[int]:
    """Cells per part, adding up to ``width``: proportional (largest remainder), and every part above
    zero gets at least one cell, so a single reject stays visible beside 100,000 updates."""
    total = sum(values)
    if total <= 0 or width <= 0:
        return [0] * len(values)
    shown = [v > 0 for v in values]
    width = max(width, sum(shown))
    exact = [v * width / total for v in values]
    cells = [max(1, int(e)) if s else 0 for e, s in zip(exact, shown, strict=True)]
    order = sorted(range(len(values)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    while sum(cells) < width:
        for i in order:
            if shown[i] and sum(cells) < width:
                cells[i] += 1
    while sum(cells) > width:  # the minimum of one cell took room from the largest part
        largest = max(range(len(cells)), key=lambda i: cells[i])
        cells[largest] -= 1
    return cells
