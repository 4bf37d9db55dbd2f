"""The report line format, reconciliation, and the two language catalogues."""

from __future__ import annotations

import subprocess
import sys

from kufertui import i18n
from kufertui.core.report import RunReport, report_line


def manual_example() -> RunReport:
    return RunReport(selected=1297, updated=621, new=13, rejected_preflight=600, rejected_by_maileon=57,
                     unsubscribed_now=6)


def test_report_line_matches_the_manual() -> None:
    report = manual_example()
    assert report_line(report, "de") == ("1297 ausgewählt · 621 aktualisiert · 13 neu · 657 ungültig ausgefiltert"
                                         " · 6 Abmelder übernommen")
    assert report_line(report, "en") == ("1297 selected · 621 updated · 13 new · 657 filtered as invalid"
                                         " · 6 unsubscribes taken over")
    assert report.reconciled


def test_k_held_back_for_the_uwg_notice_is_a_part_of_its_own() -> None:
    report = RunReport(selected=172, new=88, rejected_preflight=1, held_legal=83)
    assert report.reconciled and report.invalid == 1
    assert report_line(report, "de").endswith("· 83 K zurückgehalten (UWG-Hinweis)")
    assert report_line(report, "en").endswith("· 83 K held back (UWG notice)")
    assert "K held back" not in report_line(manual_example(), "en")


def test_gap_is_not_reconciled() -> None:
    report = manual_example()
    report.selected = 1300
    assert not report.reconciled
    assert report.to_json()["accounted"] == 1297


def test_catalogues_have_the_same_keys() -> None:
    cats = i18n.catalogues()
    assert set(cats["de"]) == set(cats["en"])
    for key in cats["de"]:
        assert cats["de"][key].strip() and cats["en"][key].strip(), key


def test_placeholders_agree_between_languages() -> None:
    import string

    cats = i18n.catalogues()
    fmt = string.Formatter()
    for key, text in cats["de"].items():
        de = {f for _, f, _, _ in fmt.parse(text) if f}
        en = {f for _, f, _, _ in fmt.parse(cats["en"][key]) if f}
        assert de == en, key


def test_numbers_by_language() -> None:
    i18n.set_language("de")
    assert i18n.number(1297000) == "1.297.000"
    i18n.set_language("en")
    assert i18n.number(1297000) == "1,297,000"
    i18n.set_language("de")


def test_engine_packages_never_import_textual() -> None:
    code = ("import sys; import kufertui.core.hints, kufertui.core.validation, kufertui.kufer.reader, "
            "kufertui.store, kufertui.maileon.client, kufertui.sync.engine, kufertui.cli, kufertui.simulator; "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
