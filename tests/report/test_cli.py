"""casework report BATCH_OUTPUT --output DIR: the files it writes, and one-line errors with exit code 2."""

from __future__ import annotations

import csv

import pytest

from service.cli import app

BY_PERIOD = ["sectors_by_period.csv", "themes_by_period.csv"]
ALWAYS = ["sectors.csv", "themes.csv", "themes_by_sector.csv"]


def test_it_writes_the_csv_files_and_the_page_and_prints_where(runner, write_batch_output, tmp_path):
    output = tmp_path / "report" / "2025"
    result = runner.invoke(app, ["report", str(write_batch_output("out.parquet")), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(output / name) for name in [*ALWAYS, "report.html"]]
    with (output / "sectors.csv").open(newline="", encoding="utf-8") as handle:
        sectors = list(csv.DictReader(handle))
    assert [(row["sector"], row["count"], row["share"], row["needs_review"]) for row in sectors] == [
        ("benefits_pensions", "3", "0.375", "1"),
        ("nhs_hospital", "3", "0.375", "1"),
        ("tax_revenue", "2", "0.25", "0"),
    ]
    page = (output / "report.html").read_text(encoding="utf-8")
    assert "<svg" in page and "NHS acute and specialist hospital trusts" in page  # the shipped taxonomy


@pytest.mark.parametrize("period, first_row", [("month", "2024-01,2,0,0"), ("year", "2024,3,2,0")])
def test_a_date_column_adds_tables_by_period_and_unknown_dates_are_counted_and_told(
    runner, write_batch_output, tmp_path, period, first_row
):
    source = write_batch_output("out.csv")
    result = runner.invoke(
        app,
        ["report", str(source), "-o", str(tmp_path / "r"), "--date-column", "received", "--period", period],
    )
    assert result.exit_code == 0, result.output
    assert "2 rows have no date in 'received' and are counted as 'unknown date'" in result.stderr
    by_period = (tmp_path / "r" / "sectors_by_period.csv").read_text(encoding="utf-8").splitlines()
    assert by_period[0] == f"{period},nhs_hospital,benefits_pensions,tax_revenue"
    assert by_period[1] == first_row and by_period[-1] == "unknown date,0,1,1"
    assert all((tmp_path / "r" / name).is_file() for name in BY_PERIOD)


def _error(runner, *arguments: str) -> str:
    result = runner.invoke(app, ["report", *arguments])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_a_missing_file_is_a_clear_error(runner, tmp_path):
    assert "no such file" in _error(runner, str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r"))


def test_an_unknown_format_is_a_clear_error(runner, tmp_path):
    source = tmp_path / "out.xlsx"
    source.write_bytes(b"PK")
    assert ".csv, .jsonl or .parquet" in _error(runner, str(source), "-o", str(tmp_path / "r"))


def test_an_unreadable_file_is_a_clear_error(runner, tmp_path):
    source = tmp_path / "out.parquet"
    source.write_text("not parquet", encoding="utf-8")
    assert "cannot read out.parquet as parquet" in _error(runner, str(source), "-o", str(tmp_path / "r"))


def test_missing_sector_and_themes_columns_are_named(runner, write_batch_output, tmp_path):
    source = write_batch_output("out.jsonl", [{"id": "C1", "needs_review": False}])
    message = _error(runner, str(source), "-o", str(tmp_path / "r"))
    assert "out.jsonl has no column 'sector', 'themes' (columns: id, needs_review)" in message


def test_a_date_column_that_is_not_there_is_named(runner, write_batch_output, tmp_path):
    message = _error(
        runner, str(write_batch_output("out.csv")), "-o", str(tmp_path / "r"), "--date-column", "sent"
    )
    assert "has no column 'sent'" in message


def test_a_date_column_without_any_date_is_a_clear_error(runner, write_batch_output, tmp_path):
    records = [
        {"sector": "tax_revenue", "themes": "communication", "needs_review": False, "received": "soon"}
    ]
    source = write_batch_output("out.csv", records)
    message = _error(runner, str(source), "-o", str(tmp_path / "r"), "--date-column", "received")
    assert "no value in column 'received' of out.csv is a date" in message


def test_an_unknown_period_is_a_clear_error(runner, write_batch_output, tmp_path):
    message = _error(
        runner, str(write_batch_output("out.csv")), "-o", str(tmp_path / "r"), "--period", "week"
    )
    assert "--period takes one of month, year" in message


def test_a_file_with_no_rows_is_a_clear_error(runner, write_batch_output, tmp_path):
    assert "has no rows" in _error(runner, str(write_batch_output("out.csv", [])), "-o", str(tmp_path / "r"))
