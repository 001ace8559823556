"""Roster construction with OR-Tools CP-SAT: model, rules, solve, explain."""

from scheduler.roster.result import Conflict, Penalty, RosterResult, SolverStats

__all__ = ["Conflict", "Penalty", "RosterResult", "SolverStats"]
