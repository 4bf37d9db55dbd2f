"""The previews tell the truth: the Upload confirmation names the objections passed first and the custom
fields the run creates; the Fields pre-flight says the same about the custom fields."""

from __future__ import annotations

from collections.abc import Callable

from tui_helpers import text, wait_for

from kufertui.core.fields import FieldMapping
from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.unsubscribes import objections_to_push
from kufertui.tui.app import KuferApp


async def test_upload_confirmation_names_objections_and_created_fields(
        build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        pending = objections_to_push(ws)
    assert pending > 0  # the demo has N contacts from KUFER that Maileon has not heard of yet
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        app.state.mappings.append(FieldMapping("departments", "Fachbereich", custom=True))
        await pilot.press("f4")
        await pilot.pause()
        confirm = text(app, "#confirm-text")
        assert f"zuerst {pending} Widersprüche aus KUFER an Maileon melden" in confirm
        assert "Custom-Felder Fachbereich (Text): legt der Lauf in Maileon an" in confirm

        await pilot.press("f3")
        await wait_for(pilot, lambda: "Vorabprüfung:" in text(app, "#reject-count"))
        assert "Fachbereich (Text) legt der Lauf in Maileon an" in text(app, "#reject-count")
