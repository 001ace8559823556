"""``branch-roster forecast``: hourly customer volume per channel for a week, with intervals."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scheduler.cli.common import console, err_console, print_issues, require_out_folder

if TYPE_CHECKING:
    import pandas as pd

    from forecasting.core import Forecaster

FORECAST_FILE = "forecast.csv"
PARQUET_FILE = "forecast.parquet"
CHART_FILE = "forecast.png"


def series_progress(label: str) -> Progress:
    """A progress bar over series on standard error."""
    return Progress(
        TextColumn(f"{label:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("series"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def register(app: typer.Typer) -> None:
    """Add the ``forecast`` command."""

    @app.command("forecast")
    def forecast_cmd(
        history: Path = typer.Option(
            ..., "--history", "--traffic", help="Traffic history (CSV/XLSX)."
        ),
        week: str = typer.Option(..., "--week", help="ISO week to forecast, e.g. 2026-W49."),
        out: Path = typer.Option(Path("out"), "--out", help="Folder for the output files."),
        branch: str | None = typer.Option(None, "--branch", help="Branch id in the history."),
        config: Path | None = typer.Option(
            None, "--config", help="Branch configuration (default only for the sample branch)."
        ),
        model: str = typer.Option("auto", "--model", help="auto, seasonal_naive, glm or mstl."),
        events: Path | None = typer.Option(None, "--events", help="Known events (CSV/XLSX)."),
        weeks: int = typer.Option(1, "--weeks", min=1, max=8, help="Number of weeks."),
        pension_days: str | None = typer.Option(
            None, "--pension-days", help="Pension-payment days of the month, e.g. 10 or 5,15."
        ),
        jobs: int = typer.Option(0, "--jobs", help="Worker processes (0 = one per CPU)."),
    ) -> None:
        """Forecast customers per channel and open hour with 80% and 95% intervals.

        Writes forecast.csv (and forecast.parquet when pyarrow is installed) and forecast.png
        (recent history, forecast and intervals per channel) into --out.
        """
        require_out_folder(out)
        from forecasting.core import Forecaster
        from forecasting.inputs import load_forecast_inputs, settings_from_options
        from forecasting.plot import forecast_chart
        from scheduler.calendar import week_horizon
        from scheduler.io.atomic import atomic_write_bytes, atomic_write_with
        from scheduler.io.ticket_log import handling_time_lines
        from scheduler.io.traffic_file import history_fit

        horizon = week_horizon(week, weeks)
        settings_from_options(pension_days)  # a bad --pension-days fails before any reading
        inputs = load_forecast_inputs(history, branch, config, events)
        settings = settings_from_options(pension_days, inputs.config)
        stamps = inputs.history["ds"]
        fit = history_fit(str(history), stamps.min().date(), stamps.max().date(), horizon)
        print_issues([*inputs.warnings, *fit])
        with series_progress("forecast") as bar:
            task = bar.add_task("forecast", total=None)
            fc = Forecaster(
                inputs.config,
                model=model,
                events=inputs.events,
                settings=settings,
                n_jobs=jobs,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                source=str(history),
            )
            fc.fit(inputs.history, before=dt.datetime.combine(horizon.start, dt.time()))
        frame = fc.predict(horizon)
        print_issues(fc.issues)
        out.mkdir(parents=True, exist_ok=True)
        csv = frame.assign(ds=frame["ds"].dt.strftime("%Y-%m-%d %H:%M"))
        atomic_write_bytes(out / FORECAST_FILE, csv.to_csv(index=False).encode("utf-8"))
        written = [out / FORECAST_FILE]
        if importlib.util.find_spec("pyarrow") is not None:
            atomic_write_with(out / PARQUET_FILE, lambda p: frame.to_parquet(p, index=False))
            written.append(out / PARQUET_FILE)
        else:
            console.print(f"note: pyarrow is not installed, so {PARQUET_FILE} was not written")
        assert fc.history is not None
        chart = forecast_chart(
            fc.history.frame, frame, fc.levels, title=f"{inputs.config.branch.id} {horizon.label()}"
        )
        atomic_write_bytes(out / CHART_FILE, chart)
        written.append(out / CHART_FILE)
        console.print(summary_table(fc, frame))
        console.print(f"configuration: {inputs.config_source}")
        for line in handling_time_lines(
            inputs.history.attrs.get("ticket_figures", []), inputs.config
        ):
            console.print(line)  # a queue-ticket log: measured service figures per channel
        console.print("wrote " + ", ".join(str(p) for p in written))


def summary_table(fc: Forecaster, frame: pd.DataFrame) -> Table:
    """Per series: the model used, its backtest MASE, interval factors and the week's total."""
    table = Table(title="Forecast per channel", title_justify="left")
    for name in ("series", "model", "backtest MASE", "interval factors", "hours", "total"):
        table.add_column(name, justify="left" if name in ("series", "model") else "right")
    totals = frame.groupby("unique_id")["mean"].agg(["sum", "size"])
    for uid, fit in sorted(fc.fits.items()):
        mase = fit.choice.mase
        factors = ", ".join(f"{lv}%: {f:.2f}" for lv, f in sorted(fit.choice.scales.items()))
        total, hours = (
            (totals.loc[uid, "sum"], totals.loc[uid, "size"]) if uid in totals.index else (0.0, 0)
        )
        table.add_row(
            uid,
            fit.model.label,
            "-" if mase != mase else f"{mase:.3f}",
            factors if fit.choice.calibrated else "not calibrated",
            str(int(hours)),
            f"{total:,.0f}",
        )
    return table
