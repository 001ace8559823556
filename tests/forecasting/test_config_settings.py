"""The forecast takes the branch's own calendar facts from its configuration."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from forecasting import Forecaster, ForecastSettings
from scheduler.domain import HolidayCalendar
from scheduler.sample.branch import sample_config


def test_pension_days_come_from_the_branch_calendar():
    """The sample branch's pension day (the 10th) is a forecast feature without any option."""
    config = sample_config(dt.date(2026, 11, 30))
    assert Forecaster(config).settings.pension_days == (10,)


def test_explicit_settings_override_the_configuration():
    """Settings given by the caller win over the configuration's pension days."""
    config = sample_config(dt.date(2026, 11, 30))
    settings = ForecastSettings(pension_days=(5, 20))
    assert Forecaster(config, settings=settings).settings.pension_days == (5, 20)


def test_pension_day_must_be_a_day_of_the_month():
    """A pension day of 32 is refused when the configuration is read."""
    with pytest.raises(ValidationError, match="less than or equal to 31"):
        HolidayCalendar(pension_days=[32])
