"""Fixtures of the forecasting tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from forecast_builders import synthetic_history

from scheduler.domain import BranchConfig


@pytest.fixture
def history_16w(sample_cfg: BranchConfig) -> pd.DataFrame:
    """Sixteen weeks of two channels ending Sunday 2026-11-29 (before 2026-W49)."""
    return synthetic_history(sample_cfg, dt.date(2026, 8, 10), dt.date(2026, 11, 29), seed=1)
