"""``branch-roster backtest``: how accurate each forecasting model has been, week by week."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from scheduler.cli.common import console, print_issues, require_out_folder

if TYPE_CHECKING:
    import pandas as pd


def register(app: typer.Typer) -> None:
    """Add the ``backtest`` command."""

    @app.command("backtest")
    def backtest_cmd(
        history: Path = typer.Option(
            ..., "--history", "--traffic", help="Traffic history (CSV/XLSX)."
        ),
        branch: str | None = typer.Option(None, "--branch", help="Branch id in the history."),
        origins: int = typer.Option(8, "--origins", min=1, max=52, help="Weekly origins."),
        config: Path | None = typer.Option(
            None, "--config", help="Branch configuration (default only for the sample branch)."
        ),
        events: Path | None = typer.Option(None, "--events", help="Known events (CSV/XLSX)."),
        pension_days: str | None = typer.Option(
            None, "--pension-days", help="Pension-payment days of the month, e.g. 10 or 5,15."
        ),
        jobs: int = typer.Option(0, "--jobs", help="Worker processes (0 = one per CPU)."),
        out: Path | None = typer.Option(
            None, "--out", help="Also write backtest_rows.csv and backtest_scores.csv here."
        ),
    ) -> None:
        """Score every model and the automatic choice over the last --origins weeks.

        Prints MAE, RMSE, MASE (scaled by the in-sample same-hour-last-week error) and the
        share of actual hours inside the 80% and 95% intervals, per series and overall.
        """
        if out is not None:
            require_out_folder(out)
        from forecasting.backtest import backtest
        from forecasting.inputs import load_forecast_inputs, settings_from_options
        from scheduler.cli.cmd_forecast import series_progress
        from scheduler.io.atomic import atomic_write_bytes

        settings_from_options(pension_days)  # a bad --pension-days fails before any reading
        inputs = load_forecast_inputs(history, branch, config, events)
        settings = settings_from_options(pension_days, inputs.config)
        print_issues(inputs.warnings)
        with series_progress("backtest") as bar:
            task = bar.add_task("backtest", total=None)
            report = backtest(
                inputs.history,
                inputs.config,
                origins,
                events=inputs.events,
                settings=settings,
                n_jobs=jobs,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                source=str(history),
            )
        print_issues(report.issues)
        console.print(scores_table(report.table, report.origins))
        if out is not None:
            rows = report.rows.assign(ds=report.rows["ds"].astype(str))
            atomic_write_bytes(out / "backtest_rows.csv", rows.to_csv(index=False).encode())
            atomic_write_bytes(
                out / "backtest_scores.csv", report.table.to_csv(index=False).encode()
            )
            console.print(f"wrote {out / 'backtest_rows.csv'}, {out / 'backtest_scores.csv'}")


def scores_table(table: pd.DataFrame, origins: int) -> Table:
    """The score table as a rich table."""
    out = Table(
        title=f"Backtest over {origins} weekly origins (intervals calibrated on "
        "earlier weeks; raw = the model's own)",
        title_justify="left",
    )
    levels = [c.split("-")[1] for c in table.columns if c.startswith("coverage-")]
    heads = ["channel", "model", "hours", "MAE", "RMSE", "MASE"]
    heads += [f"cover {lv}%" for lv in levels] + [f"raw {lv}%" for lv in levels] + ["picked"]
    for head in heads:  # names and the choice are never cut, whatever the terminal's width
        left = head in ("channel", "model", "picked")
        out.add_column(head, justify="left" if left else "right", no_wrap=left, min_width=len(head))
    previous = None
    for rec in table.to_dict("records"):
        if previous is not None and rec["unique_id"] != previous:
            out.add_section()
        previous = rec["unique_id"]
        series = str(rec["unique_id"]).split("/")[-1]
        cells = [series, str(rec["model"]), f"{rec['hours']:.0f}"]
        cells += [f"{rec['mae']:.2f}", f"{rec['rmse']:.2f}", f"{rec['mase']:.3f}"]
        cells += [f"{rec[f'coverage-{lv}']:.1%}" for lv in levels]
        cells += [f"{rec[f'raw-coverage-{lv}']:.1%}" for lv in levels]
        picked = rec.get("picked")
        cells.append(picked if isinstance(picked, str) else "")
        out.add_row(*cells)
    return out
