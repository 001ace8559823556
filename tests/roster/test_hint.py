"""Solution hints: a partial hint becomes a whole roster the search can start from."""

from __future__ import annotations

from scheduler.roster import build_model
from scheduler.roster.hint import complete_hint
from scheduler.roster.model import RosterModel
from scheduler.roster.request import Pin
from scheduler.roster.solve import _fix_hard_literals

from .instances import MON, person, post, request
from .instances_extra import branch


def _hints(model: RosterModel) -> dict[int, int]:
    hint = model.cp.proto.solution_hint
    return dict(zip(hint.vars, hint.values, strict=True))


def _model(pins: tuple[Pin, ...] = ()) -> RosterModel:
    cfg = branch([post("cash")], [person("A", "cash"), person("B", "cash")],
                 rules={"coverage_under": "soft"})  # fmt: skip
    model = build_model(request(cfg, need={"cash": 1}, pins=pins))
    model.set_objective()
    _fix_hard_literals(model, 1)
    return model


def _shortfall(model: RosterModel, hints: dict[int, int]) -> int:
    slacks = [t.expr for t in model.terms if t.rule == "coverage_under"]
    return sum(hints[s.index] for s in slacks)  # type: ignore[union-attr]


def test_complete_hint_fills_every_variable_and_keeps_the_hinted_shift() -> None:
    """A hint of one shift becomes a whole roster: that shift, nobody else, no shortfall."""
    model = _model()
    a, b = model.shift_var("A", MON, "am"), model.shift_var("B", MON, "am")
    model.cp.add_hint(a, 1)
    assert complete_hint(model, 5.0) is True
    hints = _hints(model)
    assert len(hints) == len(model.cp.proto.variables)
    assert (hints[a.index], hints[b.index], _shortfall(model, hints)) == (1, 0, 0)  # type: ignore[union-attr]


def test_complete_hint_changes_as_few_values_as_a_hard_rule_needs() -> None:
    """A hint breaking a pinned day off is repaired by that one change, not re-optimised."""
    model = _model((Pin(staff_id="B", date=MON, off=True),))
    a, b = model.shift_var("A", MON, "am"), model.shift_var("B", MON, "am")
    model.cp.add_hint(a, 0)
    model.cp.add_hint(b, 1)
    assert complete_hint(model, 5.0) is True
    hints = _hints(model)
    assert (hints[a.index], hints[b.index], _shortfall(model, hints)) == (0, 0, 4)  # type: ignore[union-attr]


def test_complete_hint_without_a_hint_does_nothing() -> None:
    """No roster at hand: nothing to complete, the model keeps no hint."""
    model = _model()
    assert complete_hint(model, 5.0) is False
    assert _hints(model) == {}
