"""KUFER side: CSV/XML/SQL sources, normalisation, mapping profiles, write-back of N. No Textual here."""

from kufertui.kufer.errors import FAILURE_CODES, ROW_FLAGS, ROW_REASONS, ImportFailure, RowError
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.reader import open_source
from kufertui.kufer.source import KuferFile

__all__ = [
    "FAILURE_CODES", "ROW_FLAGS", "ROW_REASONS", "ImportFailure", "KuferFile", "MappingProfile", "RowError",
    "open_source",
]
