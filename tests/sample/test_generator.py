"""The sample branch folder: reproducible bytes, readable files, and the committed copy."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from scheduler.io.config_file import config_json_schema, load_config
from scheduler.io.traffic_file import read_traffic
from scheduler.sample.branch import sample_config
from scheduler.sample.generator import generate_sample

DATA = Path(__file__).resolve().parents[2] / "data"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_same_seed_gives_identical_bytes(tmp_path):
    """Regenerating the sample with the same seed reproduces every file byte for byte."""
    a = generate_sample(tmp_path / "a", seed=5)
    generate_sample(tmp_path / "b", seed=5)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert sorted(_tree(tmp_path / "a")) == [
        "availability/S14.csv",
        "availability/leave.csv",
        "availability/team.xlsx",
        "branch.schema.json",
        "branch.yaml",
        "traffic.csv.gz",
    ]
    c = generate_sample(tmp_path / "c", seed=6)
    assert c.traffic.read_bytes() != a.traffic.read_bytes()


def test_history_covers_two_years_up_to_the_sunday_before_the_week(tmp_path):
    """The forecaster gets 104 weeks of history ending the day before the planned week."""
    files = generate_sample(tmp_path, week="2026-W49")
    history = read_traffic(files.traffic, branch="SH-PD-001")
    assert history["ds"].min().date() == dt.date(2024, 12, 2)
    assert history["ds"].max().date() == dt.date(2026, 11, 29)
    assert sorted(history["channel"].unique()) == [
        "cash",
        "corporate",
        "lobby",
        "noncash",
        "wealth",
    ]
    assert load_config(files.config) == sample_config(dt.date(2026, 11, 30))


def test_committed_sample_matches_the_generator(tmp_path):
    """data/sample_branch and data/branch.schema.json are exactly what the generator writes."""
    generate_sample(tmp_path, schema_path=tmp_path / "branch.schema.json")
    committed = _tree(DATA / "sample_branch")
    fresh = _tree(tmp_path)
    assert fresh.pop("branch.schema.json") == (DATA / "branch.schema.json").read_bytes()
    assert committed == fresh
    assert json.loads((DATA / "branch.schema.json").read_text()) == config_json_schema()


def test_committed_traffic_is_small():
    """The committed history stays small enough to keep in git (gzip, under 200 kB)."""
    raw = (DATA / "sample_branch" / "traffic.csv.gz").read_bytes()
    assert len(raw) < 200_000
    assert gzip.decompress(raw).startswith(b"timestamp,branch,channel,count\n")
