"""Alembic environment: runs migrations on the engine scorecard hands over."""

from alembic import context
from sqlmodel import SQLModel

import scorecard.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    if connection.dialect.name == "sqlite":
        # Batch operations copy a table and drop the old one; with foreign keys enforced
        # that fails as soon as rows refer to it. Off for this connection only, and before
        # its transaction begins (SQLite ignores the pragma inside one): on the driver's
        # connection, as SQLAlchemy would begin one first.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if connection.dialect.name == "sqlite":  # the connection goes back to the pool
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
