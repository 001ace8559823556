"""Model-building benchmark: CPU seconds to build the roster model, against a git baseline.

On large instances building the CP-SAT model takes a real share of the time limit (the
published benchmark's instance 13, 120 people over 28 days with 18 shift types, took more
than 8 CPU seconds of a 60-second limit), so it is measured apart from the solve. Each
instance is built ``--repeats`` times in a fresh subprocess per code version; the table gives
the median CPU seconds (``time.process_time``, less sensitive to other work on the machine
than wall time) and the ratio of this checkout to the baseline, both measured in the same run.

Usage::

    .venv/bin/python benchmarks/build_bench.py --baseline HEAD~1
    .venv/bin/python benchmarks/build_bench.py --families M XL --instances /path/to/nrp \\
        --names Instance12 Instance13 --baseline main

``--instances`` is a folder of the Shift Scheduling Benchmark files (not shipped; see
``benchmarks/shift_benchmark_bench.py``). Without ``--baseline`` only this checkout is
measured. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_MEASURE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from scheduler.instances import make_instance
from scheduler.io.shift_benchmark import read_shift_benchmark, to_request
from scheduler.roster.solve import build_model
out = {}
for spec in json.loads(sys.argv[2]):
    kind, name, arg = spec
    if kind == "family":
        request = make_instance(name, int(arg))
        label = f"{name}-{arg}"
    else:
        request = to_request(read_shift_benchmark(arg))
        label = name
    times = []
    for _ in range(int(sys.argv[3])):
        started = time.process_time()
        build_model(request)
        times.append(time.process_time() - started)
    out[label] = times
print(json.dumps(out))
"""


def _measure(root: Path, specs: list[list[str]], repeats: int) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(root), json.dumps(specs), str(repeats)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", nargs="*", default=["M", "L", "XL"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--instances", type=Path, help="folder of Shift Scheduling Benchmark files")
    parser.add_argument("--names", nargs="*", default=["Instance12", "Instance13"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline", help="git revision to compare with (built in a worktree)")
    args = parser.parse_args(argv)
    specs = [["family", f, str(args.seed)] for f in args.families]
    if args.instances is not None:
        for name in args.names:
            path = args.instances / f"{name}.txt"
            if not path.is_file():
                parser.error(f"{path}: no such instance file")
            specs.append(["file", name, str(path)])
    here = _measure(ROOT, specs, args.repeats)
    base: dict[str, list[float]] = {}
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "baseline"
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "worktree",
                    "add",
                    "-q",
                    "--detach",
                    str(tree),
                    args.baseline,
                ],
                check=True,
            )
            try:
                base = _measure(tree, specs, args.repeats)
            finally:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
                )
    print(f"CPU seconds to build the model, median of {args.repeats}")
    print()
    head = "| instance | this checkout |"
    rule = "| --- | --- |"
    if base:
        head += f" baseline {args.baseline} | ratio |"
        rule += " --- | --- |"
    print(head)
    print(rule)
    for label, times in here.items():
        now = statistics.median(times)
        row = f"| {label} | {now:.2f} |"
        if base:
            then = statistics.median(base[label])
            row += f" {then:.2f} | {now / then:.2f} |"
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
