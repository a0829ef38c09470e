"""export control flag on technologies

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("technologies", schema=None) as batch_op:
        # Rows that exist already are not export-controlled until a source says so.
        batch_op.add_column(sa.Column("export_controlled", sa.Boolean(), nullable=True, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("technologies", schema=None) as batch_op:
        batch_op.drop_column("export_controlled")
