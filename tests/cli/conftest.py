"""Small input files and a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

TEXTS = [
    "My PIP assessment was a joke and the mandatory reconsideration took four months.",
    "The consulate in Alicante never rang back after my brother was arrested there.",
    "Mrs Jane Smith says the GP surgery refused a home visit for her mother, who is 92.",
    "HMRC sent my P800 to the wrong address and then charged a late filing penalty.",
    "The ex has not paid a penny of child maintenance since March and the CMS does nothing.",
]


@pytest.fixture
def runner() -> CliRunner:
    """A Typer runner keeping stderr apart from stdout."""
    return CliRunner()


@pytest.fixture
def cli_app():
    """The casework command with its plugin commands."""
    from training.cli import register

    if not any(command.name == "train" for command in app.registered_commands):
        register(app)
    return app


@pytest.fixture
def complaints_jsonl(tmp_path: Path) -> Path:
    """Five good rows, then an invalid line, an empty text and a number for a text."""
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"case": f"C{i}", "text": text}) for i, text in enumerate(TEXTS)]
    lines += ["{not json", json.dumps({"case": "E1", "text": ""}), json.dumps({"case": "E2", "text": 7})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
