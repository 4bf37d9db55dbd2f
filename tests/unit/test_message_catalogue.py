"""One text catalogue: a key defined in two message modules is refused when the catalogue loads;
hint texts and field labels come through the same lookup; the faces hold no language branches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kufertui import i18n
from kufertui.core.fields import KUFER_FIELDS
from kufertui.messages.hints import HINTS, UNKNOWN

PACKAGE = Path(i18n.__file__).parent


def _catalogue_package(root: Path, name: str, modules: dict[str, str]) -> str:
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(source, encoding="utf-8")
    return name


def test_loader_refuses_a_key_defined_in_two_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = _catalogue_package(tmp_path, "clash_msgs", {
        "engine": 'DE = {"phase.pull": "Abmelder abholen", "a": "A"}\nEN = {"phase.pull": "Fetch", "a": "A"}\n',
        "tui": 'DE = {"phase.pull": "Abholen", "b": "B"}\nEN = {"phase.pull": "Pull", "b": "B"}\n',
    })
    with pytest.raises(i18n.DuplicateMessageKey) as raised:
        i18n.load_catalogues(name)
    assert raised.value.key == "phase.pull"
    assert {raised.value.first, raised.value.second} == {f"{name}.engine", f"{name}.tui"}
    assert "phase.pull" in str(raised.value)


def test_loader_refuses_a_key_only_one_language_shares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = _catalogue_package(tmp_path, "half_clash_msgs", {
        "one": 'DE = {"x": "X"}\nEN = {"x": "X"}\n',
        "two": 'DE = {"y": "Y"}\nEN = {"y": "Y", "x": "other"}\n',
    })
    with pytest.raises(i18n.DuplicateMessageKey):
        i18n.load_catalogues(name)


def test_loader_merges_distinct_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = _catalogue_package(tmp_path, "fine_msgs", {
        "engine": 'DE = {"phase.pull": "Abmelder abholen"}\nEN = {"phase.pull": "Fetch"}\n',
        "tui": 'DE = {"upload.phase.pull": "Abholen"}\nEN = {"upload.phase.pull": "Pull"}\n',
    })
    merged = i18n.load_catalogues(name)
    assert merged["de"] == {"phase.pull": "Abmelder abholen", "upload.phase.pull": "Abholen"}
    assert merged["en"] == {"phase.pull": "Fetch", "upload.phase.pull": "Pull"}


def test_the_real_catalogue_has_no_key_twice() -> None:
    merged = i18n.load_catalogues()  # raises on a shared key
    assert "phase.writeback" in merged["de"] and "upload.phase.writeback" in merged["de"]


def test_hint_texts_come_through_the_catalogue() -> None:
    for h in HINTS:
        assert i18n.t(f"hints.{h.id}.title", "de") == h.title_de
        assert i18n.t(f"hints.{h.id}.fix", "en") == h.fix_en
    try:
        i18n.set_language("en")
        assert i18n.hint_title("tls") == "Certificate check failed (TLS)"
        assert i18n.hint_cause("no-such-hint") == UNKNOWN.cause_en  # as messages.hints.hint() falls back
        i18n.set_language("de")
        assert i18n.hint_fix("tls").startswith("Lassen Sie sich von der IT")
        assert i18n.hint_title("no-such-hint") == UNKNOWN.title_de
    finally:
        i18n.set_language("de")


def test_field_labels_come_through_the_catalogue() -> None:
    try:
        for lang in i18n.LANGUAGES:
            i18n.set_language(lang)
            for f in KUFER_FIELDS:
                assert i18n.field_label(f.id) == (f.label_de if lang == "de" else f.label_en)
        assert i18n.field_label("zip") == "Postcode"
        assert i18n.field_label("no_such_field") == "no_such_field"
    finally:
        i18n.set_language("de")


FACE_BRANCH = re.compile(r"language\(\)\s*==|\blabel_(de|en)\b|\b(title|cause|fix)_(de|en)\b"
                         r"|\.(title|cause|fix)\((lang|ctx\.lang|language\(\))\)")


def test_faces_hold_no_language_branches() -> None:
    faces = [*sorted((PACKAGE / "tui").rglob("*.py")), *sorted((PACKAGE / "commands").rglob("*.py")),
             PACKAGE / "cli.py"]
    found = [f"{path.relative_to(PACKAGE)}:{no}: {line.strip()}" for path in faces
             for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if FACE_BRANCH.search(line)]
    assert found == []
