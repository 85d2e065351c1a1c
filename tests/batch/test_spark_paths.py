"""Where the Spark engine reads and writes: formats, errors beside the output, directories (no Spark needed)."""

from __future__ import annotations

import pytest

from service.batch.formats import BatchInputError
from service.batch.spark_files import errors_location, is_directory, local_path, spark_format
from service.batch.spark_job import default_partitions


@pytest.mark.parametrize(
    ("output", "kind", "errors"),
    [
        ("out.parquet", "parquet", "out.errors.jsonl"),
        ("/data/labelled.csv", "csv", "/data/labelled.errors.jsonl"),
        ("s3a://bucket/runs/labelled.jsonl", "jsonl", "s3a://bucket/runs/labelled.errors.jsonl"),
        ("hdfs://nn:8020/archive/labelled/", "parquet", "hdfs://nn:8020/archive/labelled.errors/"),
        ("file:///tmp/labelled.csv/", "csv", "file:///tmp/labelled.csv.errors/"),
    ],
)
def test_format_and_errors_output_follow_the_output_name(output, kind, errors):
    assert spark_format(output) == kind
    assert errors_location(output) == errors


def test_a_file_without_a_known_extension_is_refused_and_directories_end_with_a_slash():
    with pytest.raises(BatchInputError, match=r"\.csv, \.jsonl or \.parquet"):
        spark_format("s3a://bucket/out.xlsx")
    assert is_directory("out/") and not is_directory("out.parquet")
    assert local_path("s3a://bucket/x.csv") is None and str(local_path("file:///tmp/x.csv")) == "/tmp/x.csv"


def test_model_pass_partitions_are_whole_waves_of_bounded_size():
    assert default_partitions(2_000, 2, ("classify",)) == 4
    assert default_partitions(100_000, 2, ("classify",)) == 6
    assert default_partitions(10_000_000, 64, ("classify", "anonymise")) == 5_056
