"""Labour cost, with overtime premiums.

Rules registered from this module: labour_cost.
"""

from __future__ import annotations

from scheduler.roster.model import RuleFunction

RULES: tuple[RuleFunction, ...] = ()
"""The rule functions of this module, in catalogue order."""
