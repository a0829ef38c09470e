"""country paths' exclusions: nodes below a path's technology that the path does not take

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("country_paths", schema=None) as batch_op:
        batch_op.add_column(sa.Column("excludes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("country_paths", schema=None) as batch_op:
        batch_op.drop_column("excludes")
