"""Tests of the queueing formulas that turn traffic into staff numbers."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from scheduler.staffing.erlang import (
    erlang_a_stats,
    erlang_b,
    erlang_c,
    erlang_c_stats,
    servers_needed,
)

# Independent references -----------------------------------------------------------------------


def ref_erlang_c(n: int, load: Fraction) -> Fraction:
    """Erlang C from the textbook sums, in exact rational arithmetic."""
    terms = [load**k / math.factorial(k) for k in range(n)]
    top = load**n / math.factorial(n) * Fraction(n) / (n - load)
    return top / (sum(terms) + top)


def ref_erlang_b(n: int, load: Fraction) -> Fraction:
    """Erlang B from the textbook sums, in exact rational arithmetic."""
    terms = [load**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


def ref_erlang_a(n: int, rate: float, aht: float, patience: float, t: float, size: int = 400):
    """Erlang A by brute force: truncated birth-death chain and a matrix exponential.

    Returns (p_wait, abandonment, service_level). The service level follows a tagged customer
    with j customers ahead through a small Markov chain (front moves at n/aht + m/patience,
    the tagged customer gives up at 1/patience), independently of the incomplete gamma
    formulas under test.
    """
    mu, theta = 1 / aht, 1 / patience
    weights = [1.0]
    for k in range(1, size):
        weights.append(weights[-1] * rate / (min(k, n) * mu + max(k - n, 0) * theta))
    p = np.array(weights) / sum(weights)
    p_wait = p[n:].sum()
    abandonment = theta * sum((k - n) * p[k] for k in range(n, size)) / rate
    served = 0.0
    for j in range(size - n):
        if p[n + j] < 1e-18:
            break
        m_states = j + 3  # m = 0..j ahead, then "served", then "gone"
        q = np.zeros((m_states, m_states))
        for m in range(j + 1):
            front = n * mu + m * theta
            q[m, m - 1 if m else j + 1] += front
            q[m, j + 2] += theta
            q[m, m] = -(front + theta)
        served += p[n + j] * (expm(q * t)[j, j + 1] if t > 0 else 0.0)
    return p_wait, abandonment, p[:n].sum() + served


CASES_C = [(1, Fraction(1, 2)), (3, Fraction(5, 2)), (7, Fraction(6)), (12, Fraction(93, 10))]
CASES_A = [
    (1, 0.3, 2.0, 3.0, 1.0),
    (3, 0.5, 5.0, 10.0, 2.0),
    (5, 1.2, 4.0, 20.0, 5.0),
    (8, 2.0, 5.0, 8.0, 3.0),
    (4, 1.5, 3.0, 2.0, 0.0),
]


# Erlang B and C -----------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "load"), CASES_C)
def test_erlang_b_and_c_match_exact_sums(n: int, load: Fraction) -> None:
    """Waiting probability equals the exact textbook value to 1e-12."""
    assert erlang_b(n, float(load)) == pytest.approx(float(ref_erlang_b(n, load)), abs=1e-12)
    assert erlang_c(n, float(load)) == pytest.approx(float(ref_erlang_c(n, load)), abs=1e-12)


@pytest.mark.parametrize(("n", "load"), CASES_C)
def test_erlang_c_service_level_and_wait_match_reference(n: int, load: Fraction) -> None:
    """Service level within t and mean wait follow the exact Erlang C to 1e-9."""
    aht, within = 4.0, 1.5
    c = float(ref_erlang_c(n, load))
    stats = erlang_c_stats(n, float(load) / aht, aht, within)
    excess = n - float(load)
    assert stats.p_wait == pytest.approx(c, abs=1e-9)
    assert stats.service_level == pytest.approx(1 - c * math.exp(-excess * within / aht), abs=1e-9)
    assert stats.mean_wait == pytest.approx(c * aht / excess, rel=1e-9)
    assert stats.occupancy == pytest.approx(float(load) / n, rel=1e-12)


def test_erlang_c_at_several_hundred_erlangs_is_exact() -> None:
    """Loads of several hundred Erlangs neither overflow nor lose precision."""
    load = Fraction(480)
    assert erlang_c(500, 480.0) == pytest.approx(float(ref_erlang_c(500, load)), abs=1e-9)
    assert erlang_b(500, 480.0) == pytest.approx(float(ref_erlang_b(500, load)), abs=1e-9)


def test_unstable_erlang_c_has_no_finite_wait() -> None:
    """With no more servers than Erlangs of work, everyone waits and the wait is unbounded."""
    stats = erlang_c_stats(3, 1.0, 3.0, 10.0)
    assert (stats.p_wait, stats.service_level, stats.mean_wait) == (1.0, 0.0, math.inf)
    assert not stats.stable


# Erlang A -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "rate", "aht", "patience", "t"), CASES_A)
def test_erlang_a_matches_brute_force_chain(
    n: int, rate: float, aht: float, patience: float, t: float
) -> None:
    """Erlang A waiting, abandonment and service level equal a brute-force chain to 1e-9."""
    p_wait, abandonment, service_level = ref_erlang_a(n, rate, aht, patience, t)
    stats = erlang_a_stats(n, rate, aht, patience, t)
    assert stats.p_wait == pytest.approx(p_wait, abs=1e-9)
    assert stats.abandonment == pytest.approx(abandonment, abs=1e-9)
    assert stats.service_level == pytest.approx(service_level, abs=1e-9)
    assert stats.mean_wait == pytest.approx(abandonment * patience, abs=1e-8)


def test_erlang_a_with_nobody_serving_loses_everyone() -> None:
    """With no server, every customer waits and eventually gives up."""
    stats = erlang_a_stats(0, 0.5, 5.0, 10.0, 2.0)
    assert (stats.p_wait, stats.abandonment, stats.service_level, stats.mean_wait) == (
        1.0,
        1.0,
        0.0,
        10.0,
    )


def test_erlang_a_overloaded_and_huge_stays_finite() -> None:
    """Overload (more work than staff) at hundreds of Erlangs gives finite, valid measures."""
    stats = erlang_a_stats(300, 100.0, 5.0, 20.0, 10.0)
    assert 0.99 < stats.p_wait <= 1.0
    assert stats.abandonment == pytest.approx(1 - 300 / 500, abs=0.01)
    assert math.isfinite(stats.mean_wait)


def test_erlang_a_with_tiny_traffic_uses_the_series() -> None:
    """Very light traffic with long patience (incomplete gamma underflows) matches Erlang C."""
    a = erlang_a_stats(1, 0.01, 6.0, 1e5, 10.0)
    c = erlang_c_stats(1, 0.01, 6.0, 10.0)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-5)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-5)


# Staffing search ------------------------------------------------------------------------------


def ref_servers(rate: float, aht: float, level: float, within: float) -> int:
    """Smallest stable n whose exact Erlang C service level reaches the target."""
    load = Fraction(rate) * Fraction(aht)
    n = 1
    while True:
        if n > load:
            c = float(ref_erlang_c(n, load))
            if 1 - c * math.exp(-(n - float(load)) * within / aht) >= level:
                return n
        n += 1


@pytest.mark.parametrize(
    ("rate", "aht", "level", "within"),
    [
        (0.5, 6.0, 0.8, 10.0),
        (2.0, 4.0, 0.9, 0.5),
        (1.0 / 3, 12.0, 0.8, 15.0),
        (5.0, 3.0, 0.95, 1.0),
    ],
)
def test_erlang_c_staff_numbers_match_reference(
    rate: float, aht: float, level: float, within: float
) -> None:
    """The staffing search gives the same number as an exact brute-force search."""
    answer = servers_needed(rate, aht, level, within)
    assert answer.met
    assert answer.servers == ref_servers(rate, aht, level, within)


@pytest.mark.parametrize(("n", "rate", "aht", "patience", "t"), CASES_A[:4])
def test_erlang_a_staff_numbers_match_reference(
    n: int, rate: float, aht: float, patience: float, t: float
) -> None:
    """Erlang A staffing equals the smallest n whose brute-force service level meets 80%."""
    expected = next(k for k in range(1, 40) if ref_erlang_a(k, rate, aht, patience, t)[2] >= 0.8)
    assert servers_needed(rate, aht, 0.8, t, patience).servers == expected


def test_search_starts_above_the_load_not_at_the_rounded_load() -> None:
    """2.6 Erlangs with a lax target need 3 people (floor(2.6)+1), not round(2.6)+1 = 4."""
    answer = servers_needed(2.6 / 5.0, 5.0, 0.01, 60.0)
    assert answer.servers == 3


def test_abandonment_cap_raises_the_number() -> None:
    """A maximum-abandonment target adds staff until few enough customers give up."""
    plain = servers_needed(1.0, 5.0, 0.5, 10.0, patience=5.0)
    capped = servers_needed(1.0, 5.0, 0.5, 10.0, patience=5.0, max_abandonment=0.01)
    assert capped.servers > plain.servers
    assert capped.stats.abandonment <= 0.01
    lower = erlang_a_stats(capped.servers - 1, 1.0, 5.0, 5.0, 10.0)
    assert lower.abandonment > 0.01


def test_traffic_beyond_the_cap_is_unmeetable_without_hanging() -> None:
    """Traffic no allowed staff number can serve is reported unmet at the cap, at once."""
    answer = servers_needed(10_000.0, 5.0, 0.8, 1.0, max_servers=20)
    assert (answer.met, answer.servers) == (False, 20)
    assert "cannot keep up" in answer.shortfall
    answer = servers_needed(10_000.0, 5.0, 0.8, 1.0, patience=5.0, max_servers=20)
    assert (answer.met, answer.servers) == (False, 20)
    assert answer.shortfall == "with 20 servers only 0% are served within 1 min (target 80%)"


def test_no_traffic_needs_nobody() -> None:
    """An hour without customers needs no one for traffic."""
    assert servers_needed(0.0, 5.0, 0.8, 10.0).servers == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"aht": 0.0}, "handling time must be > 0"),
        ({"aht": -1.0}, "handling time must be > 0"),
        ({"service_level": 1.0}, "service level must be between 0 and 1"),
        ({"service_level": 0.0}, "service level must be between 0 and 1"),
        ({"within": -1.0}, "target time must be >= 0"),
        ({"rate": -0.5}, "arrival rate must be a finite number >= 0"),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_message(kwargs: dict, message: str) -> None:
    """Non-positive handling time, a target outside (0, 1) or a negative time are refused."""
    args = {"rate": 1.0, "aht": 5.0, "service_level": 0.8, "within": 10.0} | kwargs
    with pytest.raises(ValueError, match=message):
        servers_needed(**args)


# Properties -----------------------------------------------------------------------------------

rates = st.floats(0.01, 20.0)
ahts = st.floats(0.5, 30.0)
patiences = st.floats(0.5, 120.0)
withins = st.floats(0.0, 30.0)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(n=st.integers(0, 60), rate=rates, aht=ahts, patience=patiences, within=withins)
def test_probabilities_stay_between_zero_and_one(
    n: int, rate: float, aht: float, patience: float, within: float
) -> None:
    """Every probability either model reports lies in [0, 1]."""
    for stats in (
        erlang_c_stats(n, rate, aht, within),
        erlang_a_stats(n, rate, aht, patience, within),
    ):
        for p in (stats.p_wait, stats.service_level, stats.abandonment, stats.occupancy):
            assert 0.0 <= p <= 1.0


@settings(max_examples=150, deadline=None, derandomize=True)
@given(n=st.integers(0, 60), rate=rates, aht=ahts, patience=patiences, within=withins)
def test_adding_a_person_never_lowers_service(
    n: int, rate: float, aht: float, patience: float, within: float
) -> None:
    """One more person never lowers the service level nor raises abandonment or wait."""
    c0, c1 = (erlang_c_stats(k, rate, aht, within) for k in (n, n + 1))
    assert c1.service_level >= c0.service_level - 1e-12
    assert c1.mean_wait <= c0.mean_wait
    a0, a1 = (erlang_a_stats(k, rate, aht, patience, within) for k in (n, n + 1))
    assert a1.service_level >= a0.service_level - 1e-12
    assert a1.abandonment <= a0.abandonment + 1e-12


@settings(max_examples=100, deadline=None, derandomize=True)
@given(n=st.integers(1, 40), utilisation=st.floats(0.05, 0.95), aht=ahts, within=withins)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(
    n: int, utilisation: float, aht: float, within: float
) -> None:
    """With ever more patient customers, Erlang A's measures converge to Erlang C's."""
    rate = utilisation * n / aht
    c = erlang_c_stats(n, rate, aht, within)
    gaps = []
    for patience in (1e3 * aht, 1e6 * aht):
        a = erlang_a_stats(n, rate, aht, patience, within)
        gaps.append(abs(a.p_wait - c.p_wait) + abs(a.service_level - c.service_level))
    assert gaps[1] <= gaps[0] + 1e-12
    assert gaps[1] < 1e-4
