"""facility parameters: pulse length, and laser energy and wavelength for laser facilities

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"

down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("pulse_length_s", "laser_energy_kj", "laser_wavelength_nm")


def upgrade() -> None:
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
