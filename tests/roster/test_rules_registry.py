"""The registry: one function per catalogue rule, hard rules first."""

from __future__ import annotations

from scheduler.domain import RULES, RuleMode
from scheduler.roster.rules import RULE_FUNCTIONS, missing_rules


def test_every_catalogue_rule_has_exactly_one_function() -> None:
    """Every named rule a configuration can set is implemented by exactly one function."""
    assert missing_rules() == []
    assert sorted(RULE_FUNCTIONS) == sorted(r.name for r in RULES)


def test_functions_are_named_after_their_rule() -> None:
    """A rule's function carries the rule's catalogue name, so reports and code agree."""
    assert all(fn.__name__ == name for name, fn in RULE_FUNCTIONS.items())


def test_hard_rules_come_first() -> None:
    """The registry lists the rules that are hard by default before the soft ones."""
    modes = {r.name: r.mode for r in RULES}
    hard = [modes[name] == RuleMode.HARD for name in RULE_FUNCTIONS]
    assert hard == sorted(hard, reverse=True)


def test_core_coverage_floor_and_pair_rules_are_registered() -> None:
    """The rules that define a roster and its floors are all present."""
    assert {
        "qualification",
        "one_post_per_slot",
        "availability",
        "pinned_assignment",
        "coverage_under",
        "coverage_over",
        "post_floor",
        "shift_demand",
        "manager_on_duty",
        "authoriser_present",
        "dual_control",
        "ab_backup_pair",
        "ab_backup_cover",
        "incompatible_duties",
    } <= set(RULE_FUNCTIONS)
