"""watches: saved searches, technologies and buyers; their matches' content hashes; per-user feed and e-mail

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("looked", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_watches_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watches")),
    )
    with op.batch_alter_table("watches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watches_user_id"), ["user_id"], unique=False)
    op.create_table(
        "watch_matches",
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=True),
        sa.Column("changed", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["watch_id"], ["watches.id"], name=op.f("fk_watch_matches_watch_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("watch_id", "table_name", "record_id", name=op.f("pk_watch_matches")),
    )
    with op.batch_alter_table("watch_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_matches_changed"), ["changed"], unique=False)
    op.create_table(
        "watch_users",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("feed_hash", sa.String(length=64), nullable=True),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("last_digest", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_watch_users_user_id")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_watch_users")),
        sa.UniqueConstraint("feed_hash", name=op.f("uq_watch_users_feed_hash")),
    )


def downgrade() -> None:
    op.drop_table("watch_users")
    with op.batch_alter_table("watch_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_matches_changed"))
    op.drop_table("watch_matches")
    with op.batch_alter_table("watches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watches_user_id"))
    op.drop_table("watches")
