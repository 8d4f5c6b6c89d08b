"""The package's layers stay apart, and the command line starts fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = [
    "scorecard.domain.cards",
    "scorecard.domain.scoring",
    "scorecard.domain.library",
    "scorecard.db.models",
    "scorecard.db.engine",
    "scorecard.services.cards",
    "scorecard.demo.builder",
]


def _modules_after_import(*modules: str) -> set[str]:
    imports = "".join(f"import {m}\n" for m in modules)
    code = f"import sys\n{imports}print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_headless_layers_never_load_textual() -> None:
    loaded = _modules_after_import(*HEADLESS)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_domain_is_plain_python() -> None:
    loaded = _modules_after_import("scorecard.domain.cards", "scorecard.domain.scoring")
    assert not {m for m in loaded if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "textual"}}


def test_help_loads_neither_the_database_nor_the_ui_stack() -> None:
    loaded = _modules_after_import("scorecard.cli.app")
    heavy = {m.split(".")[0] for m in loaded} & {"sqlalchemy", "sqlmodel", "textual", "pydantic",
                                                  "alembic", "rapidfuzz"}
    assert heavy == set()
