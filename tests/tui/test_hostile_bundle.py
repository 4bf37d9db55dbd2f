"""Issue 24.1, the support bundle: the screens it renders (sync/bundle.py takes the renderer from the TUI)
keep hostile values literal. Rendered from the hostile workspace (hostile_data.py) instead of the demo
data the bundle uses, every SVG is well-formed XML with no element of the data's making, no ESC/OSC, C1 or
bidi character, and shows the values as text."""

from __future__ import annotations

import asyncio
import html
import zipfile
from collections import defaultdict
from pathlib import Path

from hostile_data import CLOSE, HTML, MD_LINK, HostileSetup, build
from lxml import etree

from kufertui import i18n
from kufertui.sync.bundle import build_bundle
from kufertui.tui.app import make_app
from kufertui.tui.screens.registry import SHOT_NAMES
from kufertui.tui.screenshots import _shoot

SVG = "{http://www.w3.org/2000/svg}"
RAW = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066", "\u2069")


def svg_lines(data: bytes) -> list[str]:
    """The screen's lines as the SVG draws them (its <text> runs joined by their position)."""
    root = etree.fromstring(data)  # well-formed, or this raises
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for element in root.iter(f"{SVG}text"):
        if element.get("y") is not None and element.get("x") is not None:
            rows[float(element.get("y"))].append((float(element.get("x")), "".join(element.itertext())))
    return ["".join(text for _, text in sorted(runs)).replace("\xa0", " ") for _, runs in sorted(rows.items())]


def test_bundle_screens_of_hostile_data_stay_literal(tmp_path: Path) -> None:
    setup: HostileSetup = build(tmp_path / "hostile")

    def render(folder: Path) -> list[Path]:
        return asyncio.run(_shoot(make_app, setup, setup.maileon.transport(), folder, "en"))  # type: ignore[arg-type]

    try:
        out = build_bundle(setup.settings, setup.settings_path, setup.workspace_root, tmp_path / "bundle.zip",
                           render_screens=render, transport=setup.maileon.transport())
    finally:
        i18n.set_language("de")
    with zipfile.ZipFile(out) as archive:
        svgs = {name: archive.read(name) for name in archive.namelist() if name.startswith("screens/")}
    assert {f"screens/{name}-en.svg" for name in SHOT_NAMES} == set(svgs)
    shown: dict[str, str] = {}
    for name, data in svgs.items():
        text = data.decode("utf-8")
        for bad in RAW:
            assert bad not in text, (name, bad)
        root = etree.fromstring(data)
        assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("script")], name
        shown[name] = html.unescape("\n".join(svg_lines(data)))
    assert CLOSE in shown["screens/contacts-en.svg"] and MD_LINK in shown["screens/contacts-en.svg"]
    assert MD_LINK in shown["screens/results-en.svg"]  # the error Maileon stopped the newest run with
    assert "\\x1b]0;title\\x07" in shown["screens/results-en.svg"]
    assert HTML[:10] in shown["screens/contacts-en.svg"]  # a first name (cut by its column), as text
