"""freshness: every sourced record's last verification date; sources labelled as mirrors

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"

down_revision = "0008"
branch_labels = None
depends_on = None

# The tables whose records are `Sourced` (domain/records.py).
SOURCED = (
    "technologies",
    "organizations",
    "capabilities",
    "needs",
    "facilities",
    "programmes",
    "investments",
    "milestones",
    "regulations",
)


def upgrade() -> None:
    for name in SOURCED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("last_verified", sa.Text(), nullable=True))
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mirror", sa.Boolean(), nullable=True, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("mirror")
    for name in reversed(SOURCED):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("last_verified")
