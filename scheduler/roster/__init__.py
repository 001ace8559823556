"""Roster construction with OR-Tools CP-SAT: model, rules, solve, explain."""

from scheduler.roster.request import Pin, RosterRequest, SolveOptions
from scheduler.roster.result import Conflict, Penalty, RosterResult, SolverStats
from scheduler.roster.solve import Progress, build_model, solve

__all__ = [
    "Conflict",
    "Penalty",
    "Pin",
    "Progress",
    "RosterRequest",
    "RosterResult",
    "SolveOptions",
    "SolverStats",
    "build_model",
    "solve",
]
