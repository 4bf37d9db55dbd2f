"""The report as a picture: the bar's parts add up to the selection and to the width, and no part vanishes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kufertui.core.report import RunReport, bar_values, bar_widths, report_line, report_line_parts


def test_manual_example_bar() -> None:
    r = RunReport(selected=1297, updated=621, new=13, rejected_preflight=657, unsubscribed_now=6)
    values = dict(bar_values(r))
    assert values == {"updated": 621, "new": 13, "invalid": 657, "unsubscribes": 6, "held_legal": 0, "gap": 0}
    cells = dict(zip(values, bar_widths(list(values.values()), 60), strict=True))
    assert sum(cells.values()) == 60
    assert cells["updated"] == 28 and cells["invalid"] == 30  # 621 and 657 of 1297 on 60 cells: 28.7, 30.4
    assert cells["new"] == 1 and cells["unsubscribes"] == 1  # small, but visible
    assert cells["held_legal"] == 0 and cells["gap"] == 0


def test_a_gap_is_its_own_part() -> None:
    r = RunReport(selected=10, updated=7, missing=["a@x.de"])
    assert dict(bar_values(r))["gap"] == 3


@given(st.lists(st.integers(min_value=0, max_value=200_000), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=200))
def test_widths_add_up_and_keep_every_part(values: list[int], width: int) -> None:
    cells = bar_widths(values, width)
    if sum(values) == 0:
        assert cells == [0] * len(values)
        return
    nonzero = sum(1 for v in values if v)
    assert sum(cells) == max(width, nonzero)
    assert all((c >= 1) == (v > 0) for c, v in zip(cells, values, strict=True))


def test_line_pieces_join_to_the_manual_line() -> None:
    r = RunReport(selected=1297, updated=621, new=13, rejected_preflight=657, unsubscribed_now=6, held_legal=0)
    assert report_line(r, "de") == ("1297 ausgewählt · 621 aktualisiert · 13 neu · 657 ungültig ausgefiltert"
                                    " · 6 Abmelder übernommen")
    parts = [part for _text, part in report_line_parts(r, "en") if part]
    assert parts == ["updated", "new", "invalid", "unsubscribes"]
    r.held_legal = 83
    assert report_line(r, "de").endswith(" · 83 K zurückgehalten (UWG-Hinweis)")
