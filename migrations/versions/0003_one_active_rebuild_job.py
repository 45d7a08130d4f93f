"""at most one active index rebuild job, enforced by a unique index (workers could both pass the check)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("index_rebuild_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=True))
    # The newest job still queued or running holds the slot; any older active ones (the race this closes)
    # keep their state and are still found, and reported, by the state check.
    op.execute(
        "UPDATE index_rebuild_jobs SET active = TRUE WHERE id = ("
        "SELECT id FROM index_rebuild_jobs WHERE state IN ('queued', 'running') "
        "ORDER BY created_at DESC LIMIT 1)"
    )
    with op.batch_alter_table("index_rebuild_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_index_rebuild_jobs_active"), ["active"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("index_rebuild_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_rebuild_jobs_active"))
        batch_op.drop_column("active")
