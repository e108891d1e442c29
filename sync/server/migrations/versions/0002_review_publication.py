"""Review and publication: signed decisions and forms as they travel; entries found by status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed', sa.Text(), server_default='{}', nullable=False))
    with op.batch_alter_table('form_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed', sa.Text(), server_default='{}', nullable=False))
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.create_index('ix_entries_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index('ix_entries_status')
    with op.batch_alter_table('form_versions', schema=None) as batch_op:
        batch_op.drop_column('signed')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('signed')
