"""Tests of the forecast checks: bad input is reported by row, column and value."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduler.domain import BranchConfig
from scheduler.errors import InputError
from scheduler.io.config_file import config_to_data, parse_config_text
from scheduler.staffing.inputs import primary_post, read_rates
from scheduler.staffing.requirements import requirements


def _issues(excinfo: pytest.ExceptionInfo[InputError]) -> list[tuple]:
    return [(i.location, i.column, i.value, i.message) for i in excinfo.value.issues]


def test_missing_level_column_names_the_levels_available(sample_cfg, make_forecast) -> None:
    """Asking for hi-90 when the forecast has 80/95 bounds says which columns exist."""
    with pytest.raises(InputError) as err:
        requirements(make_forecast({"cash": 10}), sample_cfg, level="hi-90", source="fc.csv")
    (issue,) = err.value.issues
    assert (issue.file, issue.column, issue.message) == (
        "fc.csv",
        "hi-90",
        "the forecast has no column 'hi-90'",
    )
    assert issue.allowed == "mean, lo-80, hi-80, lo-95, hi-95"


def test_channel_no_post_serves_is_refused(sample_cfg, make_forecast) -> None:
    """Traffic on a channel that no post lists cannot be staffed and is reported."""
    data = sample_cfg.model_dump()
    for post in data["posts"]:
        post["channels"] = [c for c in post["channels"] if c != "corporate"]
    cfg = BranchConfig.model_validate(data)
    with pytest.raises(InputError) as err:
        requirements(make_forecast({"cash": 5, "corporate": 2}), cfg)
    (issue,) = err.value.issues
    assert (issue.location, issue.column, issue.value) == (3, "channel", "corporate")
    assert issue.message == "no post serves channel corporate"
    assert issue.allowed == "add corporate to the channels of a post in the configuration"


def test_bad_rows_are_each_located(sample_cfg, make_forecast) -> None:
    """Unknown channel, non-hour time, negative count and a duplicate row each get an issue."""
    fc = make_forecast({"cash": 10}, hours=range(9, 13))
    fc.loc[0, "channel"] = "atm"
    fc.loc[1, "ds"] = pd.Timestamp("2026-11-30 10:30")
    fc.loc[2, "mean"] = -3.0
    fc = pd.concat([fc, fc.iloc[[3]]], ignore_index=True)
    with pytest.raises(InputError) as err:
        read_rates(fc, sample_cfg, "mean", "fc.csv")
    assert _issues(err) == [
        (2, "channel", "atm", "unknown channel"),
        (3, "ds", "2026-11-30 10:30:00", "the forecast is hourly: ds must be the start of an hour"),
        (4, "mean", -3.0, "forecast arrivals must be a number >= 0"),
        (6, "ds", "2026-11-30 12:00:00",
         "a second row for channel cash at this hour (first at row 5)"),
    ]  # fmt: skip
    assert {i.file for i in err.value.issues} == {"fc.csv"}


def test_missing_values_and_bad_times_are_reported(sample_cfg, make_forecast) -> None:
    """An empty forecast cell and an unreadable time are errors, not zero traffic."""
    fc = make_forecast({"cash": 10}, hours=range(9, 11))
    fc["ds"] = fc["ds"].astype(object)
    fc.loc[0, "mean"] = float("nan")
    fc.loc[1, "ds"] = "tomorrow"
    with pytest.raises(InputError) as err:
        read_rates(fc, sample_cfg, "mean")
    assert [(i.location, i.column) for i in err.value.issues] == [(2, "mean"), (3, "ds")]


def test_rows_of_another_branch_are_ignored_but_none_at_all_is_an_error(
    sample_cfg, make_forecast
) -> None:
    """A region-wide forecast is filtered to this branch; another branch's alone is refused."""
    fc = make_forecast({"cash": 10}, hours=range(9, 11))
    other = fc.assign(branch="BJ-001")
    rates = read_rates(pd.concat([fc, other], ignore_index=True), sample_cfg, "mean")
    assert len(rates.per_hour) == 2
    with pytest.raises(InputError) as err:
        read_rates(other, sample_cfg, "mean")
    assert err.value.issues[0].message == "the forecast has no row for branch SH-PD-001"


def test_bad_channel_numbers_are_blocked_by_the_config_with_clear_messages(sample_cfg) -> None:
    """Handling time <= 0, service level outside (0, 1), target time < 0: refused, located."""
    import yaml

    data = config_to_data(sample_cfg)
    data["channels"][0]["aht_minutes"] = 0
    data["channels"][1]["target"]["service_level"] = 1.5
    data["channels"][2]["target"]["within_minutes"] = -1
    with pytest.raises(InputError) as err:
        parse_config_text(yaml.safe_dump(data, allow_unicode=True), "branch.yaml")
    found = [(i.file, str(i.location).split(" ")[0], i.message, i.value, i.allowed)
             for i in err.value.issues]  # fmt: skip
    assert found == [
        ("branch.yaml", "channels[0].aht_minutes", "Input should be greater than 0", 0,
         "a number > 0.0"),
        ("branch.yaml", "channels[1].target.service_level", "Input should be less than 1", 1.5,
         "a number < 1.0"),
        ("branch.yaml", "channels[2].target.within_minutes",
         "Input should be greater than or equal to 0", -1, "a number >= 0.0"),
    ]  # fmt: skip


def test_channel_numbers_changed_after_validation_are_still_refused(
    sample_cfg, make_forecast
) -> None:
    """A channel built without validation (handling time 0) is refused before any sizing."""
    data = sample_cfg.model_dump()
    cfg = BranchConfig.model_validate(data)
    cash = cfg.channel("cash")
    broken = cash.model_construct(**{**cash.__dict__, "aht_minutes": 0.0})
    cfg = cfg.model_copy(update={"channels": [broken, *cfg.channels[1:]]})
    with pytest.raises(InputError) as err:
        requirements(make_forecast({"cash": 10}), cfg)
    (issue,) = err.value.issues
    assert (issue.location, issue.value, issue.message) == (
        "channels[0]",
        "cash",
        "handling time must be > 0 minutes, not 0.0",
    )


def test_primary_post_prefers_a_dedicated_desk_then_configuration_order(sample_cfg) -> None:
    """A channel's need goes to the post serving fewest channels, ties to the first listed."""
    assert primary_post(sample_cfg, "lobby").id == "lobby"
    data = sample_cfg.model_dump()
    for post in data["posts"]:
        if post["id"] == "lobby":
            post["channels"] = ["lobby", "wealth"]
    cfg = BranchConfig.model_validate(data)
    assert primary_post(cfg, "lobby").id == "customer_manager"
    assert primary_post(cfg, "cash").id == "cash_teller"
    assert primary_post(cfg, "atm") is None


def test_times_in_another_zone_are_read_as_the_branchs_local_time(
    sample_cfg, make_forecast
) -> None:
    """Another system's UTC times give the same requirement frame as the branch's local ones."""
    local = make_forecast({"cash": 10, "lobby": 20}, hours=range(9, 17))
    utc = local.assign(ds=local["ds"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC"))
    assert utc["ds"].iloc[0].hour == 1  # 09:00 in Shanghai
    pd.testing.assert_frame_equal(requirements(utc, sample_cfg), requirements(local, sample_cfg))


def test_rows_are_numbered_by_position_whatever_the_index(sample_cfg, make_forecast) -> None:
    """Repeated index labels (a concatenation) do not move a bad row's number."""
    fc = make_forecast({"cash": 10}, hours=range(9, 13))
    fc = pd.concat([fc, fc.assign(ds=fc["ds"] + pd.Timedelta(days=1))])  # labels 0-3 twice
    fc.iloc[1, fc.columns.get_loc("mean")] = -3.0  # label 1, also at position 5
    with pytest.raises(InputError) as err:
        read_rates(fc, sample_cfg, "mean")
    assert _issues(err) == [(3, "mean", -3.0, "forecast arrivals must be a number >= 0")]
