"""The fault spec grammar."""

from __future__ import annotations

import pytest

from kufertui.simulator.faults import FaultSpecError, parse_faults


def test_example_spec() -> None:
    f = parse_faults("429@POST /contacts#2:retry-after=1; 503@*#3; delay=0.1; drop@POST /contacts#1; "
                     "malformed@GET /reports/unsubscriptions#1; revoke@POST /contacts#3")
    assert f.delay_s == 0.1 and [r.kind for r in f.rules] == ["429", "503", "drop", "malformed", "revoke"]
    r429 = f.rules[0]
    assert (r429.method, r429.path, r429.first, r429.last, r429.opts) == ("POST", "/contacts", 2, 2,
                                                                          {"retry-after": "1"})
    fired = [[r.kind for r in f.select("POST", "/contacts")] for _ in range(3)]
    assert fired == [["drop"], ["429"], ["503", "revoke"]]


def test_when_forms() -> None:
    every = parse_faults("502@GET#every 3").rules[0]
    assert [every.fire("GET", "/x") for _ in range(6)] == [False, False, True, False, False, True]
    rng = parse_faults("500@/ping#2-3").rules[0]
    assert [rng.fire("PUT", "/ping") for _ in range(4)] == [False, True, True, False]
    onwards = parse_faults("503@*#2+").rules[0]
    assert [onwards.fire("GET", "/a") for _ in range(3)] == [False, True, True]
    always = parse_faults("delay@GET /reports/*:seconds=0.2").rules[0]
    assert always.fire("GET", "/reports/unsubscriptions") and not always.fire("GET", "/contacts")
    assert always.number("seconds", 1.0) == 0.2


@pytest.mark.parametrize("spec", ["boom@*", "429", "429@*#x", "delay=abc", "429@*:retry-after=soon",
                                  "503@GET /a /b", "drop@*:nokey"])
def test_bad_specs(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_faults(spec)
