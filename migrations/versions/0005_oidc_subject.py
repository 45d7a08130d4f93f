"""the end user's OpenID Connect subject on conversations and in the record-access log

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before this revision (API keys only) have no subject.
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=255), nullable=True))
    with op.batch_alter_table("record_access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f("ix_record_access_log_subject"), ["subject"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_access_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_access_log_subject"))
        batch_op.drop_column("subject")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("subject")
