"""``branch-roster leave-plan``: the year's mandatory-leave blocks and leave entitlements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from scheduler.cli.cmd_publish import DB_HELP
from scheduler.cli.common import EXIT_INFEASIBLE, console, err_console, require_out_folder


def _parse_min_cover(values: list[str], posts: set[str]) -> dict[str, int]:
    """Parse ``post=N`` options.

    Raises:
        InputError: For a malformed value, an unknown post or a negative number.
    """
    from scheduler.errors import InputError, IssueCollector

    issues = IssueCollector("--min-cover")
    out: dict[str, int] = {}
    for text in values:
        post, _, number = text.partition("=")
        post = post.strip()
        if post not in posts:
            issues.error("unknown post", value=text, allowed=", ".join(sorted(posts)))
        elif not number.strip().isdigit():
            issues.error("give post=N with N a whole number", value=text, allowed="e.g. teller=2")
        else:
            out[post] = int(number)
    if issues.has_errors:
        raise InputError(issues.issues)
    return out


def _check_in_year(
    year: int, start_day: dt.date | None, today: str | None, blackout: list[str]
) -> None:
    """Refuse a re-plan date after the planned year and a blackout that misses it entirely.

    Raises:
        InputError: Naming the option, the value and the year's dates.
    """
    from scheduler.errors import InputError, Issue
    from scheduler.leave.files import parse_date_range

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    allowed = f"{first.isoformat()}..{last.isoformat()}"
    issues: list[Issue] = []
    if start_day is not None and start_day > last:
        message = f"after the planned year {year}: nothing could be planned"
        issues.append(
            Issue("--today", message, value=today, allowed=f"{last.isoformat()} or earlier")
        )
    for text in blackout:
        lo, hi = parse_date_range(text)
        if hi < first or lo > last:
            message = f"no day of it is in {year}"
            issues.append(Issue("--blackout", message, value=text, allowed=allowed))
    if issues:
        raise InputError(issues)


def register(app: typer.Typer) -> None:
    """Add the ``leave-plan`` command."""

    @app.command("leave-plan")
    def leave_plan(
        year: int = typer.Option(..., "--year", min=2000, max=2100, help="Year to plan."),
        config: Path = typer.Option(..., "--config", help="Branch configuration (YAML/TOML)."),
        out: Path = typer.Option(..., "--out", help="Folder for leave_plan.csv and more."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        preferences: Path | None = typer.Option(
            None, "--preferences", help="Staff wishes: staff_id, earliest, latest, weight."
        ),
        previous: Path | None = typer.Option(
            None, "--previous", help="An earlier leave_plan.csv to keep where possible."
        ),
        today: str | None = typer.Option(
            None, "--today", help="Re-plan from this date (YYYY-MM-DD); earlier blocks stay."
        ),
        blackout: list[str] = typer.Option(
            [], "--blackout", help="Extra dates to avoid: 2027-06-20..2027-06-30 (repeatable)."
        ),
        min_cover: list[str] = typer.Option(
            [], "--min-cover", help="People per post kept available each week: teller=2."
        ),
        time_limit: float = typer.Option(30.0, "--time-limit", min=1, help="Solver seconds."),
        workers: int = typer.Option(2, min=1, help="Solver search workers."),
        seed: int = typer.Option(0, help="Solver random seed."),
    ) -> None:
        """Place each sensitive-post holder's mandatory leave block in the year.

        Writes leave_plan.csv and entitlements.csv (annual leave entitled vs taken) to --out.
        """
        require_out_folder(out)
        from scheduler.errors import InputError
        from scheduler.history import LEAVE_COLUMNS, HistoryStore, database_exists, resolve_db_url
        from scheduler.history.migrate import display_url
        from scheduler.io.config_file import load_config
        from scheduler.io.tables import parse_date
        from scheduler.leave import LeavePlanSettings, entitlements, plan_leave
        from scheduler.leave.files import (
            parse_date_range,
            read_preferences,
            read_previous_plan,
            write_frame_csv,
        )

        cfg = load_config(config)
        start_day = None
        if today is not None:
            try:
                start_day = parse_date(today)
            except ValueError:
                from scheduler.errors import Issue

                raise InputError(
                    [Issue("--today", "not a date", value=today, allowed="YYYY-MM-DD")]
                ) from None
        _check_in_year(year, start_day, today, blackout)
        prefs = read_preferences(preferences, cfg) if preferences else []
        prev = read_previous_plan(previous, cfg) if previous else []
        settings = LeavePlanSettings(
            today=start_day,
            min_cover=_parse_min_cover(min_cover, {p.id for p in cfg.posts}),
            blackout=tuple(parse_date_range(b) for b in blackout),
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
        )
        url = resolve_db_url(db)
        if database_exists(url):
            with HistoryStore.open(url) as store:
                leave = store.leave(cfg.branch.id, dt.date(year, 1, 1), dt.date(year, 12, 31))
        else:
            err_console.print(f"no history database at {display_url(url)}: no leave taken yet")
            leave = pd.DataFrame(columns=list(LEAVE_COLUMNS))
        plan = plan_leave(
            cfg, year, leave=leave, preferences=prefs, previous=prev, settings=settings
        )
        console.print(plan.summary())
        ent = entitlements(cfg, leave, year)
        out.mkdir(parents=True, exist_ok=True)
        write_frame_csv(ent, out / "entitlements.csv")
        if not plan.feasible:
            console.print(f"wrote {out / 'entitlements.csv'}; no plan was written")
            # SystemExit, not typer.Exit: run_guarded calls the app with standalone_mode=False,
            # in which click returns a typer.Exit's code instead of exiting with it.
            raise SystemExit(EXIT_INFEASIBLE)
        frame = plan.frame(cfg)
        write_frame_csv(frame, out / "leave_plan.csv")
        table = Table(title=f"Mandatory leave {year}, {cfg.branch.id}")
        for col in ("person", "post", "from", "to", "days", "cover", "status", "wish"):
            table.add_column(col)
        for r in frame.itertuples(index=False):
            table.add_row(
                f"{r.name} ({r.staff_id})",
                r.post,
                str(r.start),
                str(r.end),
                str(r.working_days),
                f"{r.cover_name} ({r.cover_id})" if r.cover_id else "",
                r.status,
                r.preference,
            )
        console.print(table)
        ents = Table(title=f"Annual leave {year}: entitled vs taken (working days)")
        for col in ("person", "years", "entitled", "annual", "mandatory", "remaining"):
            ents.add_column(col)
        for r in ent.itertuples(index=False):
            ents.add_row(
                f"{r.name} ({r.staff_id})",
                str(r.seniority_years),
                str(r.entitled_days),
                str(r.annual_taken),
                str(r.mandatory_taken),
                str(r.remaining_days),
            )
        console.print(ents)
        console.print(f"wrote {out / 'leave_plan.csv'} and {out / 'entitlements.csv'}")
