"""The embedded SQLite workspace: contacts, imports, suppression ledger, journal, checkpoints."""

from kufertui.store.contacts import ContactFilter, ImportSummary
from kufertui.store.db import WorkspaceError
from kufertui.store.journal import ContactOutcome, RunRecord
from kufertui.store.ledger import LedgerEntry
from kufertui.store.workspace import Workspace

__all__ = ["ContactFilter", "ContactOutcome", "ImportSummary", "LedgerEntry", "RunRecord", "Workspace",
           "WorkspaceError"]
