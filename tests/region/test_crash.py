"""A worker that dies hard fails its branch alone, with the cause, and a re-run recovers it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scheduler.region.run import run_region
from scheduler.region.worker import FAULT_ENV, faults_from_env
from tests.region.conftest import WEEK, tiny_region


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with (out / "region_summary.csv").open(encoding="utf-8") as fh:
        return {r["branch"]: r for r in csv.DictReader(fh)}


def test_killed_worker_fails_its_branch_alone_and_rerun_recovers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SIGKILLed branch fails naming the signal; the others finish; a re-run fixes it."""
    reg, out = tmp_path / "reg", tmp_path / "out"
    tiny_region(reg, {"A": (2, 4.0), "B": (2, 4.0), "C": (2, 4.0)})
    monkeypatch.setenv(FAULT_ENV, "B=kill")
    first = run_region(reg, WEEK, out, workers=2, time_limit_per_branch=2)
    assert {b: o.status for b, o in first.outcomes.items()} == {
        "A": "ok",
        "B": "failed",
        "C": "ok",
    }
    assert first.outcomes["B"].error == (
        "worker process died without a result: killed by SIGKILL "
        "(out of memory, or killed from outside)"
    )
    assert sorted(p.name for p in out.iterdir()) == ["A", "C", "region_summary.csv"]
    kept = {b: _summary(out)[b] for b in ("A", "C")}

    monkeypatch.delenv(FAULT_ENV)
    started: list[str] = []
    again = run_region(
        reg, WEEK, out, workers=2, time_limit_per_branch=2, rerun_failed=True,
        on_event=lambda bid, event, outcome: started.append(bid) if event == "started" else None,
    )  # fmt: skip
    assert started == ["B"]
    assert again.outcomes["B"].status == "ok"
    rows = _summary(out)
    assert (rows["B"]["status"], rows["B"]["error"]) == ("ok", "")
    assert {b: rows[b] for b in ("A", "C")} == kept
    assert (out / "B" / "roster.csv").exists()


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("exit", "worker process died without a result: exit code 70"),
        (
            "segv",
            "worker process died without a result: killed by SIGSEGV (a crash in native code)",
        ),
        ("memory", "out of memory: MemoryError (at worker.py:"),
    ],
)
def test_each_way_of_dying_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, error: str
) -> None:
    """os._exit, a segfault and a memory blow-up each fail the branch with their own cause."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0), "B": (2, 4.0)})
    monkeypatch.setenv(FAULT_ENV, f"A={mode}")
    result = run_region(tmp_path / "reg", WEEK, tmp_path / "out", workers=2,
                        time_limit_per_branch=2, use_pool=False)  # fmt: skip
    assert result.outcomes["A"].status == "failed"
    assert result.outcomes["A"].error.startswith(error)
    assert result.outcomes["B"].status == "ok"
    assert result.failed == ["A"]


def test_fault_hook_is_ignored_outside_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash hook acts only while pytest runs a test: a stray variable kills no branch."""
    monkeypatch.setenv(FAULT_ENV, "A=kill,B=exit,C=bogus")
    assert faults_from_env() == {"A": "kill", "B": "exit"}
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert faults_from_env() == {}
