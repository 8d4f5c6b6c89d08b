"""Every sample file shipped in data/ loads."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from scorecard.config import load_settings

DATA = Path(__file__).resolve().parent.parent / "data"


def test_example_config_is_valid() -> None:
    target = Path(os.environ["SCORECARD_CONFIG"])
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "config.example.toml", target)
    settings = load_settings()
    assert settings.language == "ru" and settings.user == "qa"


def test_example_sampling_rules_are_the_defaults() -> None:
    from scorecard.domain.sampling import SamplingRules, load_rules

    assert load_rules(DATA / "sampling.toml") == SamplingRules()
