"""Alembic environment of odc-server: run by :func:`odc_sync.server.db.upgrade` with a connection."""

from __future__ import annotations

from alembic import context

from odc_sync.server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    connection = engine.connect()
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
