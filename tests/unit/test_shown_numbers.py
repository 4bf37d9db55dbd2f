"""Numbers, times and counts as the reader expects them in each language (the exploratory report of
session 4: "vor 0.0 Tagen", "0.3 Anfragen pro Sekunde", "1 K-Kontakte", raw ISO times)."""

from __future__ import annotations

import pytest

from kufertui import i18n
from kufertui.config import Secret
from kufertui.core.secrets import MASK


@pytest.fixture(autouse=True)
def _german_again() -> object:
    yield
    i18n.set_language("de")


def test_fractions_use_the_readers_decimal_mark() -> None:
    assert i18n.t("engine.rate-learned", "de", rate=0.3).count("0,3") == 1
    assert "0.3" in i18n.t("engine.rate-learned", "en", rate=0.3)
    assert "vor 2,5 Tagen" in i18n.t("doctor.pull-recent", "de", age=2.5, days=14)
    assert i18n.decimal(1234.5, "de") == "1.234,5" and i18n.decimal(1234.5, "en") == "1,234.5"


def test_one_held_back_k_contact_reads_singular() -> None:
    assert i18n.t("engine.k-notice-missing", "de", count=1).startswith("1 K-Kontakt zurückgehalten")
    assert i18n.t("engine.k-notice-missing", "en", count=1).startswith("1 K contact held back")
    assert i18n.t("engine.k-notice-missing", "de", count=2).startswith("2 K-Kontakte")


def test_sentences_with_several_counts_read_right_for_one() -> None:
    pulled = i18n.t("engine.pulled", "de", seen=1, new=1, set_n=1)
    assert "1 Abmeldungen" not in pulled and "1 Kontakte" not in pulled
    assert "1 Zeilen" not in i18n.t("import.counts", "de", rows=1, inserted=1, updated=0, unchanged=0)
    assert "1 rows" not in i18n.t("import.counts", "en", rows=1, inserted=1, updated=0, unchanged=0)


def test_stored_times_are_shown_as_utc_minutes() -> None:
    assert i18n.timestamp("2026-12-01T09:39:15+00:00") == "2026-12-01 09:39 UTC"


def test_a_password_shows_no_characters_an_api_key_its_last_four() -> None:
    password = Secret("verysecretpassw/%")
    assert password.masked() == MASK
    assert Secret("key-0123456789abcdef").masked(tail=True).endswith("cdef")


def test_import_remarks_read_as_words() -> None:
    assert i18n.flag_label("bad-date") == i18n.t("import.flag.bad-date") != "import.flag.bad-date"
    assert i18n.flag_label("a-remark-we-do-not-know") == "a-remark-we-do-not-know"
