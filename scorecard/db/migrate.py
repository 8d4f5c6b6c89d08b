"""Running Alembic migrations from code (``scorecard db upgrade`` and fresh databases)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

    from scorecard.db.engine import Database


def alembic_config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "scorecard.db:migrations")
    config.attributes["engine"] = database.engine
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` in one transaction."""
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    from scorecard.db.errors import translate

    try:
        command.upgrade(alembic_config(database), revision)
    except DBAPIError as exc:
        raise translate(exc, database.url) from exc


def head_revision() -> str:
    """The newest migration's id, read from the migration scripts themselves."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "scorecard.db:migrations")
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def reset(database: Database) -> None:
    """Drop every scorecard table (through the migrations, newest first) and recreate them."""
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    from scorecard.db.errors import translate

    try:
        revision, _ = database.revision()
        if revision is not None:
            command.downgrade(alembic_config(database), "base")
        command.upgrade(alembic_config(database), "head")
    except DBAPIError as exc:
        raise translate(exc, database.url) from exc
