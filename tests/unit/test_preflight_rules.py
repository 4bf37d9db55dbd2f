"""sync/plan.py on its own: which selected contacts go to Maileon and why the others are held back, in the run's
order (the selection, J and K only, the suppression ledger, persons opted out by number, K without the UWG notice,
characters XML cannot carry, an address twice, Maileon's field rules), and the plan's counts per cause."""

from __future__ import annotations

from pathlib import Path

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.plan import Planned, Preflight, plan_with, selected_ids, selection_filter


def preflight(**kw: object) -> Preflight:
    args: dict[str, object] = dict(import_field="ImportAPI", suppressed=set(), declared_custom={})
    args.update(kw)
    return Preflight(default_mappings(), **args)  # type: ignore[arg-type]


def person(i: int, status: Status = Status.J, **kw: object) -> Contact:
    return Contact(f"p{i}@vhs-test.de", status, person_no=str(1000 + i), last_name=f"N{i}", **kw)


def cause(outcome: object) -> tuple[str, str | None]:
    assert not isinstance(outcome, Planned), outcome
    return outcome.outcome, outcome.code  # type: ignore[attr-defined]


def test_each_reason_to_hold_a_contact_back_has_its_outcome_and_code() -> None:
    pre = preflight(suppressed={"p3@vhs-test.de"}, suppressed_numbers={"1004"}, k_allowed=False)
    assert cause(pre.check(person(1, Status.N))) == ("unsubscribed", "unsubscribed-in-maileon")
    assert cause(pre.check(person(2, Status.EMPTY))) == ("rejected", "status-not-uploadable")
    assert cause(pre.check(person(3))) == ("suppressed", "suppressed")
    assert cause(pre.check(Contact("new@vhs-test.de", Status.J, person_no="1004"))) == ("suppressed",
                                                                                      "opted-out-person")
    assert cause(pre.check(person(5, Status.K))) == ("held", "k-notice-missing")
    assert cause(pre.check(person(6, first_name="Jo\x0brg"))) == ("rejected", "control-characters")
    assert cause(pre.check(Contact("kaputt@@vhs-test.de", Status.J))) == ("rejected", "preflight:3")
    planned = pre.check(person(7))
    assert isinstance(planned, Planned) and planned.contact.external_id == "1007"
    assert planned.contact.standard_fields["LASTNAME"] == "N7" and planned.contact.custom_fields["ImportAPI"] is True


def test_a_later_address_that_differs_only_in_case_is_held_back_as_a_duplicate() -> None:
    pre = preflight()
    first = pre.check(Contact("Anna@VHS-test.de", Status.J, person_no="1"))
    later = pre.check(Contact("anna@vhs-test.de", Status.K, person_no="2"))
    assert isinstance(first, Planned)
    assert cause(later) == ("rejected", "preflight:5") and later.detail == "anna@vhs-test.de"  # type: ignore[union-attr]
    other = pre.check(Contact("bernd@vhs-test.de", Status.J, person_no="3"))
    assert isinstance(other, Planned)


def test_an_address_held_back_for_another_reason_does_not_block_a_later_one() -> None:
    pre = preflight(suppressed_numbers={"1"})
    assert cause(pre.check(Contact("anna@vhs-test.de", Status.J, person_no="1"))) == ("suppressed",
                                                                                    "opted-out-person")
    assert isinstance(pre.check(Contact("anna@vhs-test.de", Status.J, person_no="2")), Planned)


def test_field_rules_of_maileon_hold_back_with_every_problem_named() -> None:
    pre = Preflight([FieldMapping("birthday", "BIRTHDAY"), FieldMapping("last_name", "LASTNAME")],
                    import_field="ImportAPI", suppressed=set(), declared_custom={})
    held = pre.check(Contact("a@vhs-test.de", Status.J, birthday="1970-02-30", last_name="x" * 256))
    assert cause(held) == ("rejected", "preflight:17")
    assert held.detail == "BIRTHDAY=1970-02-30; LASTNAME=256 > 255"  # type: ignore[union-attr]


def test_plan_counts_the_selection_and_each_cause() -> None:
    plan = plan_with(preflight(suppressed={"p2@vhs-test.de"}), [person(1), person(2), person(3), person(4, Status.N)])
    assert plan.selected == 4 and [p.email for p in plan.sendable] == ["p1@vhs-test.de", "p3@vhs-test.de"]
    assert plan.by_code == {"suppressed": 1, "unsubscribed-in-maileon": 1}
    assert [o.email for o in plan.held_back] == ["p2@vhs-test.de", "p4@vhs-test.de"]


def test_the_selection_never_holds_n_or_empty(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts([person(1), person(2, Status.K), person(3, Status.N), person(4, Status.EMPTY)],
                           source="test")
        everybody = ws.contacts.ids(ContactFilter())
        assert selection_filter(ContactFilter(frozenset({"J", "N", ""}))).statuses == {"J"}
        assert len(selected_ids(ws, ContactFilter(), None)) == 2
        assert selected_ids(ws, ContactFilter(frozenset({"N", ""})), None) == []
        assert selected_ids(ws, ContactFilter(), everybody) == everybody[:2]
