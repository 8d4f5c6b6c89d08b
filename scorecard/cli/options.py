"""Options every command shares, declared once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlmodel import Session

    from scorecard.config import Settings
    from scorecard.db.engine import Database
    from scorecard.services.access import Identity

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


#: What the root command was given (``scorecard --user U --db URL COMMAND``), for the command
#: running under it. The root callback sets it afresh on every run; a command's own option wins.
_root: dict[str, str | None] = {"user": None, "db": None, "lang": None}


def remember_root(*, user: str | None, db: str | None, lang: str | None = None) -> None:
    _root.update(user=user, db=db, lang=lang)


def root_language() -> str | None:
    """The ``--lang`` the root command was given (``scorecard --lang ru demo``)."""
    return _root["lang"]


#: Set when the terminal app has run and closed everything it opened (see :func:`run`).
_app_finished: list[bool] = []


def app_finished() -> None:
    """The terminal app closed its database and gave the terminal back: the process may end
    without tearing down its objects one by one."""
    _app_finished.append(True)


def run_app(database: Database, settings: Settings, identity: Identity, language: str) -> None:
    """Run the terminal app until the user quits, then close the database."""
    from scorecard.tui import make_app

    try:
        make_app(database, settings, identity, language).run()
    finally:
        database.dispose()
    app_finished()


def exit_fast_if_app_finished(code: int) -> None:
    """End the process now if the terminal app ran. Python's own shutdown frees some
    600 modules' objects one by one, a third of a second the listener waits for after Ctrl+Q
    for nothing: the journal, the database and the terminal are closed already."""
    if not _app_finished:
        return
    import logging
    import os
    import sys

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def open_db(option: str | None, *, check_schema: bool = True) -> Database:
    """Open the database the user chose: the command's --db, the root's, then
    :func:`scorecard.config.resolve_database_url`'s defaults."""
    from scorecard.config import default_database_url, resolve_database_url
    from scorecard.db.engine import open_database

    url = resolve_database_url(option or _root["db"])
    return open_database(url, check_schema=check_schema,
                         create_folder=url == default_database_url())


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

UserOption = Annotated[
    str | None,
    typer.Option("--user", metavar="LOGIN",
                 help="Who is asking: the command sees and does what this user may. "
                 "Default: scorecard --user, then the config file.", show_default=False),
]


def given_login(option: str | None, session: Session) -> str | None:
    """The login a command acts for, if any: its own --user, the root's --user, the config
    file; on a shared database only what the OS account proves (see
    :mod:`scorecard.services.identity`)."""
    from scorecard.config import load_settings
    from scorecard.services.identity import establish

    settings = load_settings()
    return establish(session, option or _root["user"] or settings.user,
                     trusted=settings.security.trusted_accounts)


def acting_login(option: str | None, session: Session) -> str:
    """:func:`given_login`, which must be there."""
    from scorecard.config import load_settings
    from scorecard.errors import ScorecardError
    from scorecard.services.identity import unproved

    login = given_login(option, session)
    if not login:
        raise ScorecardError(unproved(session,
                                     trusted=load_settings().security.trusted_accounts))
    return login
