"""Fixtures for the training tests: a tiny taxonomy, a tiny learnable data set, and files that hold them.

The data set has three sectors of twenty short texts each. Every sector draws its words from its own
vocabulary, so a model can learn it from sixty rows; every other row also mentions unanswered letters and
carries the ``communication`` theme, so every text has one or two themes.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer

from models.taxonomy import Taxonomy
from training.data import LabelledData
from training.fit import TrainingResult, train

SEED = 7
ROWS_PER_SECTOR = 20
WORDS_PER_TEXT = 6

SECTOR_WORDS = {
    "nhs_hospital": "ward nurse surgeon operation theatre consultant bed admission scan clinic",
    "tax_revenue": "hmrc taxcode selfassessment refund penalty payroll return allowance bracket ledger",
    "immigration_borders": "visa passport biometric sponsor residence permit citizenship embassy asylum border",
}
SECTOR_THEME = {
    "nhs_hospital": "clinical_care_standard",
    "tax_revenue": "tax_and_credits",
    "immigration_borders": "immigration_status",
}
COMMUNICATION_WORDS = ["unanswered", "letters"]

TINY_TAXONOMY: dict[str, Any] = {
    "name": "tiny",
    "version": "1",
    "sectors": [{"id": sector, "description": f"the {sector} sector"} for sector in SECTOR_WORDS],
    "themes": [
        {"id": "clinical_care_standard", "description": "standard of care"},
        {"id": "tax_and_credits", "description": "tax"},
        {"id": "immigration_status", "description": "visas and passports"},
        {"id": "communication", "description": "not kept informed"},
    ],
}

RowWriter = Callable[[str, list[dict[str, Any]]], Path]


def tiny_rows() -> list[dict[str, Any]]:
    """Sixty labelled rows (ids, texts, sectors and themes as lists), the same on every call."""
    rng = random.Random(SEED)
    rows = []
    for sector, vocabulary in SECTOR_WORDS.items():
        for number in range(ROWS_PER_SECTOR):
            words = rng.sample(vocabulary.split(), WORDS_PER_TEXT)
            themes = [SECTOR_THEME[sector]]
            if number % 2 == 0:
                words += COMMUNICATION_WORDS
                themes.append("communication")
            rows.append(
                {"id": f"{sector}-{number:02d}", "text": " ".join(words), "sector": sector, "themes": themes}
            )
    return rows


def as_labelled_data(rows: list[dict[str, Any]]) -> LabelledData:
    """The rows as the loader would return them, without going through a file."""
    return LabelledData(
        ids=[row["id"] for row in rows],
        texts=[row["text"] for row in rows],
        sectors=[row["sector"] for row in rows],
        themes=[list(row["themes"]) for row in rows],
    )


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """One JSON object per line."""
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A header and one line per row; list-valued cells are written ";"-separated."""
    fields = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A Parquet table with the rows' columns (lists stay list columns)."""
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    """Three sectors and four themes."""
    return Taxonomy.from_dict(TINY_TAXONOMY)


@pytest.fixture
def taxonomy_file(tmp_path: Path) -> Path:
    """The tiny taxonomy as a JSON file."""
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(TINY_TAXONOMY), encoding="utf-8")
    return path


@pytest.fixture
def rows() -> list[dict[str, Any]]:
    """A fresh copy of the sixty tiny rows, free to change."""
    return tiny_rows()


@pytest.fixture
def good_row() -> dict[str, Any]:
    """One valid row, to surround bad ones with."""
    return {
        "id": "good",
        "text": "ward nurse scan",
        "sector": "nhs_hospital",
        "themes": ["clinical_care_standard"],
    }


@pytest.fixture
def jsonl_file(tmp_path: Path) -> RowWriter:
    """Write rows to ``tmp_path/NAME`` as JSONL and return the path."""
    return lambda name, rows: write_jsonl(tmp_path / name, rows)


@pytest.fixture
def csv_file(tmp_path: Path) -> RowWriter:
    """Write rows to ``tmp_path/NAME`` as CSV and return the path."""
    return lambda name, rows: write_csv(tmp_path / name, rows)


@pytest.fixture
def parquet_file(tmp_path: Path) -> RowWriter:
    """Write rows to ``tmp_path/NAME`` as Parquet and return the path."""
    return lambda name, rows: write_parquet(tmp_path / name, rows)


@pytest.fixture
def lines_file(tmp_path: Path) -> Callable[[str, list[str]], Path]:
    """Write raw lines (not necessarily valid JSON) to ``tmp_path/NAME`` and return the path."""

    def write(name: str, lines: list[str]) -> Path:
        path = tmp_path / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def tiny_data() -> LabelledData:
    """The sixty tiny rows as LabelledData."""
    return as_labelled_data(tiny_rows())


@pytest.fixture(scope="session")
def tiny_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sixty tiny rows in a JSONL file shared by the whole session (do not change it)."""
    return write_jsonl(tmp_path_factory.mktemp("data") / "complaints.jsonl", tiny_rows())


@pytest.fixture(scope="session")
def tiny_taxonomy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny taxonomy in a JSON file shared by the whole session."""
    path = tmp_path_factory.mktemp("taxonomy") / "taxonomy.json"
    path.write_text(json.dumps(TINY_TAXONOMY), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def seed() -> int:
    """The seed the tiny model is trained with."""
    return SEED


@pytest.fixture(scope="session")
def trained(tiny_data: LabelledData, taxonomy: Taxonomy, seed: int) -> TrainingResult:
    """Logistic regression trained once on the tiny data with 3-fold cross-validation."""
    return train(tiny_data, taxonomy, seed=seed, folds=3, candidates=["logreg"], jobs=1)


@pytest.fixture(scope="session")
def casework_app() -> typer.Typer:
    """The ``casework`` Typer app with the training commands added, as ``service.cli.main`` builds it."""
    from service.cli import app
    from training.cli import register

    if not any(command.name == "train" for command in app.registered_commands):
        register(app)
    return app
