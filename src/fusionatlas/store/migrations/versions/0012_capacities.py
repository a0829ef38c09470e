"""capacities: makers' (or the world's) yearly output of supply-chain items, for the scenarios

Revision ID: 0012
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capacities",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("org_id", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("low", sa.Float(), nullable=False),
        sa.Column("central", sa.Float(), nullable=False),
        sa.Column("high", sa.Float(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Text(), nullable=True),  # as every sourced record (migration 0013)
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_capacities_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacities")),
    )
    with op.batch_alter_table("capacities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capacities_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("capacities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capacities_org_id"))
    op.drop_table("capacities")
