"""Forecasting models sharing one contract (:class:`forecasting.models.base.Model`)."""

from __future__ import annotations

from forecasting.models.base import Model
from forecasting.models.glm import CountGLM
from forecasting.models.hour_mean import HourMean
from forecasting.models.mstl import SeasonalDecomposition
from forecasting.models.naive import SeasonalNaive
from forecasting.models.zero import ZeroModel
from forecasting.settings import ForecastSettings


def make_model(
    name: str, settings: ForecastSettings | None = None, start: dict[str, float] | None = None
) -> Model:
    """A fresh, unfitted model by name.

    ``seasonal_naive``, ``glm``, ``mstl``, ``zero`` (a series that is all zero) or
    ``hour_mean`` (the fallback for a series with too little history).

    ``start`` gives the count regression coefficients to start from (see :class:`CountGLM`).

    Raises:
        ValueError: For an unknown name.
    """
    settings = settings or ForecastSettings()
    if name == "seasonal_naive":
        return SeasonalNaive()
    if name == "glm":
        return CountGLM(settings, start)
    if name == "mstl":
        return SeasonalDecomposition(settings)
    if name == "zero":
        return ZeroModel()
    if name == "hour_mean":
        return HourMean()
    raise ValueError(f"unknown model {name!r}; use seasonal_naive, glm or mstl")


__all__ = [
    "CountGLM",
    "HourMean",
    "Model",
    "SeasonalDecomposition",
    "SeasonalNaive",
    "ZeroModel",
    "make_model",
]
