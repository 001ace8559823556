"""Roster history: published rosters, leave taken, hours per post, and rotation quotas."""

from scheduler.history.migrate import database_exists, default_db_path, resolve_db_url
from scheduler.history.quotas import PROGRESS_COLUMNS, quota_progress, quota_targets
from scheduler.history.store import (
    LEAVE_COLUMNS,
    PAID_HOURS_COLUMNS,
    POST_HOURS_COLUMNS,
    HistoryStore,
    PublicationInfo,
    RosterRecord,
)

__all__ = [
    "LEAVE_COLUMNS",
    "PAID_HOURS_COLUMNS",
    "POST_HOURS_COLUMNS",
    "PROGRESS_COLUMNS",
    "HistoryStore",
    "PublicationInfo",
    "RosterRecord",
    "database_exists",
    "default_db_path",
    "quota_progress",
    "quota_targets",
    "resolve_db_url",
]
