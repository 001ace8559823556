"""Engines: the Ray engine gives the same answers as the local pool (skipped without Ray)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.region.engines import ray_available
from scheduler.region.run import run_region
from tests.region.conftest import WEEK, tiny_region

needs_ray = pytest.mark.skipif(
    not ray_available(),
    reason="Ray is not installed (optional extra: pip install 'branch-roster[region]')",
)


@needs_ray
@pytest.mark.slow
def test_ray_engine_matches_the_local_pool(tmp_path: Path) -> None:
    """A branch rostered on Ray gets the same status and shortfall as in the local pool."""
    tiny_region(tmp_path / "reg", {"A": (2, 30.0)})
    kw = {"workers": 1, "time_limit_per_branch": 3.0}
    local = run_region(tmp_path / "reg", WEEK, tmp_path / "local", engine="local", **kw)
    ray = run_region(tmp_path / "reg", WEEK, tmp_path / "ray", engine="ray", **kw)
    pick = [(o.status, o.shortfall_hours, o.objective) for o in local.outcomes.values()]
    assert [(o.status, o.shortfall_hours, o.objective) for o in ray.outcomes.values()] == pick
    assert pick == [("ok", 0.0, 0.0)]
    assert (tmp_path / "ray" / "A" / "roster.csv").read_bytes() == (
        tmp_path / "local" / "A" / "roster.csv"
    ).read_bytes()
