"""People who work together or apart: trainees with mentors, never alone together.

Rules registered from this module: mentor_present, not_alone_together.
"""

from __future__ import annotations

from scheduler.roster.model import RuleFunction

RULES: tuple[RuleFunction, ...] = ()
"""The rule functions of this module, in catalogue order."""
