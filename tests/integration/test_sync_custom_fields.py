"""A mapping to a custom field that Maileon lacks: the run creates it (with its type) before the first send,
so the preview's promise holds and nobody is rejected with code 21; a dry run says so and creates nothing."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_state, sync_options

from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.simulator import running_simulator


def mappings() -> list[FieldMapping]:
    return [*default_mappings(), FieldMapping("departments", "Fachbereich", custom=True),
            FieldMapping("is_dozent", "Dozent", custom=True)]


def test_missing_custom_fields_are_created_before_the_first_send(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i, departments="Sprachen", is_dozent=i % 2 == 0) for i in range(1, 21)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=10)

        dry = run_engine(settings, root, sync_options(mappings(), dry_run=True))
        assert "engine.custom-field-would-create" in dry.messages()
        assert "Fachbereich" not in state.custom_fields  # a dry run writes nothing to Maileon

        run = run_engine(settings, root, sync_options(mappings()))
    assert run.report.new == 20 and run.report.invalid == 0 and run.report.reconciled
    assert state.custom_fields["Fachbereich"] == "string" and state.custom_fields["Dozent"] == "boolean"
    created = [e for e in run.events if getattr(e, "key", "") == "engine.custom-field-created"]
    assert {e.params["field"] for e in created} == {"Fachbereich", "Dozent"}  # type: ignore[attr-defined]
    stored = state.contacts[contacts[1].email.lower()]
    assert stored.custom["Fachbereich"] == "Sprachen"
