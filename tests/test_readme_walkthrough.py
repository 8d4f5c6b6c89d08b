"""The README's walkthrough, run command by command on the sample files, as a new centre
would type it: every command succeeds and says what a new user would look for. On both
databases."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def walkthrough() -> list[list[str]]:
    """The commands between the README's walkthrough markers, as argument lists."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- walkthrough -->", 1)[1].split("<!-- /walkthrough -->", 1)[0]
    commands = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "scorecard":
            commands.append(words[1:])
    return commands


def test_the_walkthrough_runs_on_the_sample_files(cli, db_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SCORECARD_DATABASE_URL", db_url)
    commands = walkthrough()
    assert len(commands) >= 14 and commands[-1] == ["--user", "oksana"]
    said = {}
    for words in commands[:-1]:  # the last one opens the app
        result = cli(*words)
        assert result.code == 0, f"scorecard {shlex.join(words)}\n{result.err}"
        said[" ".join(words[:2]) if words[0] in ("import", "kpi") else words[0]] = result.out
    assert "1 transcript(s) stored" in said["import transcripts"]
    assert "5 new, 0 updated, 0 unchanged, 0 rejected" in said["import outcomes"]
    assert " 0 rejected" in said["import cdr"]
    report = said["kpi report"]  # each team by the scheme its terms name
    assert "Охрана: оклад + бонус 50/50" in report and "Счета: оклад + бонус 50/50" in report
    assert "Иванова Анна" in report and "= team total" in report
    assert "drawn" in said["sample"]
    assert "2026-03 closed by boss" in said["kpi close"]
