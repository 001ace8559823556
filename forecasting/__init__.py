"""Customer-volume forecasting per branch, channel and open hour.

Example:
    >>> from forecasting import forecast, read_events  # doctest: +SKIP
    >>> frame = forecast(history, config, Horizon.iso_week("2026-W49"))  # doctest: +SKIP
"""

from __future__ import annotations

from forecasting.core import Forecaster, ForecastWarning, forecast
from forecasting.events import read_events
from forecasting.settings import MODEL_NAMES, ForecastSettings

__all__ = [
    "MODEL_NAMES",
    "ForecastSettings",
    "ForecastWarning",
    "Forecaster",
    "forecast",
    "read_events",
]
