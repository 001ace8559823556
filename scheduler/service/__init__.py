"""The roster service: HTTP API, web app, access control and the background job queue.

Start it with ``branch-roster serve``; in Python::

    from pathlib import Path
    from scheduler.service import ServiceSettings, create_app

    app = create_app(ServiceSettings(data_dir=Path("roster-data")))
"""

from scheduler.service.app import create_app
from scheduler.service.core import Forbidden, NotFound, RosterService
from scheduler.service.security import Principal
from scheduler.service.settings import ServiceSettings

__all__ = ["Forbidden", "NotFound", "Principal", "RosterService", "ServiceSettings", "create_app"]
