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


def test_example_config_names_every_setting_and_nothing_else() -> None:
    """The example is the settings' documentation: each key of the model appears in it
    (set or commented out), and it loads as it is."""
    import re

    from scorecard.config import Settings

    text = (DATA / "config.example.toml").read_text(encoding="utf-8")
    mentioned = set(re.findall(r"^#?\s*\[?([a-z_]+)\]?\s*(?:=|$|#)", text, re.M))
    assert set(Settings.model_fields) <= mentioned
    assert Settings.model_fields["claim_minutes"].description  # docstrings are descriptions
