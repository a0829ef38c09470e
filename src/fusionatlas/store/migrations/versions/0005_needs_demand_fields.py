"""needs carry quantities, values, dates, awardees; fulfilled becomes awarded

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TEXT_COLUMNS = ("quantity_unit", "currency", "published", "delivery_start", "delivery_end")


def upgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quantity", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("value", sa.BigInteger(), nullable=True))
        for name in TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("awardee_org_ids", sa.JSON(), nullable=True))
    # A fulfilled need was met by someone: it is awarded (its awardees are unknown until a curator adds them).
    op.execute("UPDATE needs SET status = 'awarded' WHERE status = 'fulfilled'")


def downgrade() -> None:
    op.execute("UPDATE needs SET status = 'fulfilled' WHERE status = 'awarded'")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("awardee_org_ids")
        for name in reversed(TEXT_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("value")
        batch_op.drop_column("quantity")
