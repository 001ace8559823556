"""branch-roster: staffing and rosters for bank branches.

The pipeline runs one way: traffic history -> forecast frame (``forecasting``) ->
requirement frame (``scheduler.staffing``) -> roster result (``scheduler.roster``) ->
files, reports and API answers.
"""

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.errors import InputError, Issue
from scheduler.io.config_file import dump_config, load_config

__version__ = "0.1.0"

__all__ = [
    "BranchCalendar",
    "Horizon",
    "InputError",
    "Issue",
    "__version__",
    "dump_config",
    "load_config",
]
