"""``scorecard cards``: check, import (versioned, all-or-nothing) and list."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from scorecard.db.engine import open_database
from tests.factories import GOOD


def test_check_reports_each_good_card(cli, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    result = cli("cards", "check", tmp_path)
    assert result.code == 0, result
    assert "ok  " in result.out and "tiny-card v1: 2 stages, 3 items, 3 triggers" in result.out


def test_check_fails_with_every_broken_file_named(cli, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD.replace('"ru"', '"xx"'), encoding="utf-8")
    (tmp_path / "c.toml").write_text("id = [", encoding="utf-8")
    result = cli("cards", "check", tmp_path)
    assert result.code == 2
    assert "b.toml: language: 'xx' is not an ISO 639-1" in result.err
    assert "c.toml:1: not valid TOML" in result.err
    assert "2 of 3 card file(s) are invalid" in result.err
    assert "Traceback" not in result.err


def test_import_versions_by_content(cli, db_url: str, tmp_path: Path) -> None:
    card = tmp_path / "tiny.toml"
    card.write_text(GOOD, encoding="utf-8")
    first = cli("cards", "import", card, "--db", db_url)
    assert first.code == 0, first
    assert "new card     tiny-card v1" in first.out

    again = cli("cards", "import", card, "--db", db_url)
    assert "unchanged    tiny-card v1" in again.out

    card.write_text(GOOD.replace("Вежливый тон", "Вежливый тон, без перебиваний"), "utf-8")
    changed = cli("cards", "import", card, "--db", db_url)
    assert "new version  tiny-card v2 (the file says version 1)" in changed.out

    listing = cli("cards", "list", "--db", db_url)
    assert listing.code == 0
    line = next(row for row in listing.out.splitlines() if row.startswith("tiny-card"))
    assert line.split()[:4] == ["tiny-card", "v2", "2", "0"]


def test_import_is_all_or_nothing(cli, db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD.replace("weight = 100", "weight = 99"), "utf-8")
    result = cli("cards", "import", tmp_path, "--db", db_url)
    assert result.code == 2
    assert "stage 'close': item weights in this stage sum to 99, not 100" in result.err
    database = open_database(db_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM card_version")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0
    database.dispose()


def test_import_without_paths_takes_the_shipped_library(cli, db_url: str) -> None:
    result = cli("cards", "import", "--db", db_url)
    assert result.code == 0, result
    assert result.out.count("new card") >= 4
    listing = cli("cards", "list", "--db", db_url)
    assert "security-cold-call" in listing.out
    assert "not imported" not in listing.out
