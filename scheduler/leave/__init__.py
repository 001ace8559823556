"""The annual mandatory-leave plan and ordinary annual-leave entitlements."""

from scheduler.leave.entitlement import ENTITLEMENT_COLUMNS, entitlements
from scheduler.leave.plan import (
    PLAN_COLUMNS,
    LeaveBlock,
    LeavePlan,
    LeavePlanSettings,
    LeavePreference,
    PlannedBlock,
    PlanPenalty,
    cover_need,
    mandatory_posts,
    plan_leave,
    subjects_of,
)

__all__ = [
    "ENTITLEMENT_COLUMNS",
    "PLAN_COLUMNS",
    "LeaveBlock",
    "LeavePlan",
    "LeavePlanSettings",
    "LeavePreference",
    "PlanPenalty",
    "PlannedBlock",
    "cover_need",
    "entitlements",
    "mandatory_posts",
    "plan_leave",
    "subjects_of",
]
