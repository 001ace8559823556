"""Stability: close to a published roster when re-solving, calm post changes in a day.

Rules registered from this module: roster_stability, min_post_stint, post_switches.
"""

from __future__ import annotations

from scheduler.roster.model import RuleFunction

RULES: tuple[RuleFunction, ...] = ()
"""The rule functions of this module, in catalogue order."""
