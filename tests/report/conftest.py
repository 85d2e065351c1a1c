"""A small hand-made batch output in each format, a tiny taxonomy, a CLI runner and an HTML table reader.

The eight complaints, and what a report on them must count:

- sectors: benefits_pensions 3 (1 needs review), nhs_hospital 3 (1 needs review), tax_revenue 2;
- themes: communication 4, then administrative_delay, benefit_entitlement and tax_and_credits 2 each,
  then cancer_care and delayed_diagnosis 1 each;
- dates (column ``received``): January 2024 twice, nothing in February, March 2024 three times (one written
  the UK way, 15/03/2024), February 2025 once, and two rows with no usable date ("not known" and empty).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from models.taxonomy import Taxonomy

COLUMNS = ("id", "sector", "sector_probability", "themes", "needs_review", "received")
ROWS = [
    ("C1", "nhs_hospital", 0.90, "communication;cancer_care", False, "2024-01-15"),
    ("C2", "nhs_hospital", 0.50, "communication", True, "2024-01-20T09:30:00+00:00"),
    ("C3", "nhs_hospital", 0.80, "delayed_diagnosis;communication", False, "2024-03-02"),
    ("C4", "benefits_pensions", 0.95, "benefit_entitlement;administrative_delay", False, "2024-03-10"),
    ("C5", "benefits_pensions", 0.45, "administrative_delay", True, "15/03/2024"),
    ("C6", "tax_revenue", 0.99, "tax_and_credits", False, "2025-02-01"),
    ("C7", "tax_revenue", 0.97, "tax_and_credits;communication", False, "not known"),
    ("C8", "benefits_pensions", 0.90, "benefit_entitlement", False, ""),
]
RECORDS = [dict(zip(COLUMNS, row, strict=True)) for row in ROWS]


@pytest.fixture
def write_batch_output(tmp_path: Path) -> Callable[..., Path]:
    """Write the rows (or given records) as ``name`` in its format, as ``casework batch`` would."""

    def write(name: str, records: list[dict] | None = None) -> Path:
        records = RECORDS if records is None else records
        path = tmp_path / name
        if path.suffix == ".parquet":
            pq.write_table(pa.Table.from_pylist(records), path)
        elif path.suffix == ".jsonl":
            path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
        else:
            header = list(records[0]) if records else list(COLUMNS)
            lines = [",".join(header)] + [",".join(str(r[c]) for c in header) for r in records]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def taxonomy() -> Taxonomy:
    """The sectors and themes of the rows, in a declared order that is not alphabetical."""
    return Taxonomy.from_dict(
        {
            "name": "tiny",
            "version": "3",
            "sectors": [
                {"id": "nhs_hospital", "description": "hospital trusts"},
                {"id": "benefits_pensions", "description": "DWP"},
                {"id": "tax_revenue", "description": "HMRC"},
            ],
            "themes": [
                {"id": "cancer_care", "description": "cancer"},
                {"id": "delayed_diagnosis", "description": "late diagnosis"},
                {"id": "benefit_entitlement", "description": "benefits"},
                {"id": "tax_and_credits", "description": "tax"},
                {"id": "administrative_delay", "description": "delay"},
                {"id": "communication", "description": "communication"},
            ],
        }
    )


@pytest.fixture
def runner() -> CliRunner:
    """A Typer runner keeping stderr apart from stdout."""
    return CliRunner()


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.text: list[str] | None = None
        self.row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("caption", "th", "td"):
            self.text = []
        elif tag == "tr":
            self.row = []

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.caption = "".join(self.text or [])
            self.tables[self.caption] = []
        elif tag in ("th", "td"):
            self.row.append("".join(self.text or []))
        elif tag == "tr" and self.caption is not None:
            self.tables[self.caption].append(self.row)
        if tag in ("caption", "th", "td"):
            self.text = None


def html_tables(page: str) -> dict[str, list[list[str]]]:
    """Each table of ``page`` by its caption: the header row, then the body rows, as cell texts."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables
