"""The Ray engine: same answers as the local pool, crashes isolated, budget applied.

Ray is in the ``dev`` extra, so CI runs these; they skip only on a machine without Ray
outside CI. One local Ray cluster serves the whole module (its start-up is paid once).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scheduler.region.engines import ray_available
from scheduler.region.run import run_region
from scheduler.region.worker import FAULT_ENV
from tests.region.conftest import WEEK, tiny_region

pytestmark = [
    pytest.mark.skipif(
        not ray_available() and not os.environ.get("CI"),
        reason="Ray is not installed (pip install -e '.[dev]' or 'branch-roster[region]')",
    ),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """One local Ray cluster with 2 CPUs for every test of the module."""
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        object_store_memory=100 * 2**20,
    )
    yield
    ray.shutdown()


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with (out / "region_summary.csv").open(encoding="utf-8") as fh:
        return {r["branch"]: r for r in csv.DictReader(fh)}


def test_ray_engine_matches_the_local_pool(tmp_path: Path, ray_cluster: None) -> None:
    """A branch rostered on Ray gets the same status, shortfall and roster as in the local pool."""
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


def test_ray_worker_crash_fails_its_branch_alone_and_rerun_recovers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ray_cluster: None
) -> None:
    """A killed Ray worker fails only its branch, named as a death; a Ray re-run fixes it."""
    reg, out = tmp_path / "reg", tmp_path / "out"
    tiny_region(reg, {"A": (2, 4.0), "B": (2, 4.0)})
    monkeypatch.setenv(FAULT_ENV, "A=kill")
    first = run_region(reg, WEEK, out, workers=2, time_limit_per_branch=2, engine="ray")
    assert {b: o.status for b, o in first.outcomes.items()} == {"A": "failed", "B": "ok"}
    assert first.outcomes["A"].error == (
        "Ray worker died without a result (WorkerCrashedError: out of memory, a crash in "
        "native code, or killed from outside)"
    )
    b_row = _summary(out)["B"]

    monkeypatch.delenv(FAULT_ENV)
    started: list[str] = []
    run_region(
        reg, WEEK, out, workers=2, engine="ray", rerun_failed=True,
        on_event=lambda bid, event, outcome: started.append(bid) if event == "started" else None,
    )  # fmt: skip
    assert started == ["A"]
    rows = _summary(out)
    assert (rows["A"]["status"], rows["A"]["time_limit_s"]) == ("ok", "30")
    assert rows["B"] == b_row
