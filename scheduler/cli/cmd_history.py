"""``branch-roster history``: what has been published, and hours per person and post."""

from __future__ import annotations

import typer
from rich.table import Table

from scheduler.cli.cmd_publish import DB_HELP
from scheduler.cli.common import console


def register(app: typer.Typer) -> None:
    """Add the ``history`` command."""

    @app.command("history")
    def history(
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        branch: str | None = typer.Option(None, "--branch", help="Only this branch."),
        week: str | None = typer.Option(
            None, "--week", help="ISO week, e.g. 2026-W49: also show hours per person and post."
        ),
    ) -> None:
        """List publications (every version) and, for a week, hours per person per post."""
        from scheduler.calendar import week_horizon
        from scheduler.errors import InputError, Issue
        from scheduler.history import HistoryStore, database_exists, resolve_db_url
        from scheduler.history.migrate import display_url

        horizon = None
        if week is not None:
            horizon = week_horizon(week)
        url = resolve_db_url(db)
        if not database_exists(url):
            raise InputError(
                [
                    Issue(
                        display_url(url),
                        "no history database here yet",
                        allowed="publish a roster first, or give --db / $BRANCH_ROSTER_DB",
                    )
                ]
            )
        with HistoryStore.open(url) as store:
            start, end = (horizon.start, horizon.end) if horizon else (None, None)
            pubs = store.publications_frame(branch, start, end)
            table = Table(title=f"Publications in {store!r}")
            for col in ("branch", "days", "version", "published (UTC)", "status", "people",
                        "paid h", "current", "note"):  # fmt: skip
                table.add_column(col)
            for r in pubs.itertuples(index=False):
                table.add_row(
                    r.branch_id,
                    f"{r.start_date}..{r.end_date}",
                    str(r.version),
                    r.published_at.strftime("%Y-%m-%d %H:%M"),
                    r.status,
                    str(r.people),
                    f"{r.paid_hours:g}",
                    "yes" if r.current else "",
                    r.note,
                )
            console.print(table)
            if horizon is None:
                return
            branches = [branch] if branch else sorted(set(pubs["branch_id"]))
            for b in branches:
                hours = store.post_hours(b, horizon.start, horizon.end)
                if hours.empty:
                    console.print(f"{b}: nothing published for {horizon.label()}")
                    continue
                pivot = hours.pivot_table(
                    index="staff_id", columns="post", values="hours", aggfunc="sum", fill_value=0
                )
                grid = Table(title=f"{b} {horizon.label()}: hours per person and post")
                grid.add_column("staff")
                for post in pivot.columns:
                    grid.add_column(str(post), justify="right")
                for staff_id, row in pivot.iterrows():
                    grid.add_row(str(staff_id), *(f"{v:g}" if v else "" for v in row))
                console.print(grid)
