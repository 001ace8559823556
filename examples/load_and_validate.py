"""Load a branch configuration and staff availability the way another HR system would.

Usage:
    python examples/load_and_validate.py                      # the bundled sample branch
    python examples/load_and_validate.py branch.yaml avail/*.csv --week 2026-W49

Prints what was read, one line per person with declarations, and every problem found
(file, row, column, value, what is allowed). Exits with 2 when an input has an error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scheduler.calendar import Horizon
from scheduler.errors import InputError
from scheduler.io.availability_file import load_availability
from scheduler.io.config_file import load_config

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_branch"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", type=Path, default=SAMPLE / "branch.yaml")
    parser.add_argument("availability", nargs="*", type=Path)
    parser.add_argument("--week", default="2026-W49")
    args = parser.parse_args(argv)
    files = args.availability or sorted((SAMPLE / "availability").glob("*.*"))
    horizon = Horizon.iso_week(args.week)

    try:
        config = load_config(args.config)
    except InputError as exc:
        for issue in exc.issues:
            print(f"error: {issue}")
        return 2
    print(f"branch {config.branch.id} {config.branch.name}: {len(config.staff)} staff")

    try:
        availability, warnings = load_availability(files, config=config, horizon=horizon)
    except InputError as exc:
        for issue in exc.issues:
            print(f"{issue.severity}: {issue}")
        return 2
    for issue in warnings:
        print(f"warning: {issue}")
    print(
        f"availability for {horizon.label()}: {len(availability.entries)} entries, "
        f"{len(availability.leave)} leave requests from {len(files)} files"
    )
    for person in config.staff:
        own = availability.for_staff(person.id)
        if own.entries or own.leave:
            parts = [f"{e.date:%a} {e.kind.value}" for e in own.entries]
            parts += [f"{lv.kind.value} leave {lv.start_date}..{lv.end_date}" for lv in own.leave]
            print(f"  {person.id} {person.name}: {', '.join(parts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
