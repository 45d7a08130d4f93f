"""index rebuild jobs in the database (shared by all server workers)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 08:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "index_rebuild_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("corpus", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("previous_version", sa.String(length=64), nullable=True),
        sa.Column("version", sa.String(length=64), nullable=True),
        sa.Column("retrieval", sa.String(length=16), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("index_rebuild_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_index_rebuild_jobs_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("index_rebuild_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_rebuild_jobs_state"))
    op.drop_table("index_rebuild_jobs")
