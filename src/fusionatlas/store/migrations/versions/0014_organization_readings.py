"""organizations' kana readings (published, or generated from a dictionary and marked so); programmes'
and investments' definitions, regulating bodies, and
capabilities' and needs' units in Japanese

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_kana", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("kana_generated", sa.Boolean(), nullable=True))
    for table in ("programmes", "investments"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("definition_ja", sa.Text(), nullable=True))
    with op.batch_alter_table("regulations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_ja", sa.Text(), nullable=True))
    with op.batch_alter_table("capabilities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity_unit_ja", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("capacity_period_ja", sa.Text(), nullable=True))
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quantity_unit_ja", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("quantity_unit_ja")
    with op.batch_alter_table("capabilities", schema=None) as batch_op:
        batch_op.drop_column("capacity_period_ja")
        batch_op.drop_column("capacity_unit_ja")
    with op.batch_alter_table("regulations", schema=None) as batch_op:
        batch_op.drop_column("body_ja")
    for table in ("investments", "programmes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("definition_ja")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("kana_generated")
        batch_op.drop_column("name_kana")
