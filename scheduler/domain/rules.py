"""Rules the roster honours: pairs, duties, shifts, labour law, quotas and rule settings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple

from pydantic import Field, model_validator

from scheduler.domain.branch import ID_PATTERN
from scheduler.domain.common import (
    Clock,
    CrossReferenceProblems,
    Frozen,
    TimeWindow,
    format_clock,
    minutes_of,
)


class BackupPair(Frozen):
    """An A/B backup pair (AB角): B covers A's post while A is away; never both absent.

    Attributes:
        post: The critical post.
        a: Staff id of the A holder.
        b: Staff id of the designated B backup.
    """

    post: str
    a: str
    b: str

    @model_validator(mode="after")
    def _different_people(self) -> BackupPair:
        if self.a == self.b:
            raise ValueError(f"A and B of the {self.post} pair must be different people ({self.a})")
        return self


class IncompatibleDuties(Frozen):
    """Two posts one person must not hold on the same day (不相容岗位分离).

    Attributes:
        posts: The two post ids.
        reason: Why (e.g. "authoriser cannot authorise own transactions").
    """

    posts: tuple[str, str]
    reason: str = ""

    @model_validator(mode="after")
    def _two_posts(self) -> IncompatibleDuties:
        if self.posts[0] == self.posts[1]:
            raise ValueError(f"an incompatible pair needs two different posts ({self.posts[0]})")
        return self


class DualControlMoment(StrEnum):
    """When a dual-control task happens."""

    OPENING = "opening"
    CLOSING = "closing"


class DualControl(Frozen):
    """A task two qualified people must do together (双人管库, 双人复核).

    Attributes:
        name: Task name (e.g. "vault").
        qualified_posts: A person counts if qualified for any of these posts that day.
        people: Number of qualified people required (2 for dual control).
        at: Moments of the day the task happens.
        minutes: How long the task takes; the people must be on shift for it.
    """

    name: str
    qualified_posts: list[str] = Field(min_length=1)
    people: int = Field(2, ge=1)
    at: list[DualControlMoment] = Field(
        default_factory=lambda: [DualControlMoment.OPENING, DualControlMoment.CLOSING]
    )
    minutes: int = Field(30, gt=0)


class DutyCover(Frozen):
    """Someone qualified must be on duty (on shift) whenever the branch is open.

    Used for "a manager on duty": the person need not hold the post every hour.

    Attributes:
        name: Rule name shown in reports (e.g. "manager on duty").
        qualified_posts: A person counts if qualified for any of these posts that day.
        people: How many such people must be on shift in every open slot.
    """

    name: str
    qualified_posts: list[str] = Field(min_length=1)
    people: int = Field(1, ge=1)


class Authoriser(Frozen):
    """An authoriser post must be held whenever any of the supervised posts is staffed.

    Attributes:
        post: The authorising post (e.g. operations supervisor).
        supervises: Posts whose work needs authorisation (tellers).
    """

    post: str
    supervises: list[str] = Field(min_length=1)


class BreakRule(Frozen):
    """An unpaid break inside a shift, placed by the solver in a window.

    Attributes:
        minutes: Break length.
        earliest: Earliest start of the break.
        latest_end: The break must end by this time.
    """

    minutes: int = Field(60, gt=0)
    earliest: Clock
    latest_end: Clock

    @model_validator(mode="after")
    def _fits(self) -> BreakRule:
        if minutes_of(self.latest_end) - minutes_of(self.earliest) < self.minutes:
            raise ValueError(
                f"a {self.minutes}-minute break does not fit between "
                f"{format_clock(self.earliest)} and {format_clock(self.latest_end)}"
            )
        return self


class ShiftTemplate(TimeWindow):
    """A shift people can be given (班次), with its unpaid break.

    Attributes:
        id: Identifier (e.g. ``early``).
        name: Display name (e.g. 早班).
        break_rule: The unpaid break, if any.
        late: Counts as a late shift for fairness.
        max_per_person: Optional cap on how often one person works it in the horizon.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str
    break_rule: BreakRule | None = None
    late: bool = False
    max_per_person: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _break_inside(self) -> ShiftTemplate:
        if self.break_rule is not None:
            br = self.break_rule
            if minutes_of(br.earliest) < self.start_minute or minutes_of(br.latest_end) > (
                self.end_minute
            ):
                raise ValueError(f"the break window of shift {self.id} lies outside {self}")
        return self

    @property
    def paid_minutes(self) -> int:
        """Worked minutes: shift length less the unpaid break."""
        brk = self.break_rule.minutes if self.break_rule else 0
        return self.end_minute - self.start_minute - brk


class LabourRules(Frozen):
    """Working-time rules from labour law and the bank's policy.

    Attributes:
        max_hours_per_day: Most paid hours in a day.
        max_hours_per_week: Most paid hours in any Monday-Sunday week (overtime included).
        min_rest_hours: Least rest between the end of one shift and the start of the next.
        min_days_off_per_week: Least full days off in each Monday-Sunday week.
        max_consecutive_days: Most working days in a row.
        min_consecutive_days: Least working days in a row (avoid isolated single days).
        min_consecutive_days_off: Least days off in a row when a rest starts.
        max_weekends_worked: Most weekends (any weekend day worked) in the horizon.
        forbidden_sequences: Pairs of shift ids that may not follow on consecutive days.
        min_total_hours: Least paid hours over the horizon per full-time person.
        max_total_hours: Most paid hours over the horizon per person.
    """

    max_hours_per_day: float = Field(9.0, gt=0, le=24)
    max_hours_per_week: float = Field(44.0, gt=0)
    min_rest_hours: float = Field(11.0, ge=0)
    min_days_off_per_week: int = Field(1, ge=0, le=6)  # 7 would leave no working day
    max_consecutive_days: int = Field(6, ge=1)
    min_consecutive_days: int = Field(1, ge=1)
    min_consecutive_days_off: int = Field(1, ge=1)
    max_weekends_worked: int | None = Field(None, ge=0)
    forbidden_sequences: list[tuple[str, str]] = Field(default_factory=list)
    min_total_hours: float | None = Field(None, ge=0)
    max_total_hours: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> LabourRules:
        problems = CrossReferenceProblems()
        pairs = (
            ("min_consecutive_days", "max_consecutive_days"),
            ("max_hours_per_day", "max_hours_per_week"),
            ("min_total_hours", "max_total_hours"),
        )
        for low, high in pairs:
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                given = {low, high} - set(self.model_fields_set)
                note = "".join(f"; {n} is the default: set it too" for n in sorted(given))
                problems.append(
                    (
                        low if low not in given else high,
                        f"{low} ({lo:g}) exceeds {high} ({hi:g}){note}",
                        lo if low not in given else hi,
                        f"at most {high} ({hi:g})" if low not in given else f"at least {lo:g}",
                    )
                )
        if problems:
            raise ValueError(problems)
        return self


class QuotaPeriod(StrEnum):
    """The period a rotation quota is counted over."""

    HORIZON = "horizon"
    WEEK = "week"
    QUARTER = "quarter"
    YEAR = "year"


class RotationQuota(Frozen):
    """Hours a person (or everyone qualified) must, or may at most, spend in a post (轮岗).

    Give hours or shares: a share is of the person's paid hours in the period, which is how
    "a customer manager spends at least 50% of available time on the floor" is written.

    Attributes:
        name: Display name of the quota.
        staff: Staff ids it applies to; empty = everyone qualified for the posts.
        posts: Posts that count toward the quota (e.g. all customer-facing posts).
        period: What the bounds are counted over.
        min_hours: Least hours in the posts over the period.
        max_hours: Most hours in the posts over the period.
        min_share: Least share (0..1) of paid hours in the posts.
        max_share: Most share (0..1) of paid hours in the posts.
        max_consecutive_weeks: At most this many consecutive weeks mainly in these posts.
    """

    name: str
    staff: list[str] = Field(default_factory=list)
    posts: list[str] = Field(min_length=1)
    period: QuotaPeriod = QuotaPeriod.HORIZON
    min_hours: float | None = Field(None, ge=0)
    max_hours: float | None = Field(None, ge=0)
    min_share: float | None = Field(None, ge=0, le=1)
    max_share: float | None = Field(None, ge=0, le=1)
    max_consecutive_weeks: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> RotationQuota:
        pairs = [
            ("hours", self.min_hours, self.max_hours),
            ("share", self.min_share, self.max_share),
        ]
        for what, lo, hi in pairs:
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"min_{what} ({lo}) exceeds max_{what} ({hi})")
        if all(
            v is None
            for v in (
                self.min_hours,
                self.max_hours,
                self.min_share,
                self.max_share,
                self.max_consecutive_weeks,
            )
        ):
            raise ValueError("a quota needs at least one bound")
        return self


class CyclePeriod(StrEnum):
    """How long each leg of a rotation cycle lasts."""

    MONTH = "month"
    QUARTER = "quarter"

    @property
    def months(self) -> int:
        """Calendar months per leg."""
        return 1 if self == CyclePeriod.MONTH else 3


class CycleLeg(NamedTuple):
    """One leg of a rotation cycle: the main post from ``start`` to ``end`` (inclusive)."""

    index: int
    post: str
    start: dt.date
    end: dt.date


class RotationCycle(Frozen):
    """People whose main post moves through a cycle, one post per month or quarter (轮岗轮换).

    "Tellers and customer managers swap posts each quarter" is two cycles: the tellers'
    ``posts: [cash_teller, customer_manager]`` and the customer managers' reverse, with the
    same anchor. In each leg the person should spend at least ``min_share`` of paid hours in
    the leg's post; the weekly rosters receive it pro rata from the history, as soft targets
    of the ``rotation_quota`` rule.

    Attributes:
        name: Display name of the cycle.
        staff: Staff ids in the cycle.
        home_post: Also everyone whose home post is this post.
        posts: The main post of each leg, in order; the cycle starts again after the last.
        period: How long each leg lasts.
        anchor: First day of the first leg (the first day of a month); no target before it.
        min_share: Least share (0..1) of paid hours in the leg's post.
    """

    name: str
    staff: list[str] = Field(default_factory=list)
    home_post: str | None = None
    posts: list[str] = Field(min_length=2)
    period: CyclePeriod = CyclePeriod.QUARTER
    anchor: dt.date
    min_share: float = Field(0.5, gt=0, le=1)

    @model_validator(mode="after")
    def _well_formed(self) -> RotationCycle:
        if self.anchor.day != 1:
            raise ValueError(
                f"anchor {self.anchor} of cycle '{self.name}' must be the first day of a month "
                f"(e.g. {self.anchor.replace(day=1)})"
            )
        if not self.staff and self.home_post is None:
            raise ValueError(f"cycle '{self.name}' needs staff or a home_post")
        for i, post in enumerate(self.posts):
            if post == self.posts[(i + 1) % len(self.posts)]:
                raise ValueError(
                    f"cycle '{self.name}' names {post} for two legs in a row (posts[{i}] and "
                    "the next); give each leg a different post, or a longer period"
                )
        return self

    def leg_on(self, day: dt.date) -> CycleLeg | None:
        """The leg in force on ``day``; ``None`` before the anchor."""
        if day < self.anchor:
            return None
        months = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        index = months // self.period.months
        first = _add_months(self.anchor, index * self.period.months)
        nxt = _add_months(first, self.period.months)
        post = self.posts[index % len(self.posts)]
        return CycleLeg(index, post, first, nxt - dt.timedelta(days=1))


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


class MandatoryLeaveRule(Frozen):
    """Staff in sensitive posts take a consecutive leave block every year (强制休假).

    Attributes:
        posts: Posts whose holders are subject to it; empty = every sensitive post.
        working_days: Length of the block in consecutive working days.
        blackout: Date ranges in which no block may be placed (start, end inclusive).
        avoid_month_end_days: Working days at the end of each month to avoid.
        avoid_days_around_holidays: Working days before and after long holidays to avoid.
    """

    posts: list[str] = Field(default_factory=list)
    working_days: int = Field(5, ge=1, le=30)
    blackout: list[tuple[dt.date, dt.date]] = Field(default_factory=list)
    avoid_month_end_days: int = Field(2, ge=0)
    avoid_days_around_holidays: int = Field(2, ge=0)


class MentorPairing(Frozen):
    """A trainee works only when the mentor is on duty.

    Attributes:
        trainee: Staff id of the trainee.
        mentor: Staff id of the mentor.
    """

    trainee: str
    mentor: str


class NotAloneTogether(Frozen):
    """Two people who must not be the only ones holding a post together.

    Used for relatives or a pair under review, so that dual control is real.

    Attributes:
        staff: The two staff ids.
        post: The post; ``None`` = any post.
    """

    staff: tuple[str, str]
    post: str | None = None


class RuleMode(StrEnum):
    """How a rule is applied."""

    HARD = "hard"
    SOFT = "soft"
    OFF = "off"


class RuleSetting(Frozen):
    """The configuration of one named rule.

    Attributes:
        mode: Hard (must hold), soft (penalised by ``weight`` per unit) or off.
        weight: Penalty per unit of violation when soft.
    """

    mode: RuleMode = RuleMode.HARD
    weight: int = Field(100, ge=0)


class OvertimePolicy(Frozen):
    """Overtime premiums as Chinese labour law sets them (劳动法 第四十四条).

    Attributes:
        workday: Multiplier for hours beyond the standard day on a working day.
        rest_day: Multiplier for work on a rest day not compensated by time off.
        public_holiday: Multiplier for work on a statutory public holiday.
        standard_hours_per_day: Hours after which a working day's hours are overtime.
        standard_hours_per_week: Hours after which a week's hours are overtime.
    """

    workday: float = Field(1.5, ge=1)
    rest_day: float = Field(2.0, ge=1)
    public_holiday: float = Field(3.0, ge=1)
    standard_hours_per_day: float = Field(8.0, gt=0)
    standard_hours_per_week: float = Field(40.0, gt=0)


__all__ = [
    "Authoriser",
    "BackupPair",
    "BreakRule",
    "CycleLeg",
    "CyclePeriod",
    "DualControl",
    "DualControlMoment",
    "DutyCover",
    "IncompatibleDuties",
    "LabourRules",
    "MandatoryLeaveRule",
    "MentorPairing",
    "NotAloneTogether",
    "OvertimePolicy",
    "QuotaPeriod",
    "RotationCycle",
    "RotationQuota",
    "RuleMode",
    "RuleSetting",
    "ShiftTemplate",
]
