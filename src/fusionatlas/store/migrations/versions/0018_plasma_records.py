"""plasma_records: plasma performance by device and experiment, for the explainer's triple-product chart

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0015"
branch_labels = None
depends_on = None

ID = sa.String(length=200)


def upgrade() -> None:
    op.create_table(
        "plasma_records",
        sa.Column("id", ID, nullable=False),
        sa.Column("facility_id", ID, nullable=False),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("density_m3", sa.Float(), nullable=True),
        sa.Column("temperature_kev", sa.Float(), nullable=True),
        sa.Column("confinement_s", sa.Float(), nullable=True),
        sa.Column("triple_product", sa.Float(), nullable=True),
        sa.Column("gain", sa.Float(), nullable=True),
        sa.Column("gain_kind", sa.String(length=32), nullable=True),
        sa.Column("basis_en", sa.Text(), nullable=False),
        sa.Column("basis_ja", sa.Text(), nullable=False),
        sa.Column("original_reference", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["facility_id"], ["facilities.id"], name=op.f("fk_plasma_records_facility_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plasma_records")),
    )
    with op.batch_alter_table("plasma_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plasma_records_facility_id"), ["facility_id"], unique=False)


def downgrade() -> None:
    op.drop_table("plasma_records")
