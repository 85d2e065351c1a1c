"""casework batch: formats in and out, bad rows reported and skipped, resumable."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import service.batch.local as local
from service.batch.local import BatchJob, run_batch

from .conftest import TEXTS


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_batch_classifies_into_each_format_keeping_the_id_column(
    runner, cli_app, complaints_jsonl, tmp_path, suffix
):
    output = tmp_path / f"out{suffix}"
    result = runner.invoke(
        cli_app,
        [
            "batch",
            str(complaints_jsonl),
            str(output),
            "--id-column",
            "case",
            "--no-progress",
            "--chunk-size",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = read_rows(output)
    assert [row["case"] for row in rows] == ["C0", "C1", "C2", "C3", "C4"]
    assert set(rows[0]) == {"case", "sector", "sector_probability", "themes", "needs_review"}
    assert rows[1]["sector"] == "consular_overseas"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["rows_in"], summary["rows_out"], summary["rows_failed"]) == (8, 5, 3)


def test_bad_rows_go_to_the_errors_file_with_a_reason(runner, cli_app, complaints_jsonl, tmp_path):
    output = tmp_path / "out.jsonl"
    runner.invoke(
        cli_app, ["batch", str(complaints_jsonl), str(output), "--id-column", "case", "--no-progress"]
    )
    errors = read_rows(tmp_path / "out.errors.jsonl")
    assert [(e["row"], e["id"], e["reason"]) for e in errors] == [
        (6, None, "invalid JSON"),
        (7, "E1", "empty text"),
        (8, "E2", "text is int, not a string"),
    ]


def test_anonymise_task_adds_the_anonymised_text_and_never_the_original(
    runner, cli_app, complaints_jsonl, tmp_path
):
    output = tmp_path / "out.csv"
    result = runner.invoke(
        cli_app,
        ["batch", str(complaints_jsonl), str(output), "--tasks", "classify,anonymise", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    rows = read_rows(output)
    assert "text" not in rows[0] and "Jane Smith" not in rows[2]["text_anonymised"]
    assert rows[2]["text_anonymised"].startswith("Mrs A says")


def test_parquet_and_csv_inputs_are_read_with_a_named_text_column(runner, cli_app, tmp_path):
    parquet = tmp_path / "in.parquet"
    pq.write_table(pa.table({"body": TEXTS, "ref": list(range(len(TEXTS)))}), parquet)
    output = tmp_path / "out.csv"
    result = runner.invoke(
        cli_app,
        ["batch", str(parquet), str(output), "--text-column", "body", "--id-column", "ref", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert [row["ref"] for row in read_rows(output)] == ["0", "1", "2", "3", "4"]


def test_a_missing_text_column_or_unknown_format_is_a_clear_error(
    runner, cli_app, complaints_jsonl, tmp_path
):
    result = runner.invoke(
        cli_app,
        ["batch", str(complaints_jsonl), str(tmp_path / "o.csv"), "--text-column", "nope", "--no-progress"],
    )
    assert result.exit_code == 2 and "no column 'nope'" in result.stderr
    wrong = runner.invoke(
        cli_app, ["batch", str(complaints_jsonl), str(tmp_path / "o.xlsx"), "--no-progress"]
    )
    assert wrong.exit_code == 2 and ".csv, .jsonl or .parquet" in wrong.stderr


def test_an_interrupted_run_resumes_without_duplicating_rows(
    settings, complaints_jsonl, tmp_path, monkeypatch
):
    output = tmp_path / "out.jsonl"
    job = BatchJob(complaints_jsonl, output, id_column="case", chunk_size=2)
    real_write = local.write_part
    calls = {"n": 0}

    def failing_write(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_write(*args, **kwargs)

    monkeypatch.setattr(local, "write_part", failing_write)
    with pytest.raises(KeyboardInterrupt):
        run_batch(job, settings, progress=False)
    assert not output.exists()
    monkeypatch.setattr(local, "write_part", real_write)
    summary = run_batch(
        BatchJob(complaints_jsonl, output, id_column="case", chunk_size=2, resume=True),
        settings,
        progress=False,
    )
    assert [row["case"] for row in read_rows(output)] == ["C0", "C1", "C2", "C3", "C4"]
    assert (summary.rows_in, summary.rows_out, summary.rows_failed) == (8, 5, 3)


def test_two_worker_processes_give_the_same_rows_in_the_same_order(settings, complaints_jsonl, tmp_path):
    one = run_batch(
        BatchJob(complaints_jsonl, tmp_path / "one.jsonl", id_column="case", chunk_size=2),
        settings,
        progress=False,
    )
    two = run_batch(
        BatchJob(complaints_jsonl, tmp_path / "two.jsonl", id_column="case", chunk_size=2, jobs=2),
        settings,
        progress=False,
    )
    assert read_rows(tmp_path / "one.jsonl") == read_rows(tmp_path / "two.jsonl")
    assert one.sectors == two.sectors


def test_a_classify_only_batch_never_loads_the_anonymiser(complaints_jsonl, tmp_path):
    # Presidio and spaCy take seconds to import: a classify-only run must not pay for them.
    script = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from service.cli import app\n"
        f"result = CliRunner().invoke(app, ['batch', {str(complaints_jsonl)!r}, {str(tmp_path / 'out.jsonl')!r},"
        " '--tasks', 'classify', '--no-progress'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    imported = set(json.loads(finished.stdout.strip().splitlines()[-1]))
    assert "sklearn" in imported
    assert not imported & {"presidio_analyzer", "presidio_anonymizer", "spacy"}
