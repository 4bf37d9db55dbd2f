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
    written_back: int = 0  # unsubscribes handed to KUFER this run (file / SQL)
    objections_pushed: int = 0  # KUFER N contacts unsubscribed in Maileon this run
    objections_not_in_maileon: int = 0
    objections_pending: int = 0  # failed pushes, retried next run
    rejects_by_code: dict[str, int] = field(default_factory=dict)  # "maileon:19", "preflight:3" → count
    missing: list[str] = field(default_factory=list)  # selected contacts with no outcome
    writeback_file: str | None = None
    upload_xml: str | None = None
    dry_run_export: str | None = None  # CSV of a dry run's per-contact result (JSON beside it)
    target_group: dict[str, Any] | None = None

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


def report_line(report: RunReport, lang: str = "de") -> str:
    """The one-line report, fixed format (README documents it):

    de: ``1297 ausgewählt · 621 aktualisiert · 13 neu · 657 ungültig ausgefiltert · 6 Abmelder übernommen``
    en: ``1297 selected · 621 updated · 13 new · 657 filtered as invalid · 6 unsubscribes taken over``

    Only when K contacts were held back for the missing § 7 Abs. 3 UWG confirmation does a sixth part
    follow (`· 83 K zurückgehalten (UWG-Hinweis)`), so that the parts still add up to the selection.
    """
    r = report
    if lang == "en":
        line = (f"{r.selected} selected · {r.updated} updated · {r.new} new · {r.invalid} filtered as invalid"
                f" · {r.unsubscribes} unsubscribes taken over")
        return line + (f" · {r.held_legal} K held back (UWG notice)" if r.held_legal else "")
    line = (f"{r.selected} ausgewählt · {r.updated} aktualisiert · {r.new} neu · {r.invalid} ungültig "
            f"ausgefiltert · {r.unsubscribes} Abmelder übernommen")
    return line + (f" · {r.held_legal} K zurückgehalten (UWG-Hinweis)" if r.held_legal else "")
