"""The Spark engine gives the local engine's outputs and errors, row for row (master local[2])."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from service.batch.local import BatchJob, run_batch
from service.batch.spark_job import SparkJob, run_spark_batch
from tests.cli.conftest import TEXTS

pytestmark = pytest.mark.spark
SAMPLES = Path(__file__).resolve().parents[2] / "data/samples/complaints.jsonl"


def both_engines(settings, spark, source: Path, folder: Path, suffix: str, **options) -> tuple[dict, dict]:
    """Run the local and the Spark engine on ``source``; their summaries without engine-specific keys."""
    local = run_batch(BatchJob(source, folder / f"local{suffix}", **options), settings, progress=False)
    options.pop("jobs", None)
    job = SparkJob(str(source), str(folder / f"spark{suffix}"), **options)
    remote = run_spark_batch(job, settings, progress=False, spark=spark)
    drop = ("chunks_done", "spark")
    return (
        {k: v for k, v in local.to_dict().items() if k not in drop},
        {k: v for k, v in remote.to_dict().items() if k not in drop},
    )


def assert_same_file(one: Path, two: Path) -> None:
    if one.suffix == ".parquet":
        first, second = pq.read_table(one), pq.read_table(two)
        assert first.schema == second.schema
        assert first.to_pylist() == second.to_pylist()
    else:
        assert one.read_bytes() == two.read_bytes()


def test_two_thousand_complaints_get_the_same_labels_row_for_row(settings, spark, tmp_path):
    source = tmp_path / "cases.jsonl"
    source.write_text("".join(SAMPLES.read_text(encoding="utf-8").splitlines(True)[:2000]), encoding="utf-8")
    local, remote = both_engines(settings, spark, source, tmp_path, ".parquet", id_column="id")
    assert pq.read_table(tmp_path / "spark.parquet").num_rows == 2000
    assert_same_file(tmp_path / "local.parquet", tmp_path / "spark.parquet")
    assert local == remote


def test_anonymised_text_is_the_same_as_the_local_engine(settings, spark, tmp_path):
    source = tmp_path / "cases.jsonl"
    lines = SAMPLES.read_text(encoding="utf-8").splitlines(True)
    source.write_text("".join(lines[::46][:50]), encoding="utf-8")
    tasks = ("classify", "anonymise")
    local, remote = both_engines(settings, spark, source, tmp_path, ".jsonl", id_column="id", tasks=tasks)
    rows = (tmp_path / "spark.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 50 and "text_anonymised" in json.loads(rows[0])
    assert_same_file(tmp_path / "local.jsonl", tmp_path / "spark.jsonl")
    assert local == remote


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_bad_rows_go_to_the_same_errors_file_and_never_fail_the_job(
    settings, spark, complaints_jsonl, tmp_path, suffix
):
    local, remote = both_engines(settings, spark, complaints_jsonl, tmp_path, suffix, id_column="case")
    assert_same_file(tmp_path / f"local{suffix}", tmp_path / f"spark{suffix}")
    errors = (tmp_path / "spark.errors.jsonl").read_text(encoding="utf-8")
    assert errors == (tmp_path / "local.errors.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["reason"] for line in errors.splitlines()] == [
        "invalid JSON",
        "empty text",
        "text is int, not a string",
    ]
    assert (remote["rows_in"], remote["rows_out"], remote["rows_failed"]) == (8, 5, 3)
    assert local == remote
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["in.jsonl", f"local{suffix}", "local.errors.jsonl", f"spark{suffix}", "spark.errors.jsonl"]
    )


def test_csv_and_parquet_inputs_number_and_judge_rows_as_the_local_engine(settings, spark, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "ref,body,extra\n"
        f'1,"{TEXTS[0]}",x\n'
        "2,,x\n"
        f'3,"{TEXTS[1]}\nover two lines",x\n'
        "4,too,many,fields\n"
        "5,too few\n"
        f'6,"{TEXTS[2]}",x\n',
        encoding="utf-8",
    )
    options = {"text_column": "body", "id_column": "ref"}
    local, remote = both_engines(settings, spark, source, tmp_path, ".csv", **options)
    assert_same_file(tmp_path / "local.csv", tmp_path / "spark.csv")
    errors = [json.loads(line) for line in (tmp_path / "spark.errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["id"], e["reason"]) for e in errors] == [
        (2, "2", "empty text"),
        (4, "4", "malformed CSV row"),
        (5, "5", "malformed CSV row"),
    ]
    assert local == remote
    parquet = tmp_path / "in.parquet"
    pq.write_table(pa.table({"body": [TEXTS[3], None, TEXTS[4]], "ref": [10, 11, 12]}), parquet)
    both_engines(settings, spark, parquet, tmp_path, ".parquet", **options)
    assert_same_file(tmp_path / "local.parquet", tmp_path / "spark.parquet")
    assert json.loads((tmp_path / "spark.errors.jsonl").read_text()) == {
        "row": 2,
        "id": 11,
        "reason": "missing text",
    }


@pytest.mark.parametrize("source_suffix", [".jsonl", ".parquet"])
def test_kept_columns_are_carried_as_the_local_engine_carries_them(settings, spark, tmp_path, source_suffix):
    received = [f"2024-0{month}-01" for month in range(1, len(TEXTS) + 1)]
    table = pa.table(
        {
            "case": [f"C{i}" for i in range(len(TEXTS))],
            "text": TEXTS,
            "received": received,
            "priority": pa.array([None, None, 3, 1, 2], pa.int64()),
        }
    )
    source = tmp_path / f"in{source_suffix}"
    if source_suffix == ".parquet":
        pq.write_table(table, source)
    else:
        lines = [json.dumps(row) + "\n" for row in table.to_pylist()]
        source.write_text("".join([*lines, "{not json\n"]), encoding="utf-8")  # a bad row carries nothing
    options = {"id_column": "case", "keep_columns": ("received", "priority"), "chunk_size": 2}
    local, remote = both_engines(settings, spark, source, tmp_path, ".parquet", **options)
    assert_same_file(tmp_path / "local.parquet", tmp_path / "spark.parquet")
    rows = pq.read_table(tmp_path / "spark.parquet").to_pylist()
    assert [(row["case"], row["received"], row["priority"]) for row in rows] == [
        (f"C{i}", received[i], [None, None, 3, 1, 2][i]) for i in range(len(TEXTS))
    ]
    assert local == remote


def test_a_directory_output_gets_spark_part_files_and_an_errors_directory(
    settings, spark, complaints_jsonl, tmp_path
):
    job = SparkJob(str(complaints_jsonl), f"{tmp_path}/labelled/", id_column="case")
    summary = run_spark_batch(job, settings, progress=False, spark=spark)
    rows = spark.read.parquet(str(tmp_path / "labelled")).orderBy("case").collect()
    assert [row["case"] for row in rows] == ["C0", "C1", "C2", "C3", "C4"]
    errors = spark.read.json(str(tmp_path / "labelled.errors")).orderBy("row").collect()
    assert [row["row"] for row in errors] == [6, 7, 8] and summary.rows_failed == 3
    assert not [path.name for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_the_python_api_annotates_a_dataframe_loading_the_models_once_per_worker(settings, spark):
    from service.batch.spark import Counters, annotate

    texts = [*TEXTS * 8, "", None]
    frame = spark.createDataFrame(
        [(number, text, f"team {number % 3}") for number, text in enumerate(texts)],
        "n long, text string, team string",
    ).repartition(6)
    counters = Counters.create(spark)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "2")
    try:
        result = annotate(frame, settings, id_column="n", keep_columns=("team",), counters=counters)
        result = result.orderBy("n").collect()
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert [row["_error"] for row in result[-2:]] == ["empty text", "missing text"]
    assert result[1]["sector"] == "consular_overseas" and result[1]["_error"] is None
    assert [row["team"] for row in result] == [f"team {number % 3}" for number in range(len(texts))]
    assert set(result[0].asDict()) == {
        "n",
        "team",
        "sector",
        "sector_probability",
        "themes",
        "needs_review",
        "_error",
    }
    assert 1 <= counters.loads.value <= 2  # 6 partitions, 21 batches, at most two Python workers


def test_the_cli_runs_the_spark_engine(settings, spark, complaints_jsonl, tmp_path):
    from typer.testing import CliRunner

    from service.cli import app

    output = tmp_path / "out.csv"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(complaints_jsonl),
            str(output),
            "--engine",
            "spark",
            "--partitions",
            "3",
            "--id-column",
            "case",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["rows_in"], summary["rows_out"], summary["rows_failed"]) == (8, 5, 3)
    assert summary["spark"]["partitions"] == 3
    with output.open(newline="", encoding="utf-8") as handle:
        assert [row["case"] for row in csv.DictReader(handle)] == ["C0", "C1", "C2", "C3", "C4"]
