"""Labour rules: hours per day and week, rest, days off, consecutive days, weekends.

Rules registered from this module: max_hours_per_day, max_hours_per_week,
min_rest_between_shifts, min_days_off_per_week, max_consecutive_days, min_consecutive_days,
min_consecutive_days_off, max_weekends_worked, forbidden_shift_sequence, total_hours,
max_shifts_of_template.
"""

from __future__ import annotations

from scheduler.roster.model import RuleFunction

RULES: tuple[RuleFunction, ...] = ()
"""The rule functions of this module, in catalogue order."""
