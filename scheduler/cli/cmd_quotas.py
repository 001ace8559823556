"""``branch-roster quotas``: rotation-quota progress and next week's soft targets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from scheduler.cli.cmd_publish import DB_HELP
from scheduler.cli.common import console, err_console, require_out_file
from scheduler.domain import BranchConfig, QuotaPeriod


def register(app: typer.Typer) -> None:
    """Add the ``quotas`` command."""

    @app.command("quotas")
    def quotas(
        config: Path = typer.Option(..., "--config", help="Branch configuration (YAML/TOML)."),
        week: str = typer.Option(..., "--week", help="ISO week about to be planned (2026-W49)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        tolerance: float = typer.Option(
            0.05, min=0, max=1, help="Lag (share of the bound) before someone is 'behind'."
        ),
        out: Path | None = typer.Option(None, "--out", help="Also write the report as CSV."),
    ) -> None:
        """Show every person's progress on every rotation quota and cycle, laggards first.

        A rotation cycle's row names the leg in force (``cycle: post``) and its period.
        """
        if out is not None:
            require_out_file(out)
        from scheduler.calendar import week_horizon
        from scheduler.history import HistoryStore, database_exists, resolve_db_url
        from scheduler.history.migrate import display_url
        from scheduler.history.quotas import quota_progress
        from scheduler.history.store import POST_HOURS_COLUMNS
        from scheduler.io.config_file import load_config
        from scheduler.leave.files import write_frame_csv

        horizon = week_horizon(week)
        cfg = load_config(config)
        url = resolve_db_url(db)
        if database_exists(url):
            with HistoryStore.open(url) as store:
                report = quota_progress(cfg, store, horizon.start, tolerance=tolerance)
        else:
            err_console.print(f"no history database at {display_url(url)}: nothing done yet")
            empty = pd.DataFrame(columns=list(POST_HOURS_COLUMNS))
            report = quota_progress(cfg, empty, horizon.start, tolerance=tolerance)
        if out is not None:
            write_frame_csv(report, out)
        table = Table(title=f"Rotation quotas of {cfg.branch.id} before {horizon.label()}")
        for col in ("quota", "person", "period", "done h", "share", "min h", "max h",
                    "due by now", "streak", "this week", "status"):  # fmt: skip
            table.add_column(col)

        def num(v: object) -> str:
            return "" if v is None or v != v else f"{v:g}"  # NaN != NaN

        for r in report.itertuples(index=False):
            week_target = "-".join(x for x in (num(r.target_min), num(r.target_max)) if x)
            style = {"behind": "red", "must rotate": "red", "over": "yellow"}.get(r.status, "")
            leg = r.leg_post if isinstance(r.leg_post, str) else ""
            table.add_row(
                f"{r.quota}: {leg}" if leg else r.quota,
                f"{r.name} ({r.staff_id})",
                f"{r.period} {r.period_start or ''}",
                num(r.done_hours),
                "" if r.share is None or r.share != r.share else f"{100 * r.share:.0f}%",
                num(r.min_hours),
                num(r.max_hours),
                num(r.expected_hours),
                f"{r.streak_weeks}/{r.max_consecutive_weeks}"
                if r.max_consecutive_weeks == r.max_consecutive_weeks and r.max_consecutive_weeks
                else "",
                week_target,
                f"[{style}]{r.status}[/{style}]" if style else r.status,
            )
        console.print(table, markup=True)
        behind = int((report["status"] == "behind").sum())
        console.print(f"{len(report)} rows; {behind} behind")
        why = _nothing_carried(cfg) if report.empty else None
        if why:
            console.print(why)


def _nothing_carried(cfg: BranchConfig) -> str | None:
    """Why the report is empty when no quota of the branch is counted across rosters."""
    if not cfg.rotation_quotas and not cfg.rotation_cycles:
        return f"{cfg.branch.id} has no rotation quota or cycle in its configuration."
    within = [
        q
        for q in cfg.rotation_quotas
        if q.period == QuotaPeriod.HORIZON and q.max_consecutive_weeks is None
    ]
    if cfg.rotation_cycles or len(within) < len(cfg.rotation_quotas):
        return None
    names = ", ".join(f"'{q.name}'" for q in within)
    return (
        f"The rotation quotas of {cfg.branch.id} ({names}) are counted inside each roster "
        "(period: horizon), so nothing carries over from one week to the next; give a quota "
        "a period (week, quarter, year) or max_consecutive_weeks to track it here."
    )
