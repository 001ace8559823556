"""The ordered registry of rule functions: one function per catalogue rule, hard rules first.

Each module lists its functions in ``RULES``; a function's name is the rule's catalogue name.
The order is the catalogue's, hard rules (by default mode) before soft ones.
"""

from __future__ import annotations

from types import ModuleType

from scheduler.domain import RULES as CATALOGUE
from scheduler.domain import RuleMode
from scheduler.errors import ModelError
from scheduler.roster.model import RuleFunction
from scheduler.roster.rules import (
    core,
    cost,
    coverage,
    fairness,
    floors,
    labour,
    pairing,
    pairs,
    quotas,
    stability,
)

MODULES: tuple[ModuleType, ...] = (
    core,
    coverage,
    floors,
    pairs,
    labour,
    quotas,
    fairness,
    stability,
    pairing,
    cost,
)
"""The modules rule functions are collected from."""


def _collect() -> dict[str, RuleFunction]:
    found: dict[str, RuleFunction] = {}
    for module in MODULES:
        for function in module.RULES:
            name = function.__name__
            if name in found:
                raise ModelError(f"rule {name} is registered twice ({module.__name__})")
            found[name] = function
    order = [r.name for r in CATALOGUE if r.mode == RuleMode.HARD]
    order += [r.name for r in CATALOGUE if r.mode != RuleMode.HARD]
    unknown = sorted(set(found) - set(order))
    if unknown:
        raise ModelError(f"rule function(s) {', '.join(unknown)} name no catalogue rule")
    return {name: found[name] for name in order if name in found}


RULE_FUNCTIONS: dict[str, RuleFunction] = _collect()
"""Rule name -> function, hard rules first, in catalogue order."""


def missing_rules() -> list[str]:
    """Catalogue rules that have no function yet."""
    return [r.name for r in CATALOGUE if r.name not in RULE_FUNCTIONS]


__all__ = ["MODULES", "RULE_FUNCTIONS", "missing_rules"]
