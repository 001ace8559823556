"""Shared fixtures: the sample branch configuration for a fixed week."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.domain import BranchConfig
from scheduler.sample.branch import sample_config

SAMPLE_WEEK_START = dt.date(2026, 11, 30)  # ISO week 2026-W49


@pytest.fixture
def sample_cfg() -> BranchConfig:
    """The sample branch as configured for 2026-W49."""
    return sample_config(SAMPLE_WEEK_START)
