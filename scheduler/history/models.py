"""Tables of the roster history store (SQLAlchemy 2 declarative models).

A publication is immutable: publishing a week again adds a new publication with a higher
``version`` and never changes or deletes the rows of an earlier one. Which version counts
for a date is decided when reading (the newest publication covering that date).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

APPLICATION_ID = "branch-roster-history"
"""Value of ``store_meta.application``: marks a database as a roster history store."""


class Base(DeclarativeBase):
    """Declarative base of the history tables."""


class StoreMeta(Base):
    """Key/value facts about the store itself (application id, creation time).

    Attributes:
        key: The fact's name.
        value: The fact's value, as text.
    """

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Publication(Base):
    """One published roster of one branch for a run of days (usually an ISO week).

    Attributes:
        id: Surrogate key; increases with every publication.
        branch_id: The branch.
        start_date: First day of the horizon.
        end_date: Last day of the horizon (inclusive).
        version: 1 for the first publication of these days, +1 for each re-publication.
        published_at: When it was published (UTC).
        status: Solver status of the roster (``OPTIMAL``, ``FEASIBLE``...).
        objective: Objective value, if known.
        source: Where the roster was read from (a folder), if any.
        note: Free text from the person publishing.
        summary_json: The result's ``summary.json`` as published, if any.
    """

    __tablename__ = "publication"
    __table_args__ = (
        UniqueConstraint("branch_id", "start_date", "version", name="uq_publication_version"),
        Index("ix_publication_branch_dates", "branch_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(32), default="")
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    summary_json: Mapped[str] = mapped_column(Text, default="")


class AssignmentRow(Base):
    """One row of a published roster (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`).

    Attributes:
        id: Surrogate key.
        publication_id: The publication it belongs to.
        staff_id: The person.
        name: The person's display name at publication.
        date: The day.
        start_minute: Start, minutes since midnight.
        end_minute: End, minutes since midnight (1440 = end of day).
        activity: ``post``, ``break`` or ``free``.
        post: The post held (empty unless ``activity`` is ``post``).
    """

    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_pub_staff", "publication_id", "staff_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="RESTRICT"), index=True
    )
    staff_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    date: Mapped[dt.date] = mapped_column(Date)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(String(16))
    post: Mapped[str] = mapped_column(String(64), default="")


class ShiftRow(Base):
    """One shift worked in a published roster (:data:`scheduler.frames.SHIFT_COLUMNS`).

    Attributes:
        id: Surrogate key.
        publication_id: The publication it belongs to.
        staff_id: The person.
        name: The person's display name at publication.
        date: The day.
        shift: Shift template id.
        start_minute: Start, minutes since midnight.
        end_minute: End, minutes since midnight.
        paid_minutes: Paid minutes of the shift (breaks excluded).
    """

    __tablename__ = "shift"
    __table_args__ = (Index("ix_shift_pub_staff", "publication_id", "staff_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="RESTRICT"), index=True
    )
    staff_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    date: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(64), default="")
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    paid_minutes: Mapped[int] = mapped_column(Integer)


class PostHoursRow(Base):
    """Minutes one person held one post on one day in a publication (derived at publish).

    Attributes:
        id: Surrogate key.
        publication_id: The publication it belongs to.
        staff_id: The person.
        date: The day.
        post: The post.
        minutes: Minutes held.
    """

    __tablename__ = "post_hours"
    __table_args__ = (
        UniqueConstraint("publication_id", "staff_id", "date", "post", name="uq_post_hours"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="RESTRICT"), index=True
    )
    staff_id: Mapped[str] = mapped_column(String(64))
    date: Mapped[dt.date] = mapped_column(Date)
    post: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(Integer)


class LeaveTaken(Base):
    """Leave a person took (or has booked), as recorded in the store.

    Attributes:
        id: Surrogate key.
        branch_id: The branch.
        staff_id: The person.
        start_date: First day of leave.
        end_date: Last day of leave (inclusive).
        kind: ``annual``, ``sick``, ``training``, ``mandatory`` or ``other``.
        recorded_at: When it was recorded (UTC).
        source: Where it came from (file, publication).
        note: Free text.
    """

    __tablename__ = "leave_taken"
    __table_args__ = (Index("ix_leave_branch_staff", "branch_id", "staff_id", "start_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
