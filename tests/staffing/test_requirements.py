"""Tests of the requirement frame: staff per open slot and post, with floors and reasons."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig, Post, PostKind
from scheduler.errors import InputError
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.staffing.erlang import erlang_a_stats, erlang_c_stats
from scheduler.staffing.requirements import (
    effective_aht,
    floor_checks,
    requirements,
    troughs,
    unmeetable_slots,
)

MONDAY = dt.date(2026, 11, 30)


def _at(frame: pd.DataFrame, hour: int, post: str, day: dt.date = MONDAY) -> pd.Series:
    ds = pd.Timestamp(day) + pd.Timedelta(hours=hour)
    rows = frame[(frame["ds"] == ds) & (frame["post"] == post)]
    assert len(rows) == 1
    return rows.iloc[0]


# Shape ---------------------------------------------------------------------------------------


def test_one_row_per_open_slot_and_post_for_a_week(sample_cfg, make_forecast) -> None:
    """A week of the sample branch gives every post a row in each of its 54 open hours."""
    fc = make_forecast({"cash": 20, "noncash": 8, "lobby": 30, "wealth": 3, "corporate": 2},
                       hours=range(9, 17), days=7)  # fmt: skip
    frame = requirements(fc, sample_cfg)
    assert tuple(frame.columns) == REQUIREMENT_COLUMNS
    assert len(frame) == 54 * len(sample_cfg.posts)  # 5 days x 8 h + 2 days x 7 h
    assert frame.groupby("post").size().to_dict() == {p.id: 54 for p in sample_cfg.posts}
    assert frame["required"].dtype == "int64"
    assert (frame["required"] == frame[["traffic_required", "floor_required"]].max(axis=1)).all()
    assert frame.attrs["warnings"] == []


def test_open_hours_come_from_the_branch_calendar(sample_cfg, make_forecast) -> None:
    """On New Year's Day the branch opens 10:00-15:00 only; forecast hours outside are ignored."""
    new_year = dt.date(2027, 1, 1)
    fc = make_forecast({"cash": 20}, day=new_year, hours=range(9, 17))
    frame = requirements(fc, sample_cfg, horizon=Horizon(new_year, 1))
    hours = sorted({ds.hour for ds in frame["ds"]})
    assert hours == [10, 11, 12, 13, 14]


def test_half_hour_slots_split_the_hour_evenly(sample_cfg, make_forecast) -> None:
    """With 30-minute slots each half hour gets half the hour's arrivals and the same staff."""
    branch = sample_cfg.branch.model_copy(update={"slot_minutes": 30})
    cfg = sample_cfg.model_copy(update={"branch": branch})
    frame = requirements(make_forecast({"cash": 30}), cfg)
    first, second = (
        _at(frame, 10, "cash_teller"),
        frame[
            (frame["ds"] == pd.Timestamp("2026-11-30 10:30")) & (frame["post"] == "cash_teller")
        ].iloc[0],
    )
    assert first["arrivals"] == second["arrivals"] == 15.0
    assert first["required"] == second["required"] == 4
    assert len(frame) == 16 * len(cfg.posts)


def test_horizon_defaults_to_the_forecast_dates(sample_cfg, make_forecast) -> None:
    """Without a horizon, the forecast's first to last day are planned."""
    frame = requirements(make_forecast({"cash": 10}, days=2), sample_cfg)
    assert sorted(set(frame["date"])) == [MONDAY, MONDAY + dt.timedelta(days=1)]


def test_the_forecast_is_not_modified(sample_cfg, make_forecast) -> None:
    """Sizing staff never changes the caller's forecast frame."""
    fc = make_forecast({"cash": 10, "lobby": 5})
    before = fc.copy(deep=True)
    requirements(fc, sample_cfg)
    pd.testing.assert_frame_equal(fc, before)


# Traffic --------------------------------------------------------------------------------------


def test_traffic_need_is_the_smallest_number_meeting_the_target(sample_cfg, make_forecast) -> None:
    """30 cash customers an hour need 4 tellers: at 90% speed (10% shrinkage) 4 meet 80%/10 min."""
    row = _at(requirements(make_forecast({"cash": 30}), sample_cfg), 11, "cash_teller")
    cash = sample_cfg.channel("cash")
    assert (row["required"], row["traffic_required"], row["reason"]) == (4, 4, "traffic")
    assert row["arrivals"] == 30.0
    assert row["workload_erlangs"] == pytest.approx(3.0)
    with_need = erlang_a_stats(4, 0.5, 6.0 / 0.9, 25.0, 10.0)
    one_short = erlang_a_stats(3, 0.5, 6.0 / 0.9, 25.0, 10.0)
    assert with_need.service_level >= cash.target.service_level > one_short.service_level
    assert row["service_level"] == pytest.approx(with_need.service_level, abs=1e-12)
    assert row["expected_wait_min"] == pytest.approx(with_need.mean_wait, abs=1e-12)
    assert row["wait_one_short_min"] == pytest.approx(one_short.mean_wait, abs=1e-12)
    assert not row["unmeetable"]


def test_erlang_c_is_used_when_customers_never_give_up(sample_cfg, make_forecast) -> None:
    """The lobby channel has no patience: its waits are Erlang C's."""
    row = _at(requirements(make_forecast({"lobby": 60}), sample_cfg), 11, "lobby")
    assert row["required"] == 5  # five serving at 85% speed (15% shrinkage)
    stats = erlang_c_stats(5, 1.0, 3.0 / 0.85, 5.0)
    assert row["expected_wait_min"] == pytest.approx(stats.mean_wait, abs=1e-12)
    assert row["service_level"] == pytest.approx(stats.service_level, abs=1e-12)


def test_hi_80_level_staffs_for_the_upper_bound(sample_cfg, make_forecast) -> None:
    """Staffing for hi-80 reads that column: 25% more arrivals, more tellers."""
    fc = make_forecast({"cash": 40})
    mean = _at(requirements(fc, sample_cfg), 11, "cash_teller")
    high = _at(requirements(fc, sample_cfg, level="hi-80"), 11, "cash_teller")
    assert (mean["arrivals"], high["arrivals"]) == (40.0, 50.0)
    assert (mean["required"], high["required"]) == (5, 6)


def test_a_shared_post_gets_no_requirement_from_a_dedicated_desk_channel(
    sample_cfg, make_forecast
) -> None:
    """Lobby traffic goes to the lobby post, not to customer managers who also serve it."""
    frame = requirements(make_forecast({"lobby": 60}), sample_cfg)
    assert _at(frame, 11, "customer_manager")["required"] == 0
    assert _at(frame, 11, "customer_manager")["reason"] == "no traffic"
    assert _at(frame, 11, "lobby")["required"] == 5


def test_a_post_serving_two_channels_needs_their_sum(sample_cfg, make_forecast) -> None:
    """A universal teller post carrying cash and non-cash needs both windows' staff."""
    posts = [p for p in sample_cfg.posts if p.id not in ("cash_teller", "noncash_teller")]
    posts.append(Post(id="teller", name_zh="综合柜员", name_en="Teller", kind=PostKind.TELLER,
                      channels=["cash", "noncash"]))  # fmt: skip
    data = sample_cfg.model_dump()
    data["posts"] = [p.model_dump() for p in posts]
    for s in data["staff"]:
        for q in s["qualifications"]:
            if q["post"] in ("cash_teller", "noncash_teller"):
                q["post"] = "teller"
        if s["home_post"] in ("cash_teller", "noncash_teller"):
            s["home_post"] = "teller"
    data["backup_pairs"] = [b for b in data["backup_pairs"] if b["post"] != "cash_teller"]
    data["incompatible_duties"] = []
    data["dual_control"] = []
    data["authorisers"] = [{"post": "ops_supervisor", "supervises": ["teller"]}]
    data["rotation_quotas"] = []
    data["mandatory_leave"] = None
    cfg = BranchConfig.model_validate(data)
    frame = requirements(make_forecast({"cash": 30, "noncash": 30}), cfg, max_staff=30)
    row = _at(frame, 11, "teller")
    assert row["traffic_required"] == 4 + 7  # cash alone needs 4, non-cash alone 7
    assert row["arrivals"] == 60.0
    assert _at(frame, 11, "ops_supervisor")["reason"] == "authoriser for tellers"


# Floors --------------------------------------------------------------------------------------


def test_one_lobby_manager_every_open_hour_without_traffic(sample_cfg, make_forecast) -> None:
    """The lobby post's minimum of one holds in an hour with no lobby traffic."""
    row = _at(requirements(make_forecast({"cash": 10}), sample_cfg), 9, "lobby")
    assert (row["required"], row["traffic_required"], row["floor_required"]) == (1, 0, 1)
    assert row["reason"] == "floor: min staff"
    assert row["expected_wait_min"] == 0.0
    assert pd.isna(row["service_level"])


def test_authoriser_required_whenever_tellers_work(sample_cfg, make_forecast) -> None:
    """The operations supervisor is required in every slot where a teller post is needed."""
    frame = requirements(make_forecast({"noncash": 6}), sample_cfg)
    row = _at(frame, 10, "ops_supervisor")
    assert (row["required"], row["floor_required"], row["reason"]) == (
        1,
        1,
        "authoriser for tellers",
    )


def test_no_authoriser_when_no_teller_is_needed(sample_cfg, make_forecast) -> None:
    """Without teller traffic nobody needs authorising, so the supervisor post needs no one."""
    row = _at(requirements(make_forecast({"lobby": 20}), sample_cfg), 10, "ops_supervisor")
    assert (row["required"], row["reason"]) == (0, "no traffic")


def test_duty_cover_and_dual_control_are_not_post_rows(sample_cfg) -> None:
    """Manager on duty and the vault are listed per slot by floor_checks, not as requirements."""
    checks = floor_checks(sample_cfg, Horizon(MONDAY, 1))
    assert list(checks.columns) == ["date", "ds", "rule", "people", "qualified_posts"]
    duty = checks[checks["rule"] == "manager on duty"]
    assert len(duty) == 8
    assert set(duty["qualified_posts"]) == {"head,ops_supervisor"}
    vault = checks[checks["rule"].str.startswith("vault")].set_index("rule")
    assert vault.loc["vault at opening", "ds"] == pd.Timestamp("2026-11-30 09:00")
    assert vault.loc["vault at closing", "ds"] == pd.Timestamp("2026-11-30 16:00")
    assert set(vault["people"]) == {2}


# Unmeetable, caps and waits --------------------------------------------------------------------


def test_traffic_beyond_every_qualified_person_is_unmeetable(sample_cfg, make_forecast) -> None:
    """With 3 people qualified for wealth, 60 wealth customers an hour cannot be served."""
    frame = requirements(make_forecast({"wealth": 60}), sample_cfg)
    row = _at(frame, 11, "wealth_manager")
    assert bool(row["unmeetable"]) is True
    assert row["required"] == 3
    assert row["reason"] == (
        "unmeetable: wealth: even 3 on the post (with 3 servers only 0% are served within "
        "30 min (target 70%))"
    )
    assert len(unmeetable_slots(frame)) == 8


def test_cap_can_be_set_per_post(sample_cfg, make_forecast) -> None:
    """A configurable cap lets the search go further; a single number caps every post."""
    fc = make_forecast({"wealth": 60})
    row = _at(requirements(fc, sample_cfg, max_staff={"wealth_manager": 40}), 11, "wealth_manager")
    assert (row["required"], bool(row["unmeetable"])) == (21, False)
    row = _at(requirements(fc, sample_cfg, max_staff=10), 11, "wealth_manager")
    assert (row["required"], bool(row["unmeetable"])) == (10, True)


def test_bad_caps_are_refused(sample_cfg, make_forecast) -> None:
    """A cap on an unknown post or below one person is an input error naming it."""
    fc = make_forecast({"cash": 10})
    with pytest.raises(InputError) as err:
        requirements(fc, sample_cfg, max_staff={"vault": 2, "cash_teller": 0})
    assert [(i.message, i.value) for i in err.value.issues] == [
        ("unknown post", "vault"),
        ("cap must be a whole number >= 1", 0),
    ]


def test_a_shortfall_costs_a_capped_wait(sample_cfg, make_forecast) -> None:
    """Losing the only lobby person leaves the queue unserved: the wait is the 60-minute cap."""
    row = _at(requirements(make_forecast({"lobby": 6}), sample_cfg), 11, "lobby")
    assert row["required"] == 1
    assert row["wait_one_short_min"] == 60.0
    row = _at(requirements(make_forecast({"lobby": 6}), sample_cfg, max_wait_min=30), 11, "lobby")
    assert row["wait_one_short_min"] == 30.0


def test_missing_channel_in_forecast_is_warned(sample_cfg, make_forecast) -> None:
    """A channel without forecast rows is sized as no traffic, and the frame says so."""
    frame = requirements(make_forecast({"cash": 10}), sample_cfg)
    assert (
        "the forecast has no rows for channel lobby; it was sized as no traffic"
        in (frame.attrs["warnings"])
    )


# Shrinkage -----------------------------------------------------------------------------------


def test_shrinkage_stretches_handling_time_not_head_count(sample_cfg, make_forecast) -> None:
    """A quiet desk needs one person: shrinkage slows service rather than adding a person."""
    row = _at(requirements(make_forecast({"lobby": 2}), sample_cfg), 11, "lobby")
    assert row["traffic_required"] == 1
    lobby = sample_cfg.channel("lobby")
    assert effective_aht(lobby) == pytest.approx(3.0 / 0.85)
    stats = erlang_c_stats(1, 2 / 60, 3.0 / 0.85, 5.0)
    assert row["expected_wait_min"] == pytest.approx(stats.mean_wait, abs=1e-12)


# Troughs -------------------------------------------------------------------------------------


def test_troughs_from_a_coverage_frame(sample_cfg, make_forecast) -> None:
    """Spare people on a post are offered for training or outreach; missing ones show as short."""
    frame = requirements(make_forecast({"cash": 30}), sample_cfg)
    ds = pd.Timestamp("2026-11-30 11:00")
    coverage = pd.DataFrame(
        {"date": [MONDAY] * 2, "ds": [ds] * 2, "post": ["cash_teller", "lobby"],
         "required": [5, 1], "assigned": [7, 0], "gap": [2, -1]}
    )  # fmt: skip
    out = troughs(frame, coverage).set_index(["ds", "post"])
    assert out.loc[(ds, "cash_teller"), ["required", "present", "free", "use"]].tolist() == [
        4,
        7,
        3,
        "training or outreach",
    ]
    assert out.loc[(ds, "lobby"), ["present", "free", "use"]].tolist() == [0, -1, "short"]
    assert out.loc[(ds, "head"), ["present", "free", "use"]].tolist() == [0, 0, ""]


def test_troughs_from_a_roster(sample_cfg, make_forecast, make_roster) -> None:
    """A roster's post blocks count in the slots they cover fully; breaks do not count."""
    frame = requirements(make_forecast({"cash": 6}), sample_cfg)  # 2 tellers needed
    roster = make_roster(
        [
            ("S04", "09:00", "17:00", "post", "cash_teller"),
            ("S05", "09:00", "12:00", "post", "cash_teller"),
            ("S05", "12:00", "13:00", "break", ""),
            ("S05", "13:00", "17:00", "post", "cash_teller"),
            ("S06", "09:00", "17:00", "post", "cash_teller"),
            ("S07", "09:00", "17:00", "post", "cash_teller"),
            ("S07", "10:30", "11:30", "free", ""),
        ]
    )
    out = troughs(frame, roster)
    cash = out[out["post"] == "cash_teller"].set_index("ds")
    assert cash.loc[pd.Timestamp("2026-11-30 09:00"), "free"] == 2
    assert cash.loc[pd.Timestamp("2026-11-30 12:00"), "free"] == 1
    assert cash.loc[pd.Timestamp("2026-11-30 09:00"), "use"] == "training or outreach"


def test_troughs_compare_local_times_whatever_zone_the_frames_carry(
    sample_cfg, make_forecast, make_roster
) -> None:
    """A requirement frame in Shanghai or UTC time lines up with a roster in local time."""
    frame = requirements(make_forecast({"cash": 6}), sample_cfg)
    roster = make_roster([("S04", "09:00", "17:00", "post", "cash_teller")])
    plain = troughs(frame, roster)
    shanghai = frame.assign(ds=frame["ds"].dt.tz_localize("Asia/Shanghai"))
    utc = shanghai.assign(ds=shanghai["ds"].dt.tz_convert("UTC"))
    indexed = frame.set_index(["post", "ds"], drop=False)  # a level named like a column
    for variant, zone in ((shanghai, None), (utc, "Asia/Shanghai"), (indexed, None)):
        out = troughs(variant, roster, timezone=zone)
        assert out["present"].tolist() == plain["present"].tolist()
        assert out["free"].tolist() == plain["free"].tolist()
    assert plain["present"].sum() > 0


def test_cap_follows_qualifications_valid_that_day(sample_cfg, make_forecast) -> None:
    """A wealth qualification expiring on Wednesday leaves two wealth managers from Thursday."""
    frame = requirements(make_forecast({"wealth": 60}, days=4), sample_cfg)
    wednesday, thursday = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3)
    assert _at(frame, 11, "wealth_manager", wednesday)["required"] == 3
    assert _at(frame, 11, "wealth_manager", thursday)["required"] == 2
    assert bool(_at(frame, 11, "wealth_manager", thursday)["unmeetable"]) is True


def test_abandonment_cap_in_the_target_adds_tellers(sample_cfg, make_forecast) -> None:
    """A cash target allowing at most 2% of customers to give up needs more tellers."""
    cash = sample_cfg.channel("cash")
    strict = cash.model_copy(
        update={"target": cash.target.model_copy(update={"max_abandonment": 0.02})}
    )
    cfg = sample_cfg.model_copy(update={"channels": [strict, *sample_cfg.channels[1:]]})
    fc = make_forecast({"cash": 30})
    plain = _at(requirements(fc, sample_cfg), 11, "cash_teller")
    capped = _at(requirements(fc, cfg), 11, "cash_teller")
    assert (plain["required"], capped["required"]) == (4, 6)
    assert erlang_a_stats(6, 0.5, 6.0 / 0.9, 25.0, 10.0).abandonment <= 0.02
    assert erlang_a_stats(5, 0.5, 6.0 / 0.9, 25.0, 10.0).abandonment > 0.02
