"""The whole branch configuration and the cross-reference checks between its parts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pydantic import Field, model_validator

from scheduler.domain.branch import Branch, Channel, Post, PostKind
from scheduler.domain.catalogue import RULES_BY_NAME
from scheduler.domain.common import CrossReferenceProblems, Frozen, Weekday
from scheduler.domain.rules import (
    Authoriser,
    BackupPair,
    DualControl,
    DutyCover,
    IncompatibleDuties,
    LabourRules,
    MandatoryLeaveRule,
    MentorPairing,
    NotAloneTogether,
    OvertimePolicy,
    RotationCycle,
    RotationQuota,
    RuleMode,
    RuleSetting,
    ShiftTemplate,
)
from scheduler.domain.staff import Staff
from scheduler.errors import Issue


class ShiftDemand(Frozen):
    """A need stated per shift rather than per hour (e.g. two people on the early shift).

    Attributes:
        shift: Shift template id.
        min_staff: People who must work that shift (0: no lower bound).
        max_staff: Most people wanted on it; ``None`` = no upper bound.
        weekdays: Weekdays it applies to; empty = every open day.
        dates: Only these dates (within ``weekdays`` when both are given); empty = every
            open day.
        post: Only count people qualified for this post; ``None`` = anyone.
        under_weight: Cost per person short when ``shift_demand`` is soft; ``None`` = the
            rule's weight.
        over_weight: Cost per person over ``max_staff`` when ``shift_demand_over`` is soft;
            ``None`` = the rule's weight.
    """

    shift: str
    min_staff: int = Field(1, ge=0)
    max_staff: int | None = Field(None, ge=0)
    weekdays: list[Weekday] = Field(default_factory=list)
    dates: list[dt.date] = Field(default_factory=list)
    post: str | None = None
    under_weight: int | None = Field(None, ge=0)
    over_weight: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> ShiftDemand:
        if self.max_staff is not None and self.max_staff < self.min_staff:
            raise ValueError(
                f"max_staff {self.max_staff} is below min_staff {self.min_staff}: "
                "the most people wanted cannot be fewer than the least needed"
            )
        if self.min_staff == 0 and self.max_staff is None:
            raise ValueError("a shift demand needs min_staff above 0, or a max_staff")
        return self

    def applies(self, day: dt.date) -> bool:
        """Whether the demand is stated for ``day``."""
        if self.dates and day not in self.dates:
            return False
        return not self.weekdays or Weekday.of(day) in self.weekdays


class BranchConfig(Frozen):
    """Everything about a branch that changes rarely: the content of ``branch.yaml``.

    Attributes:
        branch: Identity, hours and calendar.
        channels: Demand channels with handling times and service targets.
        posts: Posts (岗位).
        staff: People.
        shifts: Shift templates.
        labour: Working-time rules.
        overtime: Overtime premiums.
        backup_pairs: A/B backup pairs.
        incompatible_duties: Posts one person may not hold on the same day.
        dual_control: Tasks needing several qualified people together.
        duty_cover: "Someone qualified on duty" rules (manager on duty).
        authorisers: Authoriser posts and the posts they supervise.
        shift_demands: Fixed needs per shift.
        rotation_quotas: Rotation quotas.
        rotation_cycles: Rotation cycles (a main post per month or quarter, in turn).
        mandatory_leave: The mandatory-leave rule, if the branch applies one.
        mentors: Trainee/mentor pairs.
        not_alone_together: People who must not be alone together on a post.
        rules: Mode and weight per named rule, overriding the defaults.
    """

    branch: Branch
    channels: list[Channel] = Field(default_factory=list)
    posts: list[Post] = Field(min_length=1)
    staff: list[Staff] = Field(min_length=1)
    shifts: list[ShiftTemplate] = Field(min_length=1)
    labour: LabourRules = Field(default_factory=LabourRules)
    overtime: OvertimePolicy = Field(default_factory=OvertimePolicy)
    backup_pairs: list[BackupPair] = Field(default_factory=list)
    incompatible_duties: list[IncompatibleDuties] = Field(default_factory=list)
    dual_control: list[DualControl] = Field(default_factory=list)
    duty_cover: list[DutyCover] = Field(default_factory=list)
    authorisers: list[Authoriser] = Field(default_factory=list)
    shift_demands: list[ShiftDemand] = Field(default_factory=list)
    rotation_quotas: list[RotationQuota] = Field(default_factory=list)
    rotation_cycles: list[RotationCycle] = Field(default_factory=list)
    mandatory_leave: MandatoryLeaveRule | None = None
    mentors: list[MentorPairing] = Field(default_factory=list)
    not_alone_together: list[NotAloneTogether] = Field(default_factory=list)
    rules: dict[str, RuleSetting] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_references(self) -> BranchConfig:
        problems = list(cross_reference_issues(self))
        if problems:
            raise ValueError(CrossReferenceProblems(problems))
        return self

    # Lookups -----------------------------------------------------------------------------

    def post(self, post_id: str) -> Post:
        """The post with this id."""
        return next(p for p in self.posts if p.id == post_id)

    def person(self, staff_id: str) -> Staff:
        """The staff member with this id."""
        return next(s for s in self.staff if s.id == staff_id)

    def channel(self, channel_id: str) -> Channel:
        """The channel with this id."""
        return next(c for c in self.channels if c.id == channel_id)

    def shift(self, shift_id: str) -> ShiftTemplate:
        """The shift template with this id."""
        return next(s for s in self.shifts if s.id == shift_id)

    def cycle_staff(self, cycle: RotationCycle) -> list[Staff]:
        """The people of a rotation cycle: those named, then those of its home post."""
        named = [self.person(s) for s in cycle.staff]
        ids = set(cycle.staff)
        homed = [p for p in self.staff if cycle.home_post and p.home_post == cycle.home_post]
        return named + [p for p in homed if p.id not in ids]

    def posts_of_kind(self, kind: PostKind) -> list[Post]:
        """Posts of one kind, in configuration order."""
        return [p for p in self.posts if p.kind == kind]

    def limit(self, person: Staff, field: str) -> Any:
        """A person's own working-time limit (``Staff.limits``), else the branch's.

        ``field`` names both, e.g. ``"max_consecutive_days"`` or ``"max_total_hours"``.
        """
        own = getattr(person.limits, field) if person.limits is not None else None
        return getattr(self.labour, field) if own is None else own

    def rule(self, name: str) -> RuleSetting:
        """The effective setting of a named rule (configured, or the catalogue default)."""
        if name in self.rules:
            return self.rules[name]
        info = RULES_BY_NAME[name]
        return RuleSetting(mode=info.mode, weight=info.weight)


def _duplicates(values: Iterable[str]) -> set[str]:
    return {v for v, n in Counter(values).items() if n > 1}


def cross_reference_issues(cfg: BranchConfig) -> Iterable[tuple[str, str, Any, str]]:
    """Yield every reference in ``cfg`` that points at nothing, and every duplicate id.

    Each problem is ``(yaml_path, message, value, allowed)``.
    """
    post_ids = [p.id for p in cfg.posts]
    staff_ids = [s.id for s in cfg.staff]
    channel_ids = [c.id for c in cfg.channels]
    shift_ids = [s.id for s in cfg.shifts]
    posts, staff, channels, shifts = set(post_ids), set(staff_ids), set(channel_ids), set(shift_ids)

    for section, ids in (
        ("posts", post_ids),
        ("staff", staff_ids),
        ("channels", channel_ids),
        ("shifts", shift_ids),
    ):
        for dup in sorted(_duplicates(ids)):
            idx = ids.index(dup, ids.index(dup) + 1)
            yield f"{section}[{idx}].id", f"duplicate id in {section}", dup, "each id once"

    def unknown(path: str, value: str | None, pool: set[str], what: str) -> Iterable[Any]:
        if value is not None and value not in pool:
            yield path, f"unknown {what}", value, ", ".join(sorted(pool)) or f"no {what}s defined"

    for i, p in enumerate(cfg.posts):
        for j, ch in enumerate(p.channels):
            yield from unknown(f"posts[{i}].channels[{j}]", ch, channels, "channel")
    for i, s in enumerate(cfg.staff):
        for j, q in enumerate(s.qualifications):
            yield from unknown(f"staff[{i}].qualifications[{j}].post", q.post, posts, "post")
        yield from unknown(f"staff[{i}].home_post", s.home_post, posts, "post")
        yield from unknown(f"staff[{i}].trainee_of", s.trainee_of, staff, "staff id")
        if (
            s.home_post
            and s.home_post in posts
            and all(q.post != s.home_post for q in s.qualifications)
        ):
            yield (
                f"staff[{i}].home_post",
                f"{s.name} has home post {s.home_post} but no qualification for it",
                s.home_post,
                ", ".join(q.post for q in s.qualifications) or "add a qualification",
            )
    for i, pair in enumerate(cfg.backup_pairs):
        yield from unknown(f"backup_pairs[{i}].post", pair.post, posts, "post")
        yield from unknown(f"backup_pairs[{i}].a", pair.a, staff, "staff id")
        yield from unknown(f"backup_pairs[{i}].b", pair.b, staff, "staff id")
    for i, inc in enumerate(cfg.incompatible_duties):
        for j, p in enumerate(inc.posts):
            yield from unknown(f"incompatible_duties[{i}].posts[{j}]", p, posts, "post")
    for section, items in (("dual_control", cfg.dual_control), ("duty_cover", cfg.duty_cover)):
        for i, item in enumerate(items):
            for j, p in enumerate(item.qualified_posts):
                yield from unknown(f"{section}[{i}].qualified_posts[{j}]", p, posts, "post")
    for i, auth in enumerate(cfg.authorisers):
        yield from unknown(f"authorisers[{i}].post", auth.post, posts, "post")
        for j, p in enumerate(auth.supervises):
            yield from unknown(f"authorisers[{i}].supervises[{j}]", p, posts, "post")
    for i, dem in enumerate(cfg.shift_demands):
        yield from unknown(f"shift_demands[{i}].shift", dem.shift, shifts, "shift")
        yield from unknown(f"shift_demands[{i}].post", dem.post, posts, "post")
    for i, quota in enumerate(cfg.rotation_quotas):
        for j, p in enumerate(quota.posts):
            yield from unknown(f"rotation_quotas[{i}].posts[{j}]", p, posts, "post")
        for j, s in enumerate(quota.staff):
            yield from unknown(f"rotation_quotas[{i}].staff[{j}]", s, staff, "staff id")
    yield from _cycle_issues(cfg, posts, staff)
    if cfg.mandatory_leave is not None:
        for j, p in enumerate(cfg.mandatory_leave.posts):
            yield from unknown(f"mandatory_leave.posts[{j}]", p, posts, "post")
    for i, m in enumerate(cfg.mentors):
        yield from unknown(f"mentors[{i}].trainee", m.trainee, staff, "staff id")
        yield from unknown(f"mentors[{i}].mentor", m.mentor, staff, "staff id")
    for i, pair in enumerate(cfg.not_alone_together):
        for j, s in enumerate(pair.staff):
            yield from unknown(f"not_alone_together[{i}].staff[{j}]", s, staff, "staff id")
        yield from unknown(f"not_alone_together[{i}].post", pair.post, posts, "post")
    for i, person in enumerate(cfg.staff):
        for template in person.limits.max_shifts if person.limits else ():
            yield from unknown(f"staff[{i}].limits.max_shifts", template, shifts, "shift")
    for i, (a, b) in enumerate(cfg.labour.forbidden_sequences):
        yield from unknown(f"labour.forbidden_sequences[{i}][0]", a, shifts, "shift")
        yield from unknown(f"labour.forbidden_sequences[{i}][1]", b, shifts, "shift")
    yield from _shift_fit_issues(cfg)
    for name, setting in cfg.rules.items():
        if name not in RULES_BY_NAME:
            yield f"rules.{name}", "unknown rule", name, ", ".join(sorted(RULES_BY_NAME))
        elif setting.mode != RuleMode.HARD and not RULES_BY_NAME[name].can_be_soft:
            yield (
                f"rules.{name}.mode",
                "this rule defines a roster and is always hard",
                setting.mode.value,
                "hard",
            )


def _shift_fit_issues(cfg: BranchConfig) -> Iterable[tuple[str, str, Any, str]]:
    """A daily or weekly hour limit, kept hard, that even the shortest shift breaks.

    Nobody could then work at all; the solver would only find it as a conflict of every post.
    """
    if not cfg.shifts:
        return
    shortest = min(cfg.shifts, key=lambda s: s.paid_minutes)
    hours = shortest.paid_minutes / 60
    for name in ("max_hours_per_day", "max_hours_per_week"):
        limit = getattr(cfg.labour, name)
        if name in RULES_BY_NAME and cfg.rule(name).mode == RuleMode.HARD and hours > limit:
            yield (
                f"labour.{name}",
                f"no shift fits: the shortest, {shortest.id}, has {hours:g} paid hours, more "
                f"than {name} ({limit:g}), so nobody could work",
                limit,
                f"at least {hours:g}, or a shift template of at most {limit:g} paid hours",
            )


def _cycle_issues(
    cfg: BranchConfig, posts: set[str], staff: set[str]
) -> Iterable[tuple[str, str, Any, str]]:
    """Rotation cycles: known posts and people, a unique name, everyone qualified for every leg."""
    quota_names = {q.name for q in cfg.rotation_quotas}
    seen: set[str] = set()
    for i, cycle in enumerate(cfg.rotation_cycles):
        where = f"rotation_cycles[{i}]"
        if cycle.name in quota_names or cycle.name in seen:
            yield (
                f"{where}.name",
                "a quota or cycle already has this name",
                cycle.name,
                "a new name",
            )
        seen.add(cycle.name)
        bad_posts = [p for p in cycle.posts if p not in posts]
        for j, p in enumerate(cycle.posts):
            if p in bad_posts:
                yield f"{where}.posts[{j}]", "unknown post", p, ", ".join(sorted(posts))
        if cycle.home_post is not None and cycle.home_post not in posts:
            yield f"{where}.home_post", "unknown post", cycle.home_post, ", ".join(sorted(posts))
        elif cycle.home_post is not None and not any(
            s.home_post == cycle.home_post for s in cfg.staff
        ):
            yield (
                f"{where}.home_post",
                "nobody has this home post",
                cycle.home_post,
                ", ".join(sorted({s.home_post for s in cfg.staff if s.home_post})),
            )
        for j, sid in enumerate(cycle.staff):
            if sid not in staff:
                yield f"{where}.staff[{j}]", "unknown staff id", sid, ", ".join(sorted(staff))
        if bad_posts or any(s not in staff for s in cycle.staff):
            continue
        able = sorted(
            s.id
            for s in cfg.staff
            if all(any(q.post == p for q in s.qualifications) for p in cycle.posts)
        )
        for person in cfg.cycle_staff(cycle):
            held = {q.post for q in person.qualifications}
            for p in cycle.posts:
                if p in held:
                    continue
                path = (
                    f"{where}.staff[{cycle.staff.index(person.id)}]"
                    if person.id in cycle.staff
                    else f"{where}.home_post"
                )
                yield (
                    path,
                    f"{person.name} ({person.id}) is not qualified for {p}, a post of the cycle",
                    person.id,
                    f"people qualified for {', '.join(cycle.posts)}: {', '.join(able) or 'nobody'}",
                )


def issues_from_cross_references(problems: CrossReferenceProblems, file: str) -> list[Issue]:
    """Turn cross-reference problems into located issues for ``file``."""
    return [
        Issue(file=file, message=msg, location=path, value=value, allowed=allowed)
        for path, msg, value, allowed in problems
    ]
