"""What the verifier found: one record per violation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One broken hard rule.

    Attributes:
        rule: Catalogue name of the rule.
        staff_id: The person concerned, if any.
        date: The day, if any.
        slot: Start of the slot ("HH:MM"), if any.
        post: The post, if any.
        message: A sentence a branch manager can read.
    """

    rule: str
    staff_id: str | None
    date: dt.date | None
    slot: str | None
    post: str | None
    message: str


@dataclass(frozen=True)
class VerificationReport:
    """All violations found, and the rules that were checked.

    Attributes:
        violations: Broken hard rules.
        checked: Names of the rules checked.
    """

    violations: tuple[Violation, ...] = ()
    checked: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Whether no hard rule is broken."""
        return not self.violations

    def by_rule(self, rule: str) -> list[Violation]:
        """The violations of one rule."""
        return [v for v in self.violations if v.rule == rule]
