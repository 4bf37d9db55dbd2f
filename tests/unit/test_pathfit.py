"""Long paths in narrow notifications, and the banner's wrap that never splits a command."""

from __future__ import annotations

from kufertui.tui.pathfit import fit_path, fit_paths_in, shorten_middle, toast_width
from kufertui.tui.widgets.banner import wrap_keeping_commands

LONG = "/home/verwaltung/kufertui/arbeitsbereich/exports/kufertui-support-20261201-042311.zip"


def test_short_paths_stay_as_they_are() -> None:
    assert fit_path("/tmp/a.csv", 34) == "/tmp/a.csv"
    assert fit_paths_in("Gespeichert in /tmp/a.csv.", 34) == "Gespeichert in /tmp/a.csv."


def test_long_paths_break_after_separators_only() -> None:
    lines = fit_path(LONG, 34).split("\n")
    assert all(len(line) <= 34 for line in lines)
    assert all(line.endswith("/") for line in lines[:-1])
    assert "".join(lines).replace("…", "") in LONG or "…" in lines[-1]
    assert lines[:2] == ["/home/verwaltung/kufertui/", "arbeitsbereich/exports/"]


def test_windows_paths_break_at_backslashes() -> None:
    assert fit_path(r"C:\Users\vhs\AppData\Roaming\kufertui\settings.toml", 20).split("\n") == [
        "C:\\Users\\vhs\\", "AppData\\Roaming\\", "kufertui\\", "settings.toml"]


def test_a_part_longer_than_the_line_is_shortened_in_the_middle_keeping_its_end() -> None:
    assert shorten_middle("abcdefghij", 5) == "ab…ij"
    assert len(shorten_middle("x" * 100, 17)) == 17
    last = fit_path("/a/" + "x" * 50 + ".csv", 20).split("\n")[-1]
    assert len(last) == 20 and last.endswith(".csv") and "…" in last


def test_paths_in_a_sentence_are_fitted_and_the_words_kept() -> None:
    text = fit_paths_in(f"Support-Paket gespeichert: {LONG}", 34)
    assert text.startswith("Support-Paket gespeichert: /home/verwaltung/kufertui/\n")
    assert all(len(line) <= 34 for line in text.split("\n")[1:])


def test_toast_width_follows_the_screen() -> None:
    assert toast_width(80) == 36  # half of 78 (the rack's scrollbar), less padding and edge
    assert toast_width(200) == 57


def test_banner_wrap_keeps_the_command_whole() -> None:
    text = "⚠ Abmelder nie abgeholt – Maileon hält sie nur 14 Tage: F4 oder `kufertui unsubscribers pull`"
    for width in range(30, 100):
        lines = wrap_keeping_commands(text, width)
        assert any("`kufertui unsubscribers pull`" in line for line in lines), width
        assert " ".join(lines) == text
