"""The web app (placeholder registration, filled in below)."""

from __future__ import annotations

from fastapi import FastAPI


def register_web(app: FastAPI) -> None:
    """Add the web pages to ``app``."""
