"""One Maileon field, one KUFER field: the rule, as Maileon compares field names (without regard to case)."""

from __future__ import annotations

from kufertui import i18n
from kufertui.core.fields import FieldMapping, default_mappings, target_conflicts
from kufertui.sync.mapping import mapping_refusal


def test_default_mapping_has_no_conflict() -> None:
    assert target_conflicts(default_mappings(), reserved=("ImportAPI",)) == {}


def test_two_kufer_fields_into_one_standard_field() -> None:
    mappings = [*default_mappings(), FieldMapping("departments", "FIRSTNAME")]
    assert target_conflicts(mappings) == {"FIRSTNAME": ["first_name", "departments"]}


def test_names_compare_without_case_and_custom_meets_standard() -> None:
    # a custom field may not be named like a standard one, and Maileon does not tell "Firstname" from FIRSTNAME
    mappings = [FieldMapping("first_name", "FIRSTNAME"), FieldMapping("departments", "firstname", custom=True)]
    assert list(target_conflicts(mappings)) == ["FIRSTNAME"]
    mappings = [FieldMapping("departments", "Interessen", custom=True),
                FieldMapping("city", "interessen ", custom=True)]
    assert target_conflicts(mappings) == {"Interessen": ["departments", "city"]}


def test_different_custom_fields_and_unsent_fields_are_fine() -> None:
    mappings = [FieldMapping("departments", "Fachbereich", custom=True),
                FieldMapping("is_dozent", "Dozent", custom=True), FieldMapping("city", "")]
    assert target_conflicts(mappings, reserved=("ImportAPI",)) == {}


def test_the_import_field_is_the_runs_own() -> None:
    mappings = [FieldMapping("departments", "importapi", custom=True)]
    assert target_conflicts(mappings, reserved=("ImportAPI",)) == {"ImportAPI": ["", "departments"]}


def test_refusal_names_field_and_kufer_fields_in_words() -> None:
    i18n.set_language("en")
    try:
        key, params = mapping_refusal([*default_mappings(), FieldMapping("departments", "FIRSTNAME")],
                                      "ImportAPI") or ("", {})
        assert key == "mapping.conflict"
        assert params == {"target": "FIRSTNAME", "fields": "First name, Department"}
        assert "FIRSTNAME" in i18n.t(key, **params)
        key, params = mapping_refusal([FieldMapping("departments", "ImportAPI", True)], "ImportAPI") or ("", {})
        assert (key, params["fields"]) == ("mapping.conflict-import", "Department")
        assert mapping_refusal(default_mappings(), "ImportAPI") is None
    finally:
        i18n.set_language("de")


def test_a_segments_field_is_kufertuis_own_too() -> None:
    mappings = [*default_mappings(), FieldMapping("departments", "kufer_seg_sprachen", custom=True)]
    assert mapping_refusal(mappings, "ImportAPI") is None
    found = mapping_refusal(mappings, "ImportAPI", ["KUFER_Seg_Sprachen"])
    assert found is not None and found[0] == "mapping.conflict-import"
    assert found[1]["target"] == "KUFER_Seg_Sprachen"
