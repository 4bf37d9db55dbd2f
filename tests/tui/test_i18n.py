"""Every text exists in German and English."""

from kufertui import i18n
from kufertui.messages import tui


def test_all_catalogues_have_identical_keys() -> None:
    catalogues = i18n.catalogues()
    assert set(catalogues["de"]) == set(catalogues["en"])


def test_tui_catalogue_identical_keys_and_placeholders() -> None:
    assert set(tui.DE) == set(tui.EN)
    import string

    for key in tui.DE:
        de = {f for _, f, _, _ in string.Formatter().parse(tui.DE[key]) if f}
        en = {f for _, f, _, _ in string.Formatter().parse(tui.EN[key]) if f}
        assert de == en, key
