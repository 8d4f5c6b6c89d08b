"""Options every command shares, declared once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from scorecard.db.engine import Database

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database: a SQLite file path, sqlite:///FILE or postgresql+psycopg://USER@HOST/DB. "
        "Default: $SCORECARD_DATABASE_URL, the config file, then a file in the user data folder.",
        show_default=False,
    ),
]


def open_db(option: str | None, *, check_schema: bool = True) -> Database:
    """Open the database the user chose (see :func:`scorecard.config.resolve_database_url`)."""
    from scorecard.config import resolve_database_url
    from scorecard.db.engine import open_database

    return open_database(resolve_database_url(option), check_schema=check_schema)


OperatorLabelOption = Annotated[
    list[str] | None,
    typer.Option("--operator-label", metavar="LABEL",
                 help="A speaker label that means the operator, besides Оператор/Менеджер/"
                 "Operator/Agent (repeatable).", show_default=False),
]
ClientLabelOption = Annotated[
    list[str] | None,
    typer.Option("--client-label", metavar="LABEL",
                 help="A speaker label that means the client, besides Клиент/Client/"
                 "Customer/Prospect (repeatable).", show_default=False),
]
