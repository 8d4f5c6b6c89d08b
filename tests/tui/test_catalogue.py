"""Every string the app shows comes from the catalogue, in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from scorecard.config import resolve_language, system_language
from scorecard.errors import ScorecardError
from scorecard.i18n import LANGUAGES, MESSAGES

TUI = Path(__file__).resolve().parents[2] / "scorecard" / "tui"


def test_every_message_has_every_language_with_the_same_fields() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f}
                  for text in texts.values()]
        assert all(f == fields[0] for f in fields), key


def test_the_app_has_no_literal_russian_text() -> None:
    cyrillic = re.compile(r"[А-Яа-яЁё]")
    for path in TUI.rglob("*.py"):
        if path.name == "keys.py":
            continue  # holds the Russian keyboard layout, which is keys, not text
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not cyrillic.search(line.split("#", 1)[0]), f"{path.name}:{number}"


def test_message_keys_used_by_the_app_exist() -> None:
    used: set[str] = set()
    patterns = (r'\bt\(\s*"([a-z_]+\.[a-z_.]+)"',            # t("…"), self.app.t("…")
                r'(?:Error|PlaybackError)\("([a-z_]+\.[a-z_.]+)"',
                r'Key\("[^"]+", "[^"]+", "[^"]+", "([a-z_]+\.[a-z_.]+)"')
    for path in [*TUI.rglob("*.py"), TUI.parent / "services" / "grading.py",
                 TUI.parent / "services" / "playback.py", TUI / "__init__.py"]:
        source = path.read_text(encoding="utf-8")
        for pattern in patterns:
            used |= set(re.findall(pattern, source))
    assert len(used) > 40 and not used - set(MESSAGES), used - set(MESSAGES)


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert system_language() == "ru" and resolve_language(None, None) == "ru"
    assert resolve_language("en", "ru") == "en" and resolve_language(None, "EN") == "en"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert resolve_language(None, None) == "en"
    with pytest.raises(ScorecardError, match="ru or en"):
        resolve_language("de", None)
