"""Reading the forecaster's inputs for the command line: configuration, history, events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from forecasting.settings import ForecastSettings
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.sample.branch import SAMPLE_BRANCH_ID


@dataclass(frozen=True)
class ForecastInputs:
    """The checked inputs of the ``forecast`` and ``backtest`` commands.

    Attributes:
        config: Branch configuration.
        history: History frame of the branch (:data:`scheduler.frames.HISTORY_COLUMNS`).
        events: Known events, or ``None``.
        config_source: Where the configuration came from.
        warnings: What reading the inputs repaired or noticed (e.g. hours with missing
            15-minute counts); printed, never blocking.
    """

    config: BranchConfig
    history: pd.DataFrame
    events: pd.DataFrame | None
    config_source: str
    warnings: tuple[Issue, ...] = ()


def sample_config_path() -> Path:
    """The sample branch's ``branch.yaml`` in the checkout."""
    from scheduler.pipeline import sample_dir

    return sample_dir() / "branch.yaml"


def parse_pension_days(text: str | None) -> tuple[int, ...]:
    """Days of the month from ``"10"`` or ``"5,15"``; empty for ``None`` or ``""``.

    Raises:
        InputError: If a part is not a day of the month.
    """
    if not text or not text.strip():
        return ()
    days: list[int] = []
    for part in text.replace("，", ",").split(","):
        try:
            day = int(part.strip())
        except ValueError:
            day = 0
        if not 1 <= day <= 31:
            raise InputError(
                [
                    Issue(
                        "--pension-days",
                        "not a day of the month",
                        value=part.strip(),
                        allowed="days 1..31 separated by commas, e.g. 10 or 5,15",
                    )
                ]
            )
        days.append(day)
    return tuple(sorted(set(days)))


def load_forecast_inputs(
    history_path: Path,
    branch: str | None,
    config_path: Path | None,
    events_path: Path | None = None,
) -> ForecastInputs:
    """Read the configuration, the branch's history and the events, reporting every problem.

    The configuration defaults to the sample branch's ``branch.yaml`` only when the branch is
    the sample's (``SH-PD-001``); for any other branch ``--config`` is required, because the
    opening hours and holiday calendar come from it.

    Raises:
        InputError: Listing every problem of every input.
    """
    from forecasting.events import read_events
    from scheduler.calendar import BranchCalendar
    from scheduler.io.config_file import load_config
    from scheduler.io.traffic_file import match_channels, read_traffic

    issues: list[Issue] = []
    config: BranchConfig | None = None
    source = ""
    if config_path is not None:
        try:
            config = load_config(config_path)
            source = str(config_path)
        except InputError as exc:
            issues += exc.issues
        if config is not None and branch is not None and branch != config.branch.id:
            issues.append(
                Issue(
                    "--branch",
                    f"the configuration {config_path} is for branch {config.branch.id}",
                    value=branch,
                    allowed=config.branch.id,
                )
            )
    if branch is None and config is not None:
        branch = config.branch.id
    history: pd.DataFrame | None = None
    try:
        history = read_traffic(
            history_path,
            branch=branch,
            timezone=config.branch.timezone if config else None,
            calendar=BranchCalendar(config.branch) if config else None,
        )
        issues += history.attrs.get("issues", [])
        if config is not None:
            history, matched = match_channels(history, config, str(history_path))
            issues += matched
    except InputError as exc:
        issues += exc.issues
    if history is not None and branch is None:
        found = sorted(history["branch"].unique())
        if len(found) == 1:
            branch = found[0]
        else:
            issues.append(
                Issue(
                    "--branch",
                    "the history holds several branches; name one",
                    value=None,
                    allowed=", ".join(found[:30]),
                )
            )
    if config_path is None and branch is not None:
        if branch == SAMPLE_BRANCH_ID:
            config, source = _sample_config(), str(sample_config_path())
        else:
            issues.append(
                Issue(
                    "--config",
                    f"branch {branch} needs its configuration (opening "
                    "hours and holiday calendar); only the sample branch "
                    f"{SAMPLE_BRANCH_ID} has a default",
                    value=None,
                    allowed="--config path/to/branch.yaml",
                )
            )
    events = None
    if events_path is not None:
        try:
            events = read_events(events_path)
        except InputError as exc:
            issues += exc.issues
    if any(i.severity == "error" for i in issues) or config is None or history is None:
        raise InputError(issues)
    warnings = tuple(i for i in issues if i.severity != "error")
    return ForecastInputs(config, history, events, source, warnings)


def _sample_config() -> BranchConfig:
    from scheduler.io.config_file import load_config
    from scheduler.sample.branch import sample_config

    path = sample_config_path()
    if path.exists():
        return load_config(path)
    return sample_config(dt.date.today())


def settings_from_options(
    pension_days: str | None, config: BranchConfig | None = None
) -> ForecastSettings:
    """Forecast settings from command-line options.

    Without ``--pension-days`` the configuration's ``branch.calendar.pension_days`` apply.
    """
    if pension_days is None and config is not None:
        return ForecastSettings(pension_days=tuple(config.branch.calendar.pension_days))
    return ForecastSettings(pension_days=parse_pension_days(pension_days))
