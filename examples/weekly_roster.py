"""Run the weekly job from Python, stage by stage, as an HR system would.

Each stage takes the previous stage's frame as it is: traffic history -> forecast ->
staff needed per post and hour -> roster -> predicted waits.

    python examples/weekly_roster.py
"""

from __future__ import annotations

import warnings

from forecasting import ForecastWarning, forecast
from scheduler.pipeline import sample_inputs
from scheduler.roster import solve
from scheduler.roster.request import RosterRequest, SolveOptions
from scheduler.staffing import requirements
from scheduler.staffing.simulation import simulate
from scheduler.verify import verify_roster

inputs = sample_inputs("2026-W49")  # the bundled sample branch; load_inputs(...) for your files
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ForecastWarning)  # a few missing hours are repaired
    fc = forecast(inputs.history, inputs.config, inputs.horizon)
print(f"forecast: {len(fc)} rows, {fc['mean'].sum():.0f} customers expected this week")

need = requirements(fc, inputs.config, level="mean")
print(f"requirements: {int(need['required'].sum())} staff-hours over {need['ds'].nunique()} slots")

request = RosterRequest(
    config=inputs.config,
    horizon=inputs.horizon,
    requirements=need,
    availability=inputs.availability,
)
result = solve(request, SolveOptions(time_limit_s=5, workers=2, seed=0))
print(result.summary())
print(result.penalties_by_rule().head(5).to_string(index=False))

report = verify_roster(request, result.assignments)
print(f"independent check: {len(report.violations)} hard-rule violations")

waits = simulate(fc, result.assignments, inputs.config, seed=0, replications=5)
worst = waits.sort_values("mean_wait_min", ascending=False).iloc[0]
print(
    f"longest predicted wait: {worst['mean_wait_min']:.1f} min "
    f"({worst['channel']}, {worst['ds']:%a %H:%M})"
)
