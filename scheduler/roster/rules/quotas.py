"""Rotation quotas (轮岗): hours a person must, or may at most, spend in posts.

Rules registered from this module: rotation_quota.
"""

from __future__ import annotations

from scheduler.roster.model import RuleFunction

RULES: tuple[RuleFunction, ...] = ()
"""The rule functions of this module, in catalogue order."""
