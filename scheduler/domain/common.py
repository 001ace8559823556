"""Small shared types: weekdays, clock times that people type, and time intervals."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, model_validator


class CrossReferenceProblems(list[tuple[str, str, Any, str]]):
    """Problems a validator found, each ``(path, message, value, allowed)``.

    Raised as ``ValueError(CrossReferenceProblems([...]))`` so the configuration reader
    reports each one at its own path (relative to the part of the file being validated; an
    empty path is that part itself, e.g. the field a field validator checks).
    """

    def __str__(self) -> str:
        return "; ".join(f"{path}: {msg}" if path else msg for path, msg, _, _ in self)


class Weekday(StrEnum):
    """Day of the week, in the order Python's ``date.weekday()`` uses."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: dt.date) -> Weekday:
        """The weekday of a date."""
        return list(cls)[day.weekday()]

    @property
    def index(self) -> int:
        """0 for Monday ... 6 for Sunday."""
        return list(Weekday).index(self)


_TIME_RE = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$")
_TIME_COMPACT_RE = re.compile(r"^(\d{2})(\d{2})$")


def normalise_text(value: str) -> str:
    """Fold full-width digits, colons and spaces to ASCII and strip the result."""
    return unicodedata.normalize("NFKC", value).strip()


def parse_clock(value: Any) -> dt.time:
    """Parse a time of day as people write it.

    Accepts ``09:00``, ``9:00``, ``9``, ``0900``, ``09:00:00``, full-width ``９：００``,
    ``24:00`` (end of day, returned as ``23:59:59.999999``), ``datetime.time`` and Excel
    fractions of a day.

    Raises:
        ValueError: If the value is not a time of day.
    """
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # Excel stores times as day fractions
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    if isinstance(value, int) and 0 <= value <= 24:
        value = f"{value}:00"
    if not isinstance(value, str):
        raise ValueError(f"not a time of day: {value!r}")
    text = normalise_text(value).replace("：", ":").replace(".", ":")
    match = _TIME_RE.match(text) or _TIME_COMPACT_RE.match(text)
    if not match:
        raise ValueError(f"not a time of day (write HH:MM, e.g. 09:30): {value!r}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    second = int(match.group(3) or 0) if match.re is _TIME_RE else 0
    if hour == 24 and minute == 0 and second == 0:
        return dt.time.max
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"time out of range (00:00 to 24:00): {value!r}")
    return dt.time(hour, minute, second)


def format_clock(value: dt.time) -> str:
    """Write a time as ``HH:MM`` (``24:00`` for the end of the day)."""
    if value == dt.time.max:
        return "24:00"
    return value.strftime("%H:%M")


def minutes_of(value: dt.time) -> int:
    """Minutes since midnight; the end of day counts as 1440."""
    if value == dt.time.max:
        return 24 * 60
    return value.hour * 60 + value.minute


Clock = Annotated[
    dt.time,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str, when_used="json-unless-none"),
]
"""A time of day that accepts what people type and serialises as ``HH:MM``."""


class Frozen(BaseModel):
    """Base for immutable input models that reject unknown fields."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False
    )


class TimeWindow(Frozen):
    """A half-open clock interval ``[start, end)`` within one day."""

    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeWindow:
        if minutes_of(self.end) <= minutes_of(self.start):
            raise ValueError(
                f"end {format_clock(self.end)} must be after start {format_clock(self.start)}"
            )
        return self

    @property
    def start_minute(self) -> int:
        """Start as minutes since midnight."""
        return minutes_of(self.start)

    @property
    def end_minute(self) -> int:
        """End as minutes since midnight."""
        return minutes_of(self.end)

    def overlaps(self, other: TimeWindow) -> bool:
        """Whether the two windows share any minute."""
        return self.start_minute < other.end_minute and other.start_minute < self.end_minute

    def __str__(self) -> str:
        return f"{format_clock(self.start)}-{format_clock(self.end)}"
