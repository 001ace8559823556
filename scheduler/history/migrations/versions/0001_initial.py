"""Create the history tables: publications, their rows, post hours and leave taken.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch_id", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("branch_id", "start_date", "version", name="uq_publication_version"),
    )
    op.create_index(
        "ix_publication_branch_dates", "publication", ["branch_id", "start_date", "end_date"]
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "publication_id",
            sa.Integer(),
            sa.ForeignKey("publication.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(16), nullable=False),
        sa.Column("post", sa.String(64), nullable=False),
    )
    op.create_index("ix_assignment_publication_id", "assignment", ["publication_id"])
    op.create_index("ix_assignment_pub_staff", "assignment", ["publication_id", "staff_id"])
    op.create_table(
        "shift",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "publication_id",
            sa.Integer(),
            sa.ForeignKey("publication.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(64), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("paid_minutes", sa.Integer(), nullable=False),
    )
    op.create_index("ix_shift_publication_id", "shift", ["publication_id"])
    op.create_index("ix_shift_pub_staff", "shift", ["publication_id", "staff_id"])
    op.create_table(
        "post_hours",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "publication_id",
            sa.Integer(),
            sa.ForeignKey("publication.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("post", sa.String(64), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.UniqueConstraint("publication_id", "staff_id", "date", "post", name="uq_post_hours"),
    )
    op.create_index("ix_post_hours_publication_id", "post_hours", ["publication_id"])
    op.create_table(
        "leave_taken",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch_id", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_leave_branch_staff", "leave_taken", ["branch_id", "staff_id", "start_date"])
    meta = sa.table("store_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "application", "value": "branch-roster-history"}])


def downgrade() -> None:
    """Drop every table of the first schema."""
    for table in ("leave_taken", "post_hours", "shift", "assignment", "publication", "store_meta"):
        op.drop_table(table)
