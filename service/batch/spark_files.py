"""Paths for the Spark engine: read an input with the local engine's row numbers, write outputs, tidy up.

Paths are anything Spark can reach (local, ``file://``, ``hdfs://``, ``s3a://``…). A path ending in ``/``
is a directory of Spark part files; its format comes from its name's extension, Parquet without one.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from service.batch.formats import FORMATS, BatchInputError, InputColumns, join_parts, write_part
from service.batch.spark import PROBLEM, ROW, TEXT, carried_alias

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import DataType

MALFORMED_CSV = "malformed CSV row"  # the local reader's reason
_CORRUPT = "_casework_corrupt"


def is_directory(path: str) -> bool:
    """Whether ``path`` names a directory of part files (it ends with ``/``)."""
    return path.endswith("/")


def spark_format(path: str) -> str:
    """ "csv", "jsonl" or "parquet" from the file or directory name; Parquet for a directory without one."""
    name = PurePosixPath(urlparse(path).path.rstrip("/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if is_directory(path) and not suffix:
        return "parquet"
    raise BatchInputError(f"{name}: use a .csv, .jsonl or .parquet file (or a directory ending in /)")


def local_path(path: str) -> Path | None:
    """The local file system path of ``path``, or None when it is on another file system."""
    parsed = urlparse(path)
    if parsed.scheme == "file":
        return Path(parsed.path)
    return Path(path) if parsed.scheme == "" else None


def sibling(path: str, name: str) -> str:
    """The path of ``name`` in the directory holding ``path`` (a file or a directory)."""
    stripped = path.rstrip("/")
    head, _, _ = stripped.rpartition("/")
    return f"{head}/{name}" if head or stripped.startswith("/") else name


def errors_location(output: str) -> str:
    """Where bad rows go: ``<stem>.errors.jsonl`` beside a file, ``<name>.errors/`` beside a directory."""
    name = PurePosixPath(urlparse(output).path.rstrip("/")).name
    if is_directory(output):
        return sibling(output, f"{name}.errors/")
    return sibling(output, f"{PurePosixPath(name).stem}.errors.jsonl")


@dataclass
class Source:
    """An input as ``_row`` (1-based, in the local engine's numbering), ``_text``, the carried columns
    (under ``carried_alias`` names, typed as ``carried_types`` says) and ``_problem``; for JSONL, ``_text``
    holds each raw line and nothing else is split out."""

    frame: DataFrame
    rows: int
    partitions: int
    carried_types: dict[str, DataType]
    jsonl: bool


def read_source(spark: SparkSession, path: str, columns: InputColumns) -> Source:
    """Read ``path`` numbered as the local engine numbers rows: data rows for CSV and Parquet, lines for JSONL.

    JSONL is read as lines and parsed on the executors (so invalid lines are reported as locally); the
    carried columns' types come from Spark's JSON schema inference. CSV is read with quoted newlines, every field
    a string, and rows with too many or too few fields marked malformed.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType
    from pyspark.sql.utils import AnalysisException

    kind = spark_format(path)
    name = PurePosixPath(urlparse(path).path.rstrip("/")).name
    try:
        if kind == "jsonl":
            raw = spark.read.text(path).select(F.col("value").alias(TEXT))
            columns.require(_first_object_keys(raw), name)
            types: dict[str, DataType] = {}
            if columns.carried:  # Spark's inference reads every line, so that every value fits the type
                inferred = spark.read.json(path).schema
                for column in columns.carried:  # each is in the first object, so in the inferred schema
                    found = inferred[column].dataType
                    # nested or unusual values travel as their JSON text
                    simple = isinstance(found, StringType | LongType | DoubleType | BooleanType)
                    types[column] = found if simple else StringType()
            return _numbered(raw, types, jsonl=True)
        if kind == "csv":
            header = spark.read.option("header", True).csv(path).columns
            columns.require(header, name)
            schema = StructType(
                [StructField(column, StringType()) for column in header]
                + [StructField(_CORRUPT, StringType())]
            )
            table = (
                spark.read.schema(schema)
                .options(header=True, multiLine=True, mode="PERMISSIVE")
                .option("columnNameOfCorruptRecord", _CORRUPT)
                .csv(path)
            )
            problem = F.when(F.col(_CORRUPT).isNotNull(), F.lit(MALFORMED_CSV))
            # Spark reads an empty field as null; the local reader (csv.DictReader) reads "".
            table = table.select(
                *[
                    F.when(problem.isNull(), F.coalesce(F.col(column), F.lit("")))
                    .otherwise(F.col(column))
                    .alias(column)
                    for column in header
                ],
                _CORRUPT,
            )
        else:
            table = spark.read.parquet(path)
            columns.require(table.columns, name)
            problem = F.lit(None).cast("string")
    except AnalysisException as error:
        raise BatchInputError(f"cannot read {name}: {error.getCondition() or 'unreadable'}") from None
    raw = table.select(
        F.col(columns.text).alias(TEXT),
        *[F.col(column).alias(carried_alias(i)) for i, column in enumerate(columns.carried)],
        problem.alias(PROBLEM),
    )
    types = {column: table.schema[column].dataType for column in columns.carried}
    return _numbered(raw, types, jsonl=False)


def _numbered(raw: DataFrame, carried_types: dict[str, DataType], jsonl: bool) -> Source:
    """Add ``_row``: each partition's offset (counted in one pass) plus the position inside it, from 1."""
    from pyspark.sql import functions as F

    partitions = raw.rdd.getNumPartitions()
    counts = dict(raw.groupBy(F.spark_partition_id().alias("p")).count().collect())
    offsets, total = [], 0
    for partition in range(partitions):
        offsets.append(total)
        total += counts.get(partition, 0)
    position = F.col("_position")  # partition index << 33, plus the position within the partition
    start = F.element_at(
        F.array(*[F.lit(offset) for offset in offsets or [0]]), (F.shiftright(position, 33) + 1).cast("int")
    )
    frame = raw.withColumn("_position", F.monotonically_increasing_id()).select(
        (start + position.bitwiseAND(F.lit((1 << 33) - 1)) + 1).alias(ROW), *raw.columns
    )
    return Source(frame, total, partitions, carried_types, jsonl)


def _first_object_keys(lines: DataFrame, look: int = 1000) -> list[str]:
    """The keys of the first JSON object among the first ``look`` lines (the local reader checks that one)."""
    for row in lines.limit(look).collect():
        try:
            record = json.loads(row[0])
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            return list(record)
    return []


def write_file(rows: Iterable[dict[str, Any]], columns: list[str], output: str, chunk_size: int) -> int:
    """Write ``rows`` to the single file ``output`` exactly as the local engine does; the number written.

    Rows are written in parts of ``chunk_size`` with the local engine's writer and joined, so memory
    holds one part; a file on another file system is built locally and then copied there.
    """
    target = local_path(output)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(
        prefix=".casework-parts-", dir=target.parent if target else None
    ) as folder:
        parts, count, suffix = [], 0, f".{spark_format(output)}"
        for index, chunk in enumerate(_chunks(rows, chunk_size)):
            part = Path(folder) / f"part-{index:06d}{suffix}"
            write_part(chunk, columns, part)
            parts.append(part)
            count += len(chunk)
        if not parts:
            write_part([], columns, parts_path := Path(folder) / f"part-000000{suffix}")
            parts.append(parts_path)
        built = target or Path(folder) / f"output{suffix}"
        join_parts(parts, built)
        if target is None:
            upload(built, output)
    return count


def write_errors(errors: Iterable[dict[str, Any]], output: str) -> None:
    """Write bad rows (``row``, ``id``, ``reason``) as JSON lines, as the local engine's errors file."""
    target = local_path(output)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_lines(errors, target)
        return
    with tempfile.TemporaryDirectory(prefix=".casework-errors-") as folder:
        built = Path(folder) / "errors.jsonl"
        _write_lines(errors, built)
        upload(built, output)


def _write_lines(errors: Iterable[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for error in errors:
            handle.write(json.dumps(error, default=str) + "\n")


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _file_system(path: str) -> tuple[Any, Any]:
    """Hadoop's FileSystem and Path objects for ``path`` (the active session's configuration)."""
    from pyspark import SparkContext

    context = SparkContext.getOrCreate()
    hadoop_path = context._jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(context._jsc.hadoopConfiguration()), hadoop_path


def delete(path: str) -> None:
    """Remove ``path`` (recursively) wherever it is; nothing if it is not there."""
    file_system, hadoop_path = _file_system(path)
    file_system.delete(hadoop_path, True)


def upload(local: Path, path: str) -> None:
    """Copy the local file ``local`` to ``path`` on its file system, replacing it."""
    from pyspark import SparkContext

    file_system, hadoop_path = _file_system(path)
    source = SparkContext.getOrCreate()._jvm.org.apache.hadoop.fs.Path(str(local.resolve()))
    file_system.copyFromLocalFile(False, True, source, hadoop_path)
