"""The region generator: seeded, mixed sizes, lazily written branch folders that load cleanly."""

from __future__ import annotations

from pathlib import Path

from scheduler.pipeline import load_inputs
from scheduler.region.generate import ensure_branch, generate_region, region_spec
from scheduler.region.spec import load_region

WEEK = "2026-W49"


def _bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    """A region is reproducible: the same seed writes byte-identical files."""
    a = generate_region(tmp_path / "a", 2, WEEK, seed=3, mix={"S": 1.0}, history_weeks=4)
    b = generate_region(tmp_path / "b", 2, WEEK, seed=3, mix={"S": 1.0}, history_weeks=4)
    assert _bytes(a.folder) == _bytes(b.folder)
    assert sorted(_bytes(a.folder)) == [
        "R-B001/availability/availability.csv",
        "R-B001/branch.yaml",
        "R-B001/traffic.csv.gz",
        "R-B002/availability/availability.csv",
        "R-B002/branch.yaml",
        "R-B002/traffic.csv.gz",
        "region.yaml",
    ]


def test_recipe_mixes_sizes_and_sizes_the_pool() -> None:
    """Fifty branches draw all three sizes; the pool has one floater per five branches."""
    spec = region_spec(50, WEEK, seed=1)
    families = {b.recipe.family for b in spec.branches if b.recipe}
    assert families == {"S", "M", "L"}
    assert len(spec.floaters) == 10
    assert [b.id for b in spec.branches[:2]] == ["R-B001", "R-B002"]
    assert all(0.85 <= b.recipe.volume <= 1.25 for b in spec.branches if b.recipe)


def test_lazy_region_writes_the_same_branch_on_first_use(tmp_path: Path) -> None:
    """A lazily generated branch folder is the one an eager run would have written."""
    eager = generate_region(tmp_path / "e", 1, WEEK, seed=5, mix={"S": 1.0}, history_weeks=4)
    lazy = generate_region(
        tmp_path / "l", 1, WEEK, seed=5, mix={"S": 1.0}, history_weeks=4, lazy=True
    )
    assert lazy.written == ()
    assert sorted(p.name for p in lazy.folder.iterdir()) == ["region.yaml"]
    spec = load_region(lazy.folder)
    ensure_branch(lazy.folder, spec, spec.branches[0])
    assert _bytes(lazy.folder / "R-B001") == _bytes(eager.folder / "R-B001")


def test_generated_branch_loads_without_problems(tmp_path: Path) -> None:
    """Every generated file passes the pipeline's input checks for the week it is for."""
    files = generate_region(tmp_path, 1, WEEK, seed=2, mix={"M": 1.0}, history_weeks=4)
    folder = files.folder / "R-B001"
    inputs = load_inputs(
        folder / "branch.yaml",
        folder / "traffic.csv.gz",
        sorted((folder / "availability").iterdir()),
        WEEK,
    )
    assert inputs.config.branch.id == "R-B001"
    assert len(inputs.config.staff) == 16
    assert inputs.history["ds"].min().date().isoformat() >= "2026-11-02"
    assert inputs.history["ds"].max().date().isoformat() <= "2026-11-29"
    assert [i for i in inputs.warnings if i.severity == "error"] == []


def test_generated_availability_keeps_the_file_rules() -> None:
    """Generated declarations never offer work on approved leave nor overlap one another."""
    import datetime as dt

    from scheduler.domain import (
        Availability,
        AvailabilityEntry,
        AvailabilityKind,
        LeaveKind,
        LeaveRequest,
    )
    from scheduler.region.generate import consistent_availability

    day = dt.date(2026, 12, 1)
    raw = Availability(
        entries=[
            AvailabilityEntry(staff_id="E1", date=day, kind=AvailabilityKind.AVAILABLE,
                              start=dt.time(9), end=dt.time(12)),
            AvailabilityEntry(staff_id="E1", date=day, kind=AvailabilityKind.UNAVAILABLE,
                              start=dt.time(11), end=dt.time(13)),
            AvailabilityEntry(staff_id="E1", date=day, kind=AvailabilityKind.PREFERRED,
                              start=dt.time(13), end=dt.time(15)),
            AvailabilityEntry(staff_id="E2", date=day, kind=AvailabilityKind.PREFERRED),
        ],
        leave=[LeaveRequest(staff_id="E2", start_date=day, end_date=day, kind=LeaveKind.ANNUAL)],
    )  # fmt: skip
    clean = consistent_availability(raw)
    assert [(e.staff_id, e.kind.value, e.start) for e in clean.entries] == [
        ("E1", "available", dt.time(9)),
        ("E1", "preferred", dt.time(13)),
    ]
    assert clean.leave == raw.leave
