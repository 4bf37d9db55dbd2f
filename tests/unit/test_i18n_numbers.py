"""Numbers grouped the reader's way in every text, identifiers left alone, and "1 Kontakt" not "1 Kontakte"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kufertui import i18n


@pytest.fixture(autouse=True)
def _german() -> Iterator[None]:
    before = i18n.language()
    i18n.set_language("de")
    yield
    i18n.set_language(before)


def test_int_parameters_are_grouped_by_language() -> None:
    assert i18n.t("upload.unsub-taken", n=1558) == "1.558 Abmelder aus Maileon übernommen."
    assert i18n.t("upload.unsub-taken", "en", n=1558) == "1,558 unsubscribes taken over from Maileon."
    i18n.set_language("en")
    assert i18n.t("doctor.workspace", path="/w", count=1234567) == "Workspace /w: 1,234,567 contacts."


def test_identifiers_and_bools_stay_raw() -> None:
    assert "#1234" in i18n.t("results.title", id=1234, when="2026-01-01 10:00", state="x")
    assert "8765" in i18n.t("cli.serve-bad-host", port=8765)
    assert "Zeile 1200" in i18n.t("config.wrong-type", key="k", file="f", line=1200, expected="e")
    created = i18n.t("tg.created", name="N", id=4321, filter=1234, n=2000, run=1001)
    assert created.count("2.000") == 1 and "1234" in created and "4321" in created
    assert "True" in i18n.t("cli.unknown-fields", fields=True, known="x")


def test_strings_are_not_touched() -> None:
    assert i18n.t("cli.unknown-fields", fields="12345", known="x").startswith("Unbekannte Felder: 12345.")


@pytest.mark.parametrize(("lang", "one", "many"), [
    ("de", "1 Kontakt (J:", "2 Kontakte (J:"),
    ("en", "1 contact (J:", "2 contacts (J:"),
])
def test_plural_variant_for_one(lang: str, one: str, many: str) -> None:
    assert one in i18n.t("upload.confirm-count", lang, n=1, j=1, k=0)
    assert many in i18n.t("upload.confirm-count", lang, n=2, j=2, k=0)
    assert "1.001 Kontakte" in i18n.t("upload.confirm-count", "de", n=1001, j=1, k=1000)


def test_plural_follows_count_when_there_is_no_n() -> None:
    assert i18n.t("import.rejected", count=1) == "1 Zeile übersprungen:"
    assert i18n.t("import.rejected", count=0) == "0 Zeilen übersprungen:"


def test_every_plural_variant_has_its_base_key_in_both_languages() -> None:
    for table in i18n.catalogues().values():
        for key in table:
            if "#" in key:
                base, _, form = key.partition("#")
                assert form == "one" and base in table, key


def test_cli_progress_groups_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    from kufertui.commands.progress import EventPrinter, _counts_column
    from kufertui.sync import events as ev

    printer = EventPrinter(interactive=False)
    printer(ev.Progress("upload", 1558, 2000))
    assert "1.558/2.000" in capsys.readouterr().out
    from rich.progress import Progress

    bar = Progress(_counts_column())
    task = bar.add_task("x", total=12000, completed=1558)
    i18n.set_language("en")
    assert str(bar.columns[0].render(bar._tasks[task])) == "1,558/12,000"  # type: ignore[union-attr]


def test_engine_messages_group_their_counts() -> None:
    from kufertui.core.terminal import printable_params

    assert i18n.t("cli.pulled", **printable_params({"seen": 1558, "new": 2, "written": 1000})) == (
        "1.558 Abmeldungen gelesen, 2 neu, 1.000 an KUFER zurückgegeben.")


def test_plural_follows_gap_age_and_seen() -> None:
    assert i18n.t("report.gap", gap=1) == "Es fehlt 1 Kontakt im Ergebnis."
    assert i18n.t("report.gap", gap=2) == "Es fehlen 2 Kontakte im Ergebnis."
    assert i18n.t("doctor.pull-recent", age=1, days=30).startswith("Abmelder zuletzt vor 1 Tag abgeholt")
    assert i18n.t("cli.pulled", seen=1, new=1, written=0).startswith("1 Abmeldung gelesen")
    assert i18n.t("results.gap", accounted=9, selected=10, gap=1, missing=1).count("1 fehlt") == 1
