"""Exact queueing formulas for one channel: Erlang C (M/M/n) and Erlang A (M/M/n+M).

Units: rates are customers per minute, times are minutes. The offered load ``a`` (Erlangs) is
the arrival rate times the average handling time.

Numerical method:

* Erlang B is computed by its recursion ``B(k) = a B(k-1) / (k + a B(k-1))``, which never forms
  a factorial or a power and is stable for loads of several hundred Erlangs.
* Erlang C follows from Erlang B: ``C = n B / (n - a (1 - B))``.
* Erlang A (customers abandon after an exponential patience of mean ``1/theta``) is the exact
  birth-death solution of Mandelbaum and Zeltyn. With ``x = n mu / theta`` and
  ``y = lambda / theta``, the queue part of the stationary distribution sums to
  ``A(x, y) = Gamma(x + 1) e^y y^-x P(x, y)`` where ``P`` is the regularised lower incomplete
  gamma function. ``A`` is handled in log space (``P`` via ``scipy.special.gammainc``, or its
  power series when ``P`` would underflow), so it neither overflows nor underflows.

Definitions used throughout (they are what the requirement frame and the simulation report):

* ``p_wait``: probability that an arriving customer finds every server busy.
* ``service_level(t)``: share of *all* arrivals who start service after waiting at most ``t``
  minutes. Under Erlang A a customer who abandons, even before ``t``, is not served within
  ``t``; under Erlang C nobody abandons.
* ``mean_wait``: mean time in the queue over all arrivals (those served at once count zero,
  those who abandon count the time until they leave). Under Erlang A this equals
  ``abandonment * patience`` (Little's law on the abandonment stream).
* ``abandonment``: share of arrivals who give up before service (0 under Erlang C).
* ``occupancy``: share of server time busy: ``a (1 - abandonment) / n``.

An Erlang C queue with ``n <= a`` has no steady state: its ``p_wait`` is 1, its service level
0 and its mean wait infinite.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from scipy.special import gammainc, gammaln

_TINY_P = 1e-250
"""Below this value of P(x, y) the power series is used instead of ``gammainc``."""


@dataclass(frozen=True)
class QueueStats:
    """Steady-state measures of one queue with a given number of servers.

    Attributes:
        servers: Number of servers ``n``.
        load: Offered load in Erlangs (arrival rate x handling time).
        p_wait: Probability that an arrival has to wait.
        service_level: Share of arrivals served after waiting at most ``within`` minutes.
        within: The waiting-time threshold the service level refers to (minutes).
        mean_wait: Mean wait in minutes over all arrivals (``inf`` when unstable).
        abandonment: Share of arrivals who give up (Erlang A; 0 for Erlang C).
        occupancy: Share of server time spent serving.
    """

    servers: int
    load: float
    p_wait: float
    service_level: float
    within: float
    mean_wait: float
    abandonment: float
    occupancy: float

    @property
    def stable(self) -> bool:
        """Whether the mean wait is finite."""
        return math.isfinite(self.mean_wait)


# Erlang B and C -------------------------------------------------------------------------------


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of the M/M/n/n loss system (Erlang B).

    Args:
        servers: Number of servers (>= 0).
        load: Offered load in Erlangs (>= 0).

    Returns:
        The probability that all servers are busy.

    Raises:
        ValueError: On a negative argument.
    """
    _check(servers, load)
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def erlang_b_series(load: float, start: int = 0) -> Iterator[tuple[int, float]]:
    """Yield ``(n, B(n, load))`` for ``n = start, start + 1, ...`` without recomputation.

    Used by the staffing search, which tries one server more at a time.
    """
    _check(start, load)
    b = erlang_b(start, load)
    n = start
    while True:
        yield n, b
        n += 1
        b = load * b / (n + load * b)


def erlang_c_from_b(servers: int, load: float, blocking: float) -> float:
    """Erlang C (probability of waiting) from the Erlang B value for the same ``n`` and ``a``."""
    if load <= 0:
        return 0.0
    if servers <= load:
        return 1.0
    return servers * blocking / (servers - load * (1.0 - blocking))


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits in an M/M/n queue (Erlang C).

    Args:
        servers: Number of servers (>= 0).
        load: Offered load in Erlangs (>= 0).

    Returns:
        The probability of waiting; 1 when ``servers <= load`` (no steady state).
    """
    return erlang_c_from_b(servers, load, erlang_b(servers, load))


def erlang_c_stats(
    servers: int, rate: float, aht: float, within: float, *, blocking: float | None = None
) -> QueueStats:
    """Every Erlang C measure for ``servers`` servers.

    Args:
        servers: Number of servers.
        rate: Arrivals per minute.
        aht: Average handling time in minutes (> 0).
        within: Waiting-time threshold of the service level, minutes (>= 0).
        blocking: Erlang B value for (servers, load) when already known.

    Returns:
        The queue's measures; ``service_level = 1 - C exp(-(n - a) t / aht)``,
        ``mean_wait = C aht / (n - a)``.
    """
    _check_rates(rate, aht, within)
    load = rate * aht
    if load == 0:
        return QueueStats(servers, 0.0, 0.0, 1.0, within, 0.0, 0.0, 0.0)
    if servers <= load:
        return QueueStats(servers, load, 1.0, 0.0, within, math.inf, 0.0, 1.0)
    b = erlang_b(servers, load) if blocking is None else blocking
    c = erlang_c_from_b(servers, load, b)
    excess = servers - load
    service_level = 1.0 - c * math.exp(-excess * within / aht)
    return QueueStats(
        servers=servers,
        load=load,
        p_wait=c,
        service_level=_unit(service_level),
        within=within,
        mean_wait=c * aht / excess,
        abandonment=0.0,
        occupancy=load / servers,
    )


# Erlang A ------------------------------------------------------------------------------------


def _stirling_part(x: float) -> float:
    """``log Gamma(x + 1) - (x log x - x)`` without the cancellation of the direct formula."""
    if x < 10:
        return float(gammaln(x + 1.0)) - (x * math.log(x) - x if x > 0 else 0.0)
    inv = 1.0 / x
    inv2 = inv * inv
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    return 0.5 * math.log(2 * math.pi * x) + series


def _log_power_term(x: float, y: float) -> float:
    """``log(y^x e^-y / Gamma(x + 1))``, the Poisson-like prefactor, computed stably."""
    if y == 0:
        return -math.inf
    r = y / x
    # r - 1 - log r >= 0; log1p keeps its precision when r is near 1
    deviance = (r - 1.0) - (math.log1p(r - 1.0) if r > 0.5 else math.log(r))
    return -x * deviance - _stirling_part(x)


def log_gammainc(x: float, y: float) -> float:
    """``log P(x, y)``, the log of the regularised lower incomplete gamma function.

    Uses ``scipy.special.gammainc`` where its value is representable and the power series
    ``P(x, y) = y^x e^-y / Gamma(x + 1) * sum_j y^j / ((x + 1)...(x + j))`` below that (the
    series converges fast there because ``y`` is then much smaller than ``x``).

    Args:
        x: Shape, > 0.
        y: Argument, >= 0.
    """
    if y <= 0:
        return -math.inf
    p = float(gammainc(x, y))
    if p > _TINY_P:
        return math.log(p)
    total, term, j = 1.0, 1.0, 0
    while term > 1e-17 * total:
        j += 1
        term *= y / (x + j)
        total += term
    return _log_power_term(x, y) + math.log(total)


def _log_a(x: float, y: float) -> float:
    """``log A(x, y)`` with ``A = sum_j prod_{i<=j} y / (x + i)`` (the queue-part sum)."""
    return log_gammainc(x, y) - _log_power_term(x, y)


def erlang_a_stats(
    servers: int,
    rate: float,
    aht: float,
    patience: float,
    within: float,
    *,
    blocking: float | None = None,
) -> QueueStats:
    """Every Erlang A (M/M/n+M) measure for ``servers`` servers, exactly.

    Args:
        servers: Number of servers.
        rate: Arrivals per minute.
        aht: Average handling time in minutes (> 0).
        patience: Mean patience in minutes (> 0): waiting customers give up after an
            exponential time with this mean.
        within: Waiting-time threshold of the service level, minutes (>= 0).
        blocking: Erlang B value for (servers, load) when already known.

    Returns:
        The queue's measures (see the module docstring for their definitions). With
        ``x = n patience / aht``, ``y = rate * patience``, ``rho = a / n``, ``E`` the Erlang B
        value and ``A = A(x, y)``: ``p_wait = A E / (1 + (A - 1) E)``,
        ``abandonment = p_wait (1 - 1/rho + 1/(rho A))``, ``mean_wait = abandonment *
        patience`` and ``service_level(t) = 1 - p_wait + p_wait (x / y)
        [P(x + 1, y) - P(x + 1, y e^{-t / patience})] / P(x, y)`` (the last term integrates
        the offered wait's density, weighted by the chance of not giving up before it).
    """
    _check_rates(rate, aht, within)
    if patience <= 0:
        raise ValueError(f"patience must be > 0 minutes, not {patience}")
    load = rate * aht
    if load == 0:
        return QueueStats(servers, 0.0, 0.0, 1.0, within, 0.0, 0.0, 0.0)
    if servers == 0:
        return QueueStats(0, load, 1.0, 0.0, within, patience, 1.0, 0.0)
    theta = 1.0 / patience
    x = servers / aht / theta  # n mu / theta
    y = rate / theta  # lambda / theta
    b = erlang_b(servers, load) if blocking is None else blocking
    log_a = _log_a(x, y)
    # p_wait = A E / (1 - E + A E), written with 1/A so that a huge A cannot overflow.
    inv_a = math.exp(-log_a) if log_a < 700 else 0.0
    p_wait = b / (b + (1.0 - b) * inv_a)
    rho = load / servers
    abandonment = p_wait * (1.0 - 1.0 / rho + inv_a / rho) if b > 0 else 0.0
    abandonment = _unit(abandonment)
    log_p = log_gammainc(x, y)
    served_by_t = _ratio(log_gammainc(x + 1.0, y), log_p)
    if within > 0:
        served_by_t -= _ratio(log_gammainc(x + 1.0, y * math.exp(-within * theta)), log_p)
    else:
        served_by_t = 0.0
    service_level = 1.0 - p_wait + p_wait * (x / y) * served_by_t
    return QueueStats(
        servers=servers,
        load=load,
        p_wait=_unit(p_wait),
        service_level=_unit(service_level),
        within=within,
        mean_wait=abandonment * patience,
        abandonment=abandonment,
        occupancy=min(1.0, load * (1.0 - abandonment) / servers),
    )


def queue_stats(
    servers: int,
    rate: float,
    aht: float,
    within: float,
    patience: float | None = None,
    *,
    blocking: float | None = None,
) -> QueueStats:
    """Erlang A when ``patience`` is given, else Erlang C."""
    if patience is None:
        return erlang_c_stats(servers, rate, aht, within, blocking=blocking)
    return erlang_a_stats(servers, rate, aht, patience, within, blocking=blocking)


# Staffing search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingAnswer:
    """The smallest number of servers that meets a target, or why none does.

    Attributes:
        servers: Servers needed; when the target is unmeetable, the cap that was tried.
        stats: The queue's measures with ``servers`` servers.
        met: Whether the target is met.
        shortfall: Empty when met, else what the best tried number still misses.
    """

    servers: int
    stats: QueueStats
    met: bool
    shortfall: str = ""


def meets(stats: QueueStats, service_level: float, max_abandonment: float | None = None) -> bool:
    """Whether measures reach a service-level target (and an abandonment cap when given).

    An unstable Erlang C queue never meets a target, whatever its nominal service level.
    """
    if stats.load > 0 and not stats.stable:
        return False
    if stats.service_level < service_level:
        return False
    return max_abandonment is None or stats.abandonment <= max_abandonment


def servers_needed(
    rate: float,
    aht: float,
    service_level: float,
    within: float,
    patience: float | None = None,
    max_abandonment: float | None = None,
    *,
    max_servers: int = 1000,
) -> StaffingAnswer:
    """The smallest number of servers meeting a service-level target.

    The search starts at the first stable number, ``floor(a) + 1``, for Erlang C (fewer
    servers never meet a target) and at one server for Erlang A, and adds one server at a
    time; service level rises and abandonment falls with every server added, so the first
    number that meets the target is the smallest.

    Args:
        rate: Arrivals per minute.
        aht: Average handling time in minutes.
        service_level: Target share served within ``within`` minutes, 0 < x < 1.
        within: Waiting-time threshold, minutes.
        patience: Mean patience in minutes (Erlang A), or ``None`` (Erlang C).
        max_abandonment: Most share of arrivals allowed to give up (Erlang A only).
        max_servers: The search stops here; beyond it the answer is marked unmet.

    Returns:
        The answer; ``met`` is false when even ``max_servers`` servers miss the target.

    Raises:
        ValueError: On a target outside (0, 1) or a non-positive handling time.
    """
    _check_rates(rate, aht, within)
    if not 0 < service_level < 1:
        raise ValueError(f"service level must be between 0 and 1 (exclusive), not {service_level}")
    if max_abandonment is not None and not 0 < max_abandonment < 1:
        raise ValueError(f"max abandonment must be between 0 and 1, not {max_abandonment}")
    if max_servers < 0:
        raise ValueError(f"max_servers must be >= 0, not {max_servers}")
    load = rate * aht
    if load == 0:
        return StaffingAnswer(0, queue_stats(0, rate, aht, within, patience), True)
    start = math.floor(load) + 1 if patience is None else 1
    if start > max_servers:
        capped = queue_stats(max_servers, rate, aht, within, patience)
        return StaffingAnswer(
            max_servers, capped, False, _shortfall(capped, service_level, max_abandonment)
        )
    for n, b in erlang_b_series(load, start):
        stats = queue_stats(n, rate, aht, within, patience, blocking=b)
        if meets(stats, service_level, max_abandonment) or n >= max_servers:
            break
    if meets(stats, service_level, max_abandonment):
        return StaffingAnswer(stats.servers, stats, True)
    return StaffingAnswer(
        stats.servers, stats, False, _shortfall(stats, service_level, max_abandonment)
    )


def _shortfall(stats: QueueStats, service_level: float, max_abandonment: float | None) -> str:
    servers = f"{stats.servers} server{'s' if stats.servers != 1 else ''}"
    if not stats.stable:
        return f"{servers} cannot keep up with {stats.load:.1f} Erlangs of work"
    if stats.service_level < service_level:
        return (
            f"with {servers} only {stats.service_level:.0%} are served within "
            f"{stats.within:g} min (target {service_level:.0%})"
        )
    return (
        f"with {servers} {stats.abandonment:.1%} of customers give up "
        f"(at most {max_abandonment:.1%} allowed)"
    )


# Helpers -------------------------------------------------------------------------------------


def _ratio(log_num: float, log_den: float) -> float:
    if log_num == -math.inf:
        return 0.0
    return math.exp(log_num - log_den)


def _unit(p: float) -> float:
    """Clamp rounding noise so probabilities stay in [0, 1]."""
    return min(1.0, max(0.0, p))


def _check(servers: int, load: float) -> None:
    if servers < 0:
        raise ValueError(f"servers must be >= 0, not {servers}")
    if not load >= 0 or math.isinf(load):
        raise ValueError(f"load must be a finite number >= 0, not {load}")


def _check_rates(rate: float, aht: float, within: float) -> None:
    if not rate >= 0 or math.isinf(rate):
        raise ValueError(f"arrival rate must be a finite number >= 0, not {rate}")
    if not aht > 0:
        raise ValueError(f"handling time must be > 0 minutes, not {aht}")
    if not within >= 0:
        raise ValueError(f"target time must be >= 0 minutes, not {within}")
