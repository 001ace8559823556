"""Independent re-check of a roster against the branch's hard rules, from the config alone."""

from scheduler.verify.report import VerificationReport, Violation
from scheduler.verify.rules import verify_roster

__all__ = ["VerificationReport", "Violation", "verify_roster"]
