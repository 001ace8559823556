"""The catalogue of named scheduling rules, with their default mode and weight.

This is the single list the configuration file is checked against and the roster model
registers one function for each name. Hard rules come first, then soft ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.domain.rules import RuleMode


@dataclass(frozen=True)
class RuleInfo:
    """A rule's name, default setting and the sentence that explains it.

    Attributes:
        name: Rule name used in configuration files and reports.
        mode: Default mode.
        weight: Default penalty per unit when soft.
        unit: What one unit of violation is (e.g. "staff-hour short").
        description: One sentence for reports.
        can_be_soft: False for rules that define what a roster is (never relaxed).
    """

    name: str
    mode: RuleMode
    weight: int
    unit: str
    description: str
    can_be_soft: bool = True


H, S = RuleMode.HARD, RuleMode.SOFT

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "qualification",
        H,
        0,
        "assignment",
        "nobody holds a post without a valid qualification",
        False,
    ),
    RuleInfo(
        "one_post_per_slot",
        H,
        0,
        "slot",
        "a person holds one post at a time, inside their shift and outside their break",
        False,
    ),
    RuleInfo(
        "availability",
        H,
        1000,
        "hour",
        "nobody works when unavailable, on leave or outside declared windows",
    ),
    RuleInfo("pinned_assignment", H, 1000, "pin", "assignments fixed by the manager are kept"),
    RuleInfo(
        "post_floor",
        H,
        2000,
        "staff-hour short",
        "posts with a minimum (e.g. one lobby manager) are held every open hour",
    ),
    RuleInfo(
        "manager_on_duty", H, 2000, "hour", "a manager is on duty whenever the branch is open"
    ),
    RuleInfo(
        "authoriser_present", H, 2000, "hour", "an authoriser is on post whenever tellers work"
    ),
    RuleInfo(
        "dual_control",
        H,
        2000,
        "person short",
        "two qualified people open and close the vault together",
    ),
    RuleInfo(
        "ab_backup_pair",
        H,
        1500,
        "day",
        "A and B of a backup pair are never absent on the same open day",
    ),
    RuleInfo("ab_backup_cover", S, 300, "hour", "B holds A's post while A is away"),
    RuleInfo(
        "incompatible_duties", H, 1500, "day", "nobody holds two incompatible posts on the same day"
    ),
    RuleInfo("max_hours_per_day", H, 500, "hour over", "paid hours per day stay within the limit"),
    RuleInfo(
        "max_hours_per_week", H, 500, "hour over", "paid hours per week stay within the limit"
    ),
    RuleInfo(
        "min_rest_between_shifts",
        H,
        500,
        "shift pair",
        "enough rest between the end of one shift and the next",
    ),
    RuleInfo(
        "min_days_off_per_week", H, 500, "day short", "at least the minimum days off every week"
    ),
    RuleInfo(
        "max_consecutive_days", H, 300, "day over", "no more than the maximum working days in a row"
    ),
    RuleInfo(
        "min_consecutive_days",
        S,
        50,
        "day short",
        "working stretches are not shorter than the minimum",
    ),
    RuleInfo(
        "min_consecutive_days_off",
        S,
        50,
        "day short",
        "rest stretches are not shorter than the minimum",
    ),
    RuleInfo(
        "max_weekends_worked", H, 200, "weekend over", "nobody works more weekends than allowed"
    ),
    RuleInfo(
        "forbidden_shift_sequence",
        H,
        300,
        "pair",
        "forbidden shift sequences (e.g. late then early) do not occur",
    ),
    RuleInfo(
        "total_hours",
        S,
        20,
        "hour",
        "paid hours over the horizon stay within the minimum and maximum",
    ),
    RuleInfo(
        "max_shifts_of_template",
        H,
        200,
        "shift over",
        "nobody works a shift template more often than its limit",
    ),
    RuleInfo(
        "shift_demand",
        H,
        1000,
        "person short",
        "fixed staff per shift (e.g. two on the early shift) are met",
    ),
    RuleInfo("mentor_present", H, 500, "hour", "a trainee works only while the mentor is on duty"),
    RuleInfo("not_alone_together", H, 500, "hour", "named people are never the only two on a post"),
    RuleInfo(
        "coverage_under",
        S,
        100,
        "staff-hour short",
        "staff needed per post per hour are present (weighted by extra wait)",
    ),
    RuleInfo("coverage_over", S, 5, "staff-hour over", "no more staff on a post than needed"),
    RuleInfo(
        "shift_demand_over",
        S,
        10,
        "person over",
        "no more people on a shift than its demand's most",
    ),
    RuleInfo("rotation_quota", S, 30, "hour", "hours in a post stay within the rotation quota"),
    RuleInfo(
        "preferences",
        S,
        10,
        "hour x weight",
        "preferred hours are worked and undesired hours avoided",
    ),
    RuleInfo("contract_hours", S, 15, "hour", "paid hours stay close to contract hours"),
    RuleInfo("fair_weekends", S, 40, "weekend day", "weekend work is shared evenly"),
    RuleInfo("fair_late_shifts", S, 20, "late shift", "late shifts are shared evenly"),
    RuleInfo(
        "min_post_stint",
        S,
        20,
        "short stint",
        "a person stays on a post for a minimum stint before switching",
    ),
    RuleInfo("post_switches", S, 5, "switch", "few post switches per person per day"),
    RuleInfo(
        "roster_stability",
        S,
        50,
        "changed hour",
        "re-solving a published roster changes as little as possible",
    ),
    RuleInfo(
        "labour_cost", S, 0, "yuan", "labour cost, with overtime premiums, is as low as possible"
    ),
)

RULES_BY_NAME: dict[str, RuleInfo] = {r.name: r for r in RULES}
