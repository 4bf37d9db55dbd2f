"""One pre-flight: the run, the Fields pane's count and the contact dialog build it with
`run_preflight` — the ledger's e-mails suppressed, K held back while the UWG notice is unconfirmed."""

from __future__ import annotations

from pathlib import Path

from kufertui.config import Settings
from kufertui.core.contact import Contact, Status
from kufertui.core.fields import default_mappings
from kufertui.store import ContactFilter, Workspace
from kufertui.store.ledger import LedgerEntry
from kufertui.sync.preview import preflight_summary


def _seed(root: Path) -> None:
    people = [Contact(email=f"p{i}@vhs-test.de", status=Status.K if i <= 3 else Status.J,
                      person_no=str(1000 + i), first_name=f"V{i}", last_name=f"N{i}")
              for i in range(1, 9)]
    with Workspace.open(root) as ws:
        ws.import_contacts(people, source="test")
        ws.ledger.record([LedgerEntry("p8@vhs-test.de", None, "maileon", "link", None)])


def _settings(notice: str) -> Settings:
    settings = Settings()
    settings.legal.k_notice_confirmed_on = notice
    settings.maileon.import_field = "ImportAPI"
    return settings


def test_fields_pane_count_holds_k_back_while_the_notice_is_unconfirmed(tmp_path: Path) -> None:
    _seed(tmp_path / "ws")
    with Workspace.open(tmp_path / "ws") as ws:
        held = preflight_summary(ws, _settings(""), ContactFilter(), None, default_mappings())
        confirmed = preflight_summary(ws, _settings("2026-10-01"), ContactFilter(), None, default_mappings())
    assert held["k-notice-missing"] == 3 and held["sendable"] == 4  # p8 is on the ledger
    assert "k-notice-missing" not in confirmed and confirmed["sendable"] == 7
    assert held["suppressed"] == confirmed["suppressed"] == 1



def test_a_future_or_garbled_confirmation_holds_k_back_like_none(tmp_path: Path) -> None:
    """`bool("nein")` opened the gate; the pre-flight asks core.legal now (a date, not in the future)."""
    _seed(tmp_path / "ws")
    with Workspace.open(tmp_path / "ws") as ws:
        for notice in ("2099-01-01", "nein", "false"):
            held = preflight_summary(ws, _settings(notice), ContactFilter(), None, default_mappings())
            assert held["k-notice-missing"] == 3 and held["sendable"] == 4, notice
