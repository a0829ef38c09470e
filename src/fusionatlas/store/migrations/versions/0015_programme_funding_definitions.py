"""programmes: a controlled funding definition, the fiscal year of one-year figures, part_of; exchange rates
may be year-to-date averages (through)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

DEFINITIONS = ("appropriation", "request", "proposal", "multi_year", "in_kind", "award", "no_amount")


def upgrade() -> None:
    # The free-text definitions cannot be read as the controlled ones: they are cleared, and the next load of
    # a data package (or an import) fills the field. The text stays readable in the package's history.
    allowed = ", ".join(f"'{d}'" for d in DEFINITIONS)
    op.execute(f"UPDATE programmes SET definition = NULL WHERE definition NOT IN ({allowed})")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.alter_column("definition", existing_type=sa.Text(), type_=sa.String(32), existing_nullable=True)
        batch_op.add_column(sa.Column("fiscal_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("part_of", sa.Text(), nullable=True))
        batch_op.create_foreign_key("fk_programmes_part_of", "programmes", ["part_of"], ["id"])
        batch_op.create_index("ix_programmes_part_of", ["part_of"])
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("through", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.drop_column("through")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_index("ix_programmes_part_of")
        batch_op.drop_constraint("fk_programmes_part_of", type_="foreignkey")
        batch_op.drop_column("part_of")
        batch_op.drop_column("fiscal_year")
        batch_op.alter_column("definition", existing_type=sa.String(32), type_=sa.Text(), existing_nullable=True)
