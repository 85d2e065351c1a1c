"""casework batch: formats in and out, bad rows reported and skipped, resumable."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import service.batch.local as local
from service.batch.formats import BatchInputError
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


@pytest.fixture
def dated_parquet(tmp_path: Path) -> Path:
    """The five texts with a case id, a received date, and a priority that is null in the first two rows."""
    path = tmp_path / "dated.parquet"
    table = pa.table(
        {
            "case": [f"C{i}" for i in range(len(TEXTS))],
            "text": TEXTS,
            "received": pa.array([dt.date(2024, month, 1) for month in range(1, len(TEXTS) + 1)]),
            "priority": pa.array([None, None, 3, 1, 2], pa.int64()),
        }
    )
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_kept_columns_are_carried_unchanged_after_the_id_column(
    runner, cli_app, dated_parquet, tmp_path, suffix
):
    output = tmp_path / f"out{suffix}"
    arguments = ["batch", str(dated_parquet), str(output), "--id-column", "case", "--no-progress"]
    result = runner.invoke(cli_app, [*arguments, "--keep-columns", "received, priority", "--chunk-size", "2"])
    assert result.exit_code == 0, result.output
    rows = read_rows(output)
    assert list(rows[0]) == [
        "case",
        "received",
        "priority",
        "sector",
        "sector_probability",
        "themes",
        "needs_review",
    ]
    assert [row["case"] for row in rows] == ["C0", "C1", "C2", "C3", "C4"]
    received = [row["received"] for row in rows]
    priorities = [row["priority"] for row in rows]
    if suffix == ".parquet":  # the input's types survive, nulls in a whole chunk included
        assert received == [dt.date(2024, month, 1) for month in range(1, 6)]
        assert priorities == [None, None, 3, 1, 2]
    elif suffix == ".csv":
        assert received == [f"2024-0{month}-01" for month in range(1, 6)]
        assert priorities == ["", "", "3", "1", "2"]
    else:
        assert received == [f"2024-0{month}-01" for month in range(1, 6)]
        assert priorities == [None, None, 3, 1, 2]


def test_kept_values_that_are_lists_or_objects_become_json_text_in_csv(runner, cli_app, tmp_path):
    source = tmp_path / "in.jsonl"
    records = [{"text": TEXTS[0], "tags": ["pip", "mr"]}, {"text": TEXTS[1], "tags": {"office": "Alicante"}}]
    source.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    output = tmp_path / "out.csv"
    result = runner.invoke(
        cli_app, ["batch", str(source), str(output), "--keep-columns", "tags", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(row["tags"]) for row in read_rows(output)] == [record["tags"] for record in records]


def test_a_kept_column_that_is_missing_or_named_like_an_output_is_a_clear_error(
    runner, cli_app, complaints_jsonl, dated_parquet, tmp_path
):
    missing = runner.invoke(
        cli_app, ["batch", str(complaints_jsonl), str(tmp_path / "o.csv"), "--keep-columns", "received"]
    )
    assert missing.exit_code == 2 and "no column 'received'" in missing.stderr
    renamed = tmp_path / "renamed.parquet"
    pq.write_table(
        pq.read_table(dated_parquet).rename_columns(["case", "text", "sector", "priority"]), renamed
    )
    clash = runner.invoke(
        cli_app, ["batch", str(renamed), str(tmp_path / "o.csv"), "--keep-columns", "sector"]
    )
    assert clash.exit_code == 2 and "'sector' has the name of an output column" in clash.stderr
    assert not (tmp_path / "o.csv").exists()


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


def test_resuming_with_other_columns_than_the_interrupted_run_is_refused(
    settings, complaints_jsonl, tmp_path, monkeypatch
):
    output = tmp_path / "out.jsonl"
    real_write = local.write_part

    def interrupted_write(records, columns, path):
        if path.name.startswith("part-000001"):  # after the first chunk's checkpoint
            raise KeyboardInterrupt
        real_write(records, columns, path)

    monkeypatch.setattr(local, "write_part", interrupted_write)
    with pytest.raises(KeyboardInterrupt):
        run_batch(
            BatchJob(complaints_jsonl, output, id_column="case", chunk_size=2), settings, progress=False
        )
    monkeypatch.setattr(local, "write_part", real_write)
    with pytest.raises(BatchInputError, match="it wrote case, sector, sector_probability"):
        run_batch(BatchJob(complaints_jsonl, output, chunk_size=2, resume=True), settings, progress=False)


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
