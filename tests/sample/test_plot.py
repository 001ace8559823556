"""The traffic picture that explains the sample's effects."""

from __future__ import annotations

import datetime as dt

from scheduler.sample.plot import plot_traffic, weekday_hour_profile
from scheduler.sample.traffic import sample_traffic


def test_plot_is_written_as_png(sample_cfg, tmp_path):
    """The sample command's --plot writes a real PNG image."""
    traffic = sample_traffic(sample_cfg, dt.date(2026, 9, 1), dt.date(2026, 10, 31), seed=1)
    path = plot_traffic(traffic, sample_cfg, tmp_path / "traffic.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


def test_weekday_hour_profile_has_one_row_per_weekday_and_open_hour(sample_cfg):
    """The heat map covers Monday..Sunday and the opening hours 09:00-16:00."""
    traffic = sample_traffic(sample_cfg, dt.date(2026, 11, 2), dt.date(2026, 11, 29), seed=1)
    profile = weekday_hour_profile(traffic)
    assert list(profile.index) == [0, 1, 2, 3, 4, 5, 6]
    assert list(profile.columns) == list(range(9, 17))
