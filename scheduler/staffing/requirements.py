"""Staff needed per post and open slot: queueing for the traffic, then the rules' floors.

For every open slot (``config.branch.slot_minutes``; open hours from
:class:`~scheduler.calendar.BranchCalendar`) and every post, the requirement frame
(:data:`scheduler.frames.REQUIREMENT_COLUMNS`) says how many people must hold the post:

1. **Traffic.** The forecast is hourly; a slot gets its hour's arrivals split evenly over the
   hour's slots, and the arrival *rate* is the hour's. Each channel is sized with its own
   handling time, target and patience: Erlang A when ``patience_minutes`` is set, else
   Erlang C (:mod:`scheduler.staffing.erlang`). The smallest number ``n`` of serving people
   meeting the target is the number of people on the post; shrinkage (the share of on-post
   time spent on other work) stretches the handling time to ``aht / (1 - shrinkage)``, as
   the day simulation does (:func:`effective_aht`).
2. **Which post.** A channel's need goes to one post: among the posts that list the channel,
   the one serving the fewest channels, ties to the first in the configuration (see
   :func:`~scheduler.staffing.inputs.primary_post`). A post that carries several channels
   needs the sum of their numbers (separate windows; the pooling gain is not claimed).
3. **Floors.** ``Post.min_staff`` ("floor: min staff", e.g. one lobby manager every open hour)
   and each authoriser post (``config.authorisers``) whenever one of the posts it supervises
   needs anyone in the slot ("authoriser for tellers"). ``required`` is the larger of the
   traffic number and the floor; ``reason`` names what decides it.
4. **Unmeetable.** The search stops at a cap per post (by default the number of staff with
   a valid qualification for the post that day). When even the cap misses a channel's
   target the slot is marked ``unmeetable``, ``required`` is the cap and ``reason`` says
   what is still missed.

Waits and service levels are predicted with ``required`` people on the post;
``wait_one_short_min`` with one person fewer (taken from the channel where it hurts least).
A queue that cannot keep up has no steady-state wait; predicted waits are capped at
``max_wait_min`` (60 minutes by default), which is also the most a shortfall can weigh.

Manager-on-duty (``config.duty_cover``) and dual control (``config.dual_control``) are rules
about who is on shift, not posts to hold: the roster model enforces them from the
configuration. :func:`floor_checks` lists them per slot for reports.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import BranchConfig, Channel, DualControlMoment, Post, PostKind
from scheduler.errors import InputError, Issue
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.staffing.erlang import QueueStats, queue_stats, servers_needed
from scheduler.staffing.inputs import (
    FORECAST_SOURCE,
    channel_problems,
    primary_post,
    read_rates,
)

DEFAULT_MAX_WAIT_MIN = 60.0
"""Predicted waits are capped here: beyond an hour the steady-state model says little."""

FLOOR_CHECK_COLUMNS = ("date", "ds", "rule", "people", "qualified_posts")
"""Columns of :func:`floor_checks`."""

TROUGH_COLUMNS = ("date", "ds", "post", "required", "present", "free", "use")
"""Columns of :func:`troughs`."""


# Shrinkage ---------------------------------------------------------------------------------


def effective_aht(channel: Channel) -> float:
    """Handling time stretched by shrinkage: ``aht / (1 - shrinkage)``.

    Shrinkage is the share of on-post time spent on other work (paperwork, calls), so a
    person on the post serves at ``1 - shrinkage`` of full speed. Applying it to the service
    time rather than to the head count keeps a quiet desk at one person (``ceil(1 / 0.85)``
    would ask for two) and is what the day simulation replays.
    """
    return channel.aht_minutes / (1.0 - channel.shrinkage)


# Per-channel sizing -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelNeed:
    """One channel's traffic need in one slot.

    Attributes:
        channel: The channel.
        arrivals: Customers expected in the slot.
        rate: Arrivals per minute.
        staff: People needed on the post (after shrinkage).
        met: Whether ``staff`` meets the target (false when capped).
        shortfall: What the capped number still misses.
    """

    channel: Channel
    arrivals: float
    rate: float
    staff: int
    met: bool
    shortfall: str

    def stats(self, staff: int) -> QueueStats:
        """The queue's measures with ``staff`` people on the post."""
        ch = self.channel
        return queue_stats(
            max(0, staff), self.rate, effective_aht(ch), ch.target.within_minutes,
            ch.patience_minutes,
        )  # fmt: skip


def size_channel(channel: Channel, hourly: float, slot_minutes: int, cap: int) -> ChannelNeed:
    """Size one channel for one slot from its hour's forecast arrivals.

    Args:
        channel: The channel (handling time, target, patience, shrinkage).
        hourly: Forecast arrivals in the hour.
        slot_minutes: Slot length; the slot gets ``hourly * slot_minutes / 60`` arrivals.
        cap: Most people the post can have; the search stops there.
    """
    rate = hourly / 60.0
    target = channel.target
    answer = servers_needed(
        rate,
        effective_aht(channel),
        target.service_level,
        target.within_minutes,
        channel.patience_minutes,
        target.max_abandonment,
        max_servers=cap,
    )
    staff = answer.servers if answer.met else cap
    return ChannelNeed(
        channel=channel,
        arrivals=hourly * slot_minutes / 60.0,
        rate=rate,
        staff=staff,
        met=answer.met,
        shortfall=""
        if answer.met
        else f"{channel.id}: even {cap} on the post ({answer.shortfall})",
    )


# The requirement frame --------------------------------------------------------------------


def default_caps(config: BranchConfig, day: dt.date) -> dict[str, int]:
    """Most people a post can have on ``day``: staff with a valid qualification (at least 1)."""
    return {
        p.id: max(1, sum(1 for s in config.staff if s.qualified_for(p.id, day)))
        for p in config.posts
    }


def requirements(
    forecast: pd.DataFrame,
    config: BranchConfig,
    level: str = "mean",
    horizon: Horizon | None = None,
    *,
    max_staff: int | Mapping[str, int] | None = None,
    max_wait_min: float = DEFAULT_MAX_WAIT_MIN,
    source: str = FORECAST_SOURCE,
) -> pd.DataFrame:
    """Staff required per open slot and post for a forecast.

    Args:
        forecast: Hourly forecast (:data:`scheduler.frames.FORECAST_COLUMNS`); only
            ``channel``, ``ds``, ``level`` (and ``branch`` when present) are read.
        config: The branch configuration.
        level: Forecast column to staff for: ``mean`` or a bound such as ``hi-80``.
        horizon: Days to plan; by default the forecast's first to last date.
        max_staff: Search cap: one number for every post or a number per post id; by
            default the number of staff with a valid qualification for the post that day.
        max_wait_min: Cap on predicted waits (an overloaded queue has no finite
            steady-state wait).
        source: Name of the forecast in error messages (its file name).

    Returns:
        The requirement frame with exactly :data:`scheduler.frames.REQUIREMENT_COLUMNS`, one
        row per open slot and post, sorted by ``ds`` then configuration order of posts.
        ``frame.attrs["warnings"]`` lists channels or open hours the forecast lacks (sized
        as no traffic).

    Raises:
        InputError: Bad forecast (see :func:`scheduler.staffing.inputs.read_rates`), unusable
            channel numbers or caps.
    """
    if not max_wait_min > 0:
        raise ValueError(f"max_wait_min must be > 0, not {max_wait_min}")
    rates = read_rates(forecast, config, level, source)
    fixed_caps = _caps(config, max_staff)
    _check_channels(config, rates.channels)
    if horizon is None:
        horizon = _forecast_horizon(rates.per_hour, config)
    calendar = BranchCalendar(config.branch)
    slot = config.branch.slot_minutes
    carried = {ch: primary_post(config, ch) for ch in rates.channels}
    by_post: dict[str, list[Channel]] = {p.id: [] for p in config.posts}
    for ch_id, post in carried.items():
        if post is not None:
            by_post[post.id].append(config.channel(ch_id))
    warnings: list[str] = []
    missing_hours: dict[str, int] = {}
    rows: list[dict[str, object]] = []
    cache: dict[tuple[str, float, int], ChannelNeed] = {}
    for day in horizon.dates:
        caps = default_caps(config, day) | fixed_caps
        for start in calendar.slots(day):
            ds = pd.Timestamp(start)
            hour = ds.floor("h")
            cells = []
            for post in config.posts:
                needs = []
                for channel in by_post[post.id]:
                    hourly = rates.per_hour.get((channel.id, hour))
                    if hourly is None:
                        missing_hours[channel.id] = missing_hours.get(channel.id, 0) + 1
                        hourly = 0.0
                    key = (channel.id, hourly, caps[post.id])
                    if key not in cache:
                        cache[key] = size_channel(channel, hourly, slot, caps[post.id])
                    needs.append(cache[key])
                cells.append(_Cell.of(post, needs, caps[post.id]))
            _apply_floors(config, cells)
            rows.extend(_row(config, day, ds, cell, max_wait_min) for cell in cells)
    for ch_id, count in missing_hours.items():
        warnings.append(
            f"the forecast has no rows for channel {ch_id} in {count} open slot(s); "
            "they were sized as no traffic"
        )
    for channel in config.channels:
        if channel.id not in rates.channels and primary_post(config, channel.id) is not None:
            warnings.append(
                f"the forecast has no rows for channel {channel.id}; it was sized as no traffic"
            )
    frame = pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS))
    frame = frame.astype({"required": "int64", "traffic_required": "int64",
                          "floor_required": "int64", "unmeetable": "bool"})  # fmt: skip
    frame.attrs["warnings"] = warnings
    return frame


def _caps(config: BranchConfig, max_staff: int | Mapping[str, int] | None) -> dict[str, int]:
    """The caps set by ``max_staff``, by post id (posts left out keep the default)."""
    caps: dict[str, int] = {}
    posts = [p.id for p in config.posts]
    if max_staff is None:
        return caps
    issues = []
    if isinstance(max_staff, Mapping):
        for post_id, cap in max_staff.items():
            if post_id not in posts:
                issues.append(
                    Issue("max_staff", "unknown post", value=post_id, allowed=", ".join(posts))
                )
            elif not isinstance(cap, int) or cap < 1:
                issues.append(
                    Issue("max_staff", "cap must be a whole number >= 1", column=post_id, value=cap)
                )
            else:
                caps[post_id] = cap
    elif isinstance(max_staff, int) and max_staff >= 1:
        caps = dict.fromkeys(posts, max_staff)
    else:
        issues.append(
            Issue(
                "max_staff", "cap must be a whole number >= 1", value=max_staff, allowed="1, 2, ..."
            )
        )
    if issues:
        raise InputError(issues)
    return caps


def _check_channels(config: BranchConfig, used: tuple[str, ...]) -> None:
    issues = []
    for i, channel in enumerate(config.channels):
        if channel.id in used:
            for problem in channel_problems(channel):
                issues.append(
                    Issue("<config>", problem, location=f"channels[{i}]", value=channel.id)
                )
    if issues:
        raise InputError(issues)


def _forecast_horizon(
    per_hour: Mapping[tuple[str, pd.Timestamp], float], config: BranchConfig
) -> Horizon:
    if not per_hour:
        raise InputError(
            [
                Issue(
                    FORECAST_SOURCE,
                    f"the forecast has no rows for branch {config.branch.id}; give a horizon",
                    allowed="a forecast with rows, or horizon=Horizon(...)",
                )
            ]
        )
    days = sorted({ds.date() for _, ds in per_hour})
    return Horizon(days[0], (days[-1] - days[0]).days + 1)


@dataclass
class _Cell:
    """One (slot, post) of the frame while its floors are being settled."""

    post: Post
    needs: list[ChannelNeed]
    traffic: int
    floor: int
    floor_reasons: list[str]
    unmet: list[str]

    @classmethod
    def of(cls, post: Post, needs: list[ChannelNeed], cap: int) -> _Cell:
        """The cell's traffic need (capped) and its own minimum."""
        traffic = sum(n.staff for n in needs)
        unmet = [n.shortfall for n in needs if not n.met]
        if traffic > cap:  # several channels on one post: their sum cannot exceed the cap
            unmet.append(f"{post.id}: the channels need {traffic} people, at most {cap} can")
            traffic = cap
        reasons = ["floor: min staff"] if post.min_staff else []
        return cls(post, needs, traffic, post.min_staff, reasons, unmet)

    @property
    def required(self) -> int:
        """People the roster must cover: the larger of traffic and floor."""
        return max(self.traffic, self.floor)

    @property
    def reason(self) -> str:
        """Why ``required`` is what it is."""
        if self.unmet:
            return "unmeetable: " + "; ".join(self.unmet)
        if self.floor > self.traffic:
            return "; ".join(self.floor_reasons)
        return "traffic" if self.traffic > 0 else "no traffic"


def _apply_floors(config: BranchConfig, cells: list[_Cell]) -> None:
    """Raise floors for authoriser posts whose supervised posts need anyone in the slot."""
    by_post = {c.post.id: c for c in cells}
    kinds = {p.id: p.kind for p in config.posts}
    for _ in range(len(config.authorisers) + 1):  # repeat so chains of authorisers settle
        changed = False
        for auth in config.authorisers:
            busy = [p for p in auth.supervises if by_post[p].required > 0]
            cell = by_post[auth.post]
            if busy and cell.floor < 1:
                cell.floor = 1
                tellers = all(kinds[p] == PostKind.TELLER for p in busy)
                cell.floor_reasons.append(
                    f"authoriser for {'tellers' if tellers else ', '.join(busy)}"
                )
                changed = True
        if not changed:
            break


def _row(
    config: BranchConfig, day: dt.date, ds: pd.Timestamp, cell: _Cell, max_wait_min: float
) -> dict[str, object]:
    """The frame row of a settled cell, with waits and service level at ``required``."""
    needs, required = cell.needs, cell.required
    arrivals = sum(n.arrivals for n in needs)
    wait = one_short = 0.0
    service_level = math.nan
    if arrivals > 0:
        split = _split(needs, required)
        stats = [n.stats(k) for n, k in zip(needs, split, strict=True)]
        wait = _mean_wait(needs, stats, max_wait_min)
        weighted = sum(n.arrivals * s.service_level for n, s in zip(needs, stats, strict=True))
        service_level = weighted / arrivals
        one_short = wait
        if required > 0:
            one_short = min(
                _mean_wait(
                    needs, [*stats[:i], needs[i].stats(k - 1), *stats[i + 1 :]], max_wait_min
                )
                for i, k in enumerate(split)
                if k > 0
            )
    return {
        "branch": config.branch.id,
        "date": day,
        "ds": ds,
        "post": cell.post.id,
        "required": required,
        "traffic_required": cell.traffic,
        "floor_required": cell.floor,
        "arrivals": arrivals,
        "workload_erlangs": sum(n.rate * n.channel.aht_minutes for n in needs),
        "expected_wait_min": wait,
        "wait_one_short_min": one_short,
        "service_level": service_level,
        "unmeetable": bool(cell.unmet),
        "reason": cell.reason,
    }


def _split(needs: list[ChannelNeed], people: int) -> list[int]:
    """Share ``people`` among a post's channels: each its own need, extras where waits are worst."""
    split = [n.staff for n in needs]
    while sum(split) > people:  # capped post: take from the channel with the most people
        i = max(range(len(split)), key=lambda j: split[j])
        split[i] -= 1
    for _ in range(people - sum(split)):
        waits = [n.arrivals * n.stats(k).mean_wait for n, k in zip(needs, split, strict=True)]
        split[max(range(len(split)), key=lambda j: waits[j])] += 1
    return split


def _mean_wait(needs: list[ChannelNeed], stats: list[QueueStats], cap: float) -> float:
    arrivals = sum(n.arrivals for n in needs)
    total = sum(n.arrivals * min(s.mean_wait, cap) for n, s in zip(needs, stats, strict=True))
    return total / arrivals


# Rules about who is on shift ------------------------------------------------------------------


def floor_checks(config: BranchConfig, horizon: Horizon) -> pd.DataFrame:
    """Per-slot needs that the roster enforces from the configuration, for reports.

    Manager on duty (``config.duty_cover``): ``people`` qualified people on shift in every
    open slot. Dual control (``config.dual_control``): ``people`` qualified people together
    at opening (listed on the first open slot of the day) and at closing (the last).

    Returns:
        A frame with :data:`FLOOR_CHECK_COLUMNS`; ``qualified_posts`` is a comma-separated
        list of post ids; ``rule`` is the rule's name (with " at opening"/" at closing" for
        dual control).
    """
    calendar = BranchCalendar(config.branch)
    rows: list[dict[str, object]] = []
    for day in horizon.dates:
        slots = calendar.slots(day)
        if not slots:
            continue
        for start in slots:
            for cover in config.duty_cover:
                rows.append(_check_row(day, start, cover.name, cover.people, cover.qualified_posts))
        for task in config.dual_control:
            for moment in task.at:
                start = slots[0] if moment == DualControlMoment.OPENING else slots[-1]
                rows.append(
                    _check_row(
                        day,
                        start,
                        f"{task.name} at {moment.value}",
                        task.people,
                        task.qualified_posts,
                    )
                )
    frame = pd.DataFrame(rows, columns=list(FLOOR_CHECK_COLUMNS))
    return frame.sort_values(["ds", "rule"], kind="stable", ignore_index=True)


def _check_row(
    day: dt.date, start: dt.datetime, rule: str, people: int, posts: list[str]
) -> dict[str, object]:
    return {
        "date": day,
        "ds": pd.Timestamp(start),
        "rule": rule,
        "people": people,
        "qualified_posts": ",".join(posts),
    }


# Trough hours ------------------------------------------------------------------------------


def troughs(
    requirements: pd.DataFrame,
    present: pd.DataFrame,
    slot_minutes: int | None = None,
    timezone: str | None = None,
) -> pd.DataFrame:
    """Free capacity per slot and post, labelled for training or outreach.

    ``free = present - required``. Where it is positive, that many people on the post are
    not needed by traffic or rules in that slot and can go to training or outreach (外拓)
    while the post still meets its service target and floors ("training or outreach");
    where it is negative, the post is short ("short"); otherwise "".

    Args:
        requirements: The requirement frame.
        present: Staff per slot: a coverage frame (``ds``, ``post``, ``assigned``) or a
            roster in :data:`scheduler.frames.ASSIGNMENT_COLUMNS` (a person counts on a post
            in a slot when one of their ``post`` blocks covers the whole slot).
        slot_minutes: Slot length for a roster; by default the spacing of the requirement
            frame's ``ds`` (60 when it has one slot per day).
        timezone: The branch's time zone: times with a zone in either frame are converted to
            it and compared as local times (without it, each keeps its own wall-clock time).

    Returns:
        A frame with :data:`TROUGH_COLUMNS`, one row per requirement row.
    """
    req = requirements.reset_index(drop=True)[["date", "ds", "post", "required"]].copy()
    req["ds"] = _local(req["ds"], timezone)
    present = present.reset_index(drop=True)
    if "assigned" in present.columns:
        counts = present.assign(ds=_local(present["ds"], timezone))
        counts = counts.groupby(["ds", "post"], as_index=False)["assigned"].sum()
        counts = counts.rename(columns={"assigned": "present"})
    else:
        counts = _count_on_post(present, req["ds"], slot_minutes or _spacing(req["ds"]))
    out = req.merge(counts, on=["ds", "post"], how="left")
    out["present"] = out["present"].fillna(0).astype("int64")
    out["free"] = out["present"] - out["required"].astype("int64")
    out["use"] = [
        "training or outreach" if f > 0 else ("short" if f < 0 else "") for f in out["free"]
    ]
    return out[list(TROUGH_COLUMNS)]


def _local(ds: pd.Series, timezone: str | None) -> pd.Series:
    """Times as naive local times (see :func:`troughs`)."""
    stamps = pd.to_datetime(ds)
    if getattr(stamps.dt, "tz", None) is None:
        return stamps
    if timezone is not None:
        stamps = stamps.dt.tz_convert(timezone)
    return stamps.dt.tz_localize(None)


def _spacing(ds: pd.Series) -> int:
    stamps = sorted(set(ds))
    gaps = [
        int((b - a).total_seconds() // 60)
        for a, b in itertools.pairwise(stamps)
        if a.date() == b.date()
    ]
    return min(gaps) if gaps else 60


def _count_on_post(roster: pd.DataFrame, slots: pd.Series, slot_minutes: int) -> pd.DataFrame:
    from scheduler.staffing.simulation import block_minutes

    on_post = roster[roster["activity"] == "post"]
    counts: dict[tuple[pd.Timestamp, str], int] = {}
    wanted = set(slots)
    for r in on_post.itertuples():
        day = pd.Timestamp(r.date).normalize()  # type: ignore[arg-type]
        lo, hi = block_minutes(r.start, r.end)
        first = lo + (-lo) % slot_minutes
        for m in range(first, hi - slot_minutes + 1, slot_minutes):
            ds = day + pd.Timedelta(minutes=m)
            if ds in wanted:
                counts[(ds, str(r.post))] = counts.get((ds, str(r.post)), 0) + 1
    return pd.DataFrame(
        [(ds, post, n) for (ds, post), n in counts.items()], columns=["ds", "post", "present"]
    )


def unmeetable_slots(requirements: pd.DataFrame) -> pd.DataFrame:
    """The rows of a requirement frame where no staff number reaches the target."""
    return requirements[requirements["unmeetable"].astype(bool)].reset_index(drop=True)
