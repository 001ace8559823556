"""Replay a day's forecast arrivals against a roster to predict waits hour by hour.

The Erlang formulas describe a queue that has run for ever at constant traffic and staffing.
A branch day is not like that: it opens empty, a queue built in a busy hour is still there
in the next, and lunch breaks take people off the counter. This module simulates the day
instead:

* customers of each channel arrive as a Poisson process at the forecast rate of each hour
  (the hour's count is Poisson, arrival times uniform within the hour);
* service times are exponential with the channel's handling time; when the channel has a
  patience, each waiting customer gives up after an exponential time with that mean;
* the people serving are those on ``post`` blocks of the roster whose post lists the
  channel (all such posts, not only the one that carries the requirement); ``break`` and
  ``free`` blocks do not serve. A person serving several channels takes the customer who
  has waited longest among them (first come, first served across the person's channels);
* a person whose block ends finishes the customer in hand, then stops; a customer nobody
  is left to serve gives up after their patience, or, without patience, is counted as
  having given up when the day's last event (the last service or block end) has passed;
* shrinkage (the share of on-post time spent on other work) slows the person down: with
  ``shrinkage=True`` (the default) service times have mean ``aht / (1 - shrinkage)``, so a
  post's serving capacity is ``(1 - shrinkage)`` of its head count, as in the requirement
  frame; with ``shrinkage=False`` everyone on post serves at full speed.

The engine is a small discrete-event loop (a heap of timed events), written here rather
than taken from simpy or ciw: a multi-server first-come-first-served queue with a server
count that changes with the roster and with abandonment is about a hundred lines, and the
loop stays readable and fast without a dependency.

Results are averaged over ``replications`` independent days drawn from one seeded random
generator, so a seed always gives the same frame.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scheduler.domain import BranchConfig, Channel
from scheduler.errors import InputError, Issue
from scheduler.frames import ASSIGNMENT_COLUMNS, SIMULATION_COLUMNS
from scheduler.staffing.inputs import FORECAST_SOURCE, read_rates

ASSIGNMENTS_SOURCE = "<assignments>"
"""The source name used in messages about the roster frame."""

DEFAULT_REPLICATIONS = 20
"""Simulated days averaged per date."""


def block_minutes(start: object, end: object) -> tuple[int, int]:
    """Start and end of a roster block in minutes since midnight (``24:00`` is 1440).

    Accepts ``HH:MM`` text, ``datetime.time`` (``time.max`` is the end of the day) and
    timestamps.

    Raises:
        ValueError: If either value is not a time of day.
    """
    return _minute(start), _minute(end, end_of_day=True)


def _minute(value: object, end_of_day: bool = False) -> int:
    if isinstance(value, dt.datetime | pd.Timestamp):
        value = value.time()
    if isinstance(value, dt.time):
        if value == dt.time.max:
            return 24 * 60
        return value.hour * 60 + value.minute
    text = str(value).strip()
    parts = text.split(":")
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1][:2].isdigit():
        raise ValueError(f"not a time of day: {value!r}")
    minute = int(parts[0]) * 60 + int(parts[1][:2])
    if minute > 24 * 60 or (minute == 24 * 60 and not end_of_day):
        raise ValueError(f"time out of range: {value!r}")
    return minute


@dataclass
class _Customer:
    channel: int
    hour: int
    arrival: float
    service: float
    patience: float
    wait: float = -1.0
    served: bool = False
    gone: bool = False


@dataclass
class _Server:
    channels: frozenset[int] = frozenset()
    blocks: int = 0
    busy: bool = False
    active: list[frozenset[int]] = field(default_factory=list)


_ARRIVE, _DONE, _ABANDON, _ON, _OFF = 0, 1, 2, 3, 4
# At equal times, people leave before others arrive (a block ending at 12:00 and a break
# starting at 12:00 do not overlap) and service completions free a server first.
_ORDER = {_OFF: 0, _DONE: 1, _ON: 2, _ARRIVE: 3, _ABANDON: 4}


@dataclass(frozen=True)
class _DayPlan:
    """What is fixed for one date: arrival rates and the roster's serving blocks."""

    hours: list[int]  # hours (0-23) with forecast rows
    rates: dict[tuple[int, int], float]  # (channel index, hour) -> arrivals in the hour
    blocks: list[tuple[int, int, int, frozenset[int]]]  # (server, start, end, channels)


def _simulate_day(
    plan: _DayPlan, channels: list[Channel], rng: np.random.Generator, shrinkage: bool
) -> list[_Customer]:
    """One simulated day; returns every customer with their outcome."""
    customers: list[_Customer] = []
    for (c, hour), per_hour in sorted(plan.rates.items()):
        count = int(rng.poisson(per_hour)) if per_hour > 0 else 0
        if not count:
            continue
        times = np.sort(rng.uniform(hour * 60.0, hour * 60.0 + 60.0, count))
        speed = 1.0 - channels[c].shrinkage if shrinkage else 1.0
        services = rng.exponential(channels[c].aht_minutes / speed, count)
        patience = channels[c].patience_minutes
        waits = rng.exponential(patience, count) if patience else np.full(count, math.inf)
        customers.extend(
            _Customer(c, hour, float(t), float(s), float(p))
            for t, s, p in zip(times, services, waits, strict=True)
        )
    events: list[tuple[float, int, int, int]] = []  # (time, order, seq, payload)
    seq = 0

    def push(time: float, kind: int, payload: int) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (time, _ORDER[kind], seq, payload * 8 + kind))

    servers = [_Server() for _ in range(1 + max((b[0] for b in plan.blocks), default=-1))]
    for b, (_, start, end, _) in enumerate(plan.blocks):
        push(float(start), _ON, b)
        push(float(end), _OFF, b)
    for i, cust in enumerate(customers):
        push(cust.arrival, _ARRIVE, i)
    queues: list[deque[int]] = [deque() for _ in channels]
    idle: list[set[int]] = [set() for _ in channels]  # idle servers per channel
    now = 0.0

    def start_service(s: int, i: int) -> None:
        cust = customers[i]
        cust.wait = now - cust.arrival
        cust.served = True
        servers[s].busy = True
        for c in servers[s].channels:
            idle[c].discard(s)
        push(now + cust.service, _DONE, s)

    def pull(s: int) -> None:
        """Give idle server ``s`` the longest-waiting customer among its channels."""
        best, best_c = None, -1
        for c in servers[s].channels:
            q = queues[c]
            while q and customers[q[0]].gone:
                q.popleft()
            if q and (best is None or customers[q[0]].arrival < customers[best].arrival):
                best, best_c = q[0], c
        if best is None:
            for c in servers[s].channels:
                idle[c].add(s)
            return
        queues[best_c].popleft()
        customers[best].gone = True
        start_service(s, best)

    def set_channels(s: int) -> None:
        server = servers[s]
        for c in server.channels:
            idle[c].discard(s)
        server.channels = frozenset().union(*server.active) if server.active else frozenset()

    while events:
        now, _, _, code = heapq.heappop(events)
        kind, payload = code % 8, code // 8
        if kind == _ARRIVE:
            cust = customers[payload]
            free = idle[cust.channel]
            if free:
                start_service(min(free), payload)
            else:
                queues[cust.channel].append(payload)
                if math.isfinite(cust.patience):
                    push(now + cust.patience, _ABANDON, payload)
        elif kind == _ABANDON:
            cust = customers[payload]
            if not cust.gone:
                cust.gone = True
                cust.wait = cust.patience
        elif kind == _DONE:
            servers[payload].busy = False
            if servers[payload].channels:
                pull(payload)
        elif kind == _ON:
            s, _, _, chans = plan.blocks[payload]
            servers[s].active.append(chans)
            set_channels(s)
            if not servers[s].busy:
                pull(s)
        else:  # _OFF
            s, _, _, chans = plan.blocks[payload]
            servers[s].active.remove(chans)
            set_channels(s)
            if not servers[s].busy and servers[s].channels:
                pull(s)
    for cust in customers:  # nobody left to serve them: they leave unserved
        if not cust.served and cust.wait < 0:
            cust.gone = True
            cust.wait = max(0.0, now - cust.arrival)
    return customers


def _plans(
    rates: dict[tuple[str, pd.Timestamp], float],
    assignments: pd.DataFrame,
    config: BranchConfig,
    channel_index: dict[str, int],
) -> dict[dt.date, _DayPlan]:
    """Per date: the forecast hours and the serving blocks of the roster."""
    issues: list[Issue] = []
    check = [c for c in ASSIGNMENT_COLUMNS if c not in assignments.columns]
    if check:
        raise InputError(
            [
                Issue(
                    ASSIGNMENTS_SOURCE,
                    f"the roster lacks column(s) {', '.join(check)}",
                    allowed=", ".join(ASSIGNMENT_COLUMNS),
                )
            ]
        )
    serves = {p.id: frozenset(channel_index[c] for c in p.channels if c in channel_index)
              for p in config.posts}  # fmt: skip
    people: dict[str, int] = {}
    blocks: dict[dt.date, list[tuple[int, int, int, frozenset[int]]]] = {}
    for row, r in enumerate(assignments.itertuples(index=False), start=2):
        if r.activity != "post":
            continue
        post = str(r.post)
        if post not in serves:
            issues.append(
                Issue(ASSIGNMENTS_SOURCE, "unknown post", row, "post", post, ", ".join(serves))
            )
            continue
        try:
            start, end = block_minutes(r.start, r.end)
            day = pd.Timestamp(r.date).date()  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            issues.append(Issue(ASSIGNMENTS_SOURCE, str(exc), row, "start", f"{r.start}-{r.end}"))
            continue
        if end <= start or not serves[post]:
            continue
        server = people.setdefault(str(r.staff_id), len(people))
        blocks.setdefault(day, []).append((server, start, end, serves[post]))
    if issues:
        raise InputError(issues)
    plans: dict[dt.date, _DayPlan] = {}
    for (channel, ds), value in rates.items():
        day = ds.date()
        if day not in plans:
            plans[day] = _DayPlan([], {}, blocks.get(day, []))
        plan = plans[day]
        if ds.hour not in plan.hours:
            plan.hours.append(ds.hour)
        plan.rates[(channel_index[channel], ds.hour)] = value
    return plans


def _staff_serving(
    blocks: Iterable[tuple[int, int, int, frozenset[int]]], channel: int, hour: int
) -> float:
    """Time-averaged number of people serving ``channel`` during ``hour``."""
    lo, hi = hour * 60, hour * 60 + 60
    minutes = sum(max(0, min(e, hi) - max(s, lo)) for _, s, e, ch in blocks if channel in ch)
    return minutes / 60.0


def _in_order(assignments: pd.DataFrame) -> pd.DataFrame:
    """The roster's rows in one order whatever order they came in, so a seed decides the draws."""
    columns = [
        c
        for c in ("date", "staff_id", "start", "end", "activity", "post")
        if c in assignments.columns
    ]
    if not columns:
        return assignments
    return assignments.sort_values(
        columns, key=lambda values: values.astype(str), kind="stable"
    ).reset_index(drop=True)


def simulate(
    forecast: pd.DataFrame,
    assignments: pd.DataFrame,
    config: BranchConfig,
    seed: int = 0,
    level: str = "mean",
    replications: int = DEFAULT_REPLICATIONS,
    *,
    shrinkage: bool = True,
    source: str = FORECAST_SOURCE,
) -> pd.DataFrame:
    """Simulate every forecast day against a roster and report each hour and channel.

    Args:
        forecast: Hourly forecast (:data:`scheduler.frames.FORECAST_COLUMNS`).
        assignments: The roster (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`).
        config: The branch configuration (channels, posts).
        seed: Seed of the random generator; the same seed gives the same frame.
        level: Forecast column giving the arrival rates (``mean``, ``hi-80``, ...).
        replications: Simulated days averaged per date (>= 1).
        shrinkage: Stretch service times by ``1 / (1 - shrinkage)`` of the channel.
        source: Name of the forecast in error messages.

    Returns:
        A frame with :data:`scheduler.frames.SIMULATION_COLUMNS`, one row per forecast date,
        hour and channel. ``arrivals``, ``served``, ``abandoned`` and ``staff_serving`` are
        means over replications; ``mean_wait_min`` (time in queue, until service or until
        giving up), ``served_within_target`` (served after waiting at most the channel's
        target time) and ``abandonment_rate`` are over every customer of every replication
        who arrived in the hour (NaN when none did).

    Raises:
        InputError: Bad forecast or roster.
        ValueError: If ``replications`` < 1.
    """
    if replications < 1:
        raise ValueError(f"replications must be >= 1, not {replications}")
    rates = read_rates(forecast, config, level, source)
    channels = [config.channel(c) for c in rates.channels]
    channel_index = {c.id: i for i, c in enumerate(channels)}
    plans = _plans(rates.per_hour, _in_order(assignments), config, channel_index)
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for day in sorted(plans):
        plan = plans[day]
        shape = (len(channels), 24)
        arrivals = np.zeros(shape)
        served = np.zeros(shape)
        abandoned = np.zeros(shape)
        waited = np.zeros(shape)
        within = np.zeros(shape)
        for _ in range(replications):
            for cust in _simulate_day(plan, channels, rng, shrinkage):
                key = (cust.channel, cust.hour)
                arrivals[key] += 1
                waited[key] += cust.wait
                if cust.served:
                    served[key] += 1
                    if cust.wait <= channels[cust.channel].target.within_minutes:
                        within[key] += 1
                else:
                    abandoned[key] += 1
        for hour in sorted(plan.hours):
            for c, channel in enumerate(channels):
                if (c, hour) not in plan.rates:
                    continue
                n = arrivals[c, hour]
                rows.append(
                    {
                        "date": day,
                        "ds": pd.Timestamp(day) + pd.Timedelta(hours=hour),
                        "channel": channel.id,
                        "arrivals": n / replications,
                        "served": served[c, hour] / replications,
                        "abandoned": abandoned[c, hour] / replications,
                        "staff_serving": _staff_serving(plan.blocks, c, hour),
                        "mean_wait_min": waited[c, hour] / n if n else math.nan,
                        "served_within_target": within[c, hour] / n if n else math.nan,
                        "abandonment_rate": abandoned[c, hour] / n if n else math.nan,
                    }
                )
    return pd.DataFrame(rows, columns=list(SIMULATION_COLUMNS))
