"""Classify and/or anonymise a Spark DataFrame: the local engine's Worker over Arrow batches on executors.

PySpark is an optional extra (``pip install 'casework-nlp[spark]'``) and needs Java 17. This module imports
without it; ``require_pyspark`` says how to install it. The models load once per Python worker process
(Spark reuses its Python workers between tasks, ``spark.python.worker.reuse``), never per row or batch.

``annotate`` is the Python API::

    from service.batch.spark import annotate
    labelled = annotate(df, settings, text_column="text", id_column="case", tasks=("classify",))

It gives one row per input row: the id column and any ``keep_columns``, the local engine's output columns,
and ``_error``, the local engine's reason when a row could not be used (its other outputs are then null).
"""

from __future__ import annotations

import os
import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.batch.formats import Chunk, InputColumns, Row, jsonl_row
from service.batch.local import BatchJob, Worker
from service.settings import Settings

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import Accumulator
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType, StructType

INSTALL_HINT = "pip install 'casework-nlp[spark]' (in this repository: .venv/bin/pip install -e '.[spark]')"
ROW, TEXT, PROBLEM, ERROR = "_row", "_text", "_problem", "_error"
# Spark SQL types of the local engine's output columns (see BatchJob.columns).
COLUMN_TYPES = {
    "sector": "string",
    "sector_probability": "double",
    "themes": "string",
    "needs_review": "boolean",
    "text_anonymised": "string",
}
# PySpark 4.x warns on every start that it is not yet tested with pandas 3; this engine passes Arrow only.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def carried_alias(position: int) -> str:
    """The name the carried input column at ``position`` travels under to the executors."""
    return f"_carried_{position}"


class SparkUnavailable(RuntimeError):
    """PySpark or Java is missing; the message says how to install it."""


def require_pyspark() -> None:
    """Return if PySpark imports and a Java runtime is findable; SparkUnavailable saying what to install otherwise."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(f"--engine spark needs PySpark: {INSTALL_HINT}") from None
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable(
            "--engine spark needs Java 17: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)"
        )


@dataclass
class Counters:
    """Driver-side accumulators: how many times the models were loaded on executors, and in how long."""

    loads: Accumulator
    load_seconds: Accumulator

    @classmethod
    def create(cls, spark: Any) -> Counters:
        """Fresh zeroed accumulators on ``spark``'s context."""
        context = spark.sparkContext
        return cls(context.accumulator(0), context.accumulator(0.0))


def annotate(
    df: DataFrame,
    settings: Settings,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    tasks: tuple[str, ...] = ("classify",),
    mode: str = "letters",
    row_column: str | None = None,
    counters: Counters | None = None,
    keep_columns: tuple[str, ...] = (),
) -> DataFrame:
    """Classify and/or anonymise ``df`` lazily, one output row per input row, as the local engine would.

    Columns: ``id_column`` (if given), ``keep_columns`` (unchanged), the local engine's output columns
    for ``tasks`` (``sector``, ``sector_probability``, ``themes``, ``needs_review``, ``text_anonymised``),
    ``row_column`` (if given, kept so that bad rows can be found) and ``_error``: null for a processed row,
    else the local engine's reason (missing, empty or non-text text, too long) with the other outputs null.
    The complaint text itself is not copied unless its column is kept. The models load once per Python
    worker process.
    """
    from pyspark.sql import functions as F

    job = worker_job(InputColumns(text_column, id_column, keep_columns), tasks, mode)
    carried = job.input_columns.carried
    prepared = df.select(
        (F.col(row_column) if row_column else F.monotonically_increasing_id()).cast("long").alias(ROW),
        F.col(text_column).alias(TEXT),
        *[F.col(name).alias(carried_alias(i)) for i, name in enumerate(carried)],
    )
    types = {name: df.schema[name].dataType for name in carried}
    result = apply(prepared, settings, job, carried_types=types, jsonl=False, counters=counters)
    return result.withColumnRenamed(ROW, row_column) if row_column else result.drop(ROW)


def worker_job(columns: InputColumns, tasks: tuple[str, ...], mode: str) -> BatchJob:
    """The BatchJob a Worker needs (its file paths are unused on executors)."""
    return BatchJob(Path(), Path(), columns.text, columns.id, tasks, mode=mode, keep_columns=columns.kept)


def output_schema(job: BatchJob, carried_types: dict[str, DataType]) -> StructType:
    """``_row``, the carried input columns (with ``carried_types``), the job's output columns and
    ``_error``, typed."""
    from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType

    types = {"string": StringType(), "double": DoubleType(), "boolean": BooleanType()}
    fields = [StructField(ROW, LongType())]
    fields += [StructField(name, carried_types[name]) for name in job.input_columns.carried]
    fields += [StructField(name, types[COLUMN_TYPES[name]]) for name in job.task_columns]
    return StructType([*fields, StructField(ERROR, StringType())])


def apply(
    prepared: DataFrame,
    settings: Settings,
    job: BatchJob,
    *,
    carried_types: dict[str, DataType],
    jsonl: bool,
    counters: Counters | None = None,
) -> DataFrame:
    """Run the Worker over ``prepared`` (``_row``, ``_text``, the carried columns under ``carried_alias``
    names, optional ``_problem``) with mapInArrow.

    With ``jsonl``, ``_text`` holds raw JSONL lines, parsed on the executors exactly as the local reader
    parses them, and carried values are converted to ``carried_types``. mapInArrow rather than
    mapInPandas: the values reach the Worker as pyarrow's ``to_pylist`` gives them, as in the local Parquet
    reader (no pandas dtype coercion of nullable integers or booleans), and carried columns pass through
    untouched.
    """
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = output_schema(job, carried_types)
    batches = _Batches(settings, job, jsonl, to_arrow_schema(schema), counters)
    return prepared.mapInArrow(batches, schema)


_cached: tuple[Settings, BatchJob, Worker] | None = None


def _worker(settings: Settings, job: BatchJob, counters: Counters | None) -> Worker:
    """This process's Worker, built on first use and kept for every later task and batch."""
    global _cached
    if _cached is None or _cached[0] != settings or _cached[1] != job:
        started = time.perf_counter()
        _cached = (settings, job, Worker(settings, job))
        if counters is not None:
            counters.loads.add(1)
            counters.load_seconds.add(time.perf_counter() - started)
    return _cached[2]


@dataclass
class _Batches:
    """The function mapInArrow runs on executors: Arrow batches of input rows to batches of output rows."""

    settings: Settings
    job: BatchJob
    jsonl: bool
    schema: pa.Schema
    counters: Counters | None

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield self.run(_worker(self.settings, self.job, self.counters), batch)

    def run(self, worker: Worker, batch: pa.RecordBatch) -> pa.RecordBatch:
        """One output row per input row, in the same order."""
        import pyarrow as pa

        rows = self.rows(batch)
        result = worker.run(Chunk(0, rows))
        reasons = {error["row"]: error["reason"] for error in result.errors}
        records = iter(result.records)
        outputs = self.job.task_columns
        values: dict[str, list[Any]] = {name: [] for name in [*outputs, ERROR]}
        for row in rows:
            reason = reasons.get(row.number)
            record = {} if reason else next(records)
            for name in outputs:
                values[name].append(record.get(name))
            values[ERROR].append(reason)
        arrays: dict[str, Any] = {ROW: batch.column(ROW)}
        for position, name in enumerate(self.job.input_columns.carried):
            if self.jsonl:
                arrow_type = self.schema.field(name).type
                converted = [_json_value(row.carried.get(name), arrow_type) for row in rows]
                arrays[name] = pa.array(converted, arrow_type)
            else:
                arrays[name] = batch.column(carried_alias(position))
        arrays.update({name: pa.array(values[name], self.schema.field(name).type) for name in values})
        return pa.RecordBatch.from_arrays([arrays[name] for name in self.schema.names], schema=self.schema)

    def rows(self, batch: pa.RecordBatch) -> list[Row]:
        """The batch as the local engine's Rows numbered by position (JSONL lines parsed as the local reader does)."""
        texts = batch.column(TEXT).to_pylist()
        numbers = range(len(texts))  # positions in the batch: the output carries ``_row`` itself
        columns = self.job.input_columns
        if self.jsonl:
            return [jsonl_row(number, line, columns)[0] for number, line in zip(numbers, texts, strict=True)]
        names = batch.schema.names
        problems = batch.column(PROBLEM).to_pylist() if PROBLEM in names else [None] * len(texts)
        # The Worker needs only the id, for bad rows (carried first); the output takes every carried
        # column straight from the batch.
        ids = batch.column(carried_alias(0)).to_pylist() if columns.id else [None] * len(texts)
        return [Row(*values) for values in zip(numbers, ids, texts, problems, strict=True)]


def _json_value(value: Any, arrow_type: pa.DataType) -> Any:
    """A JSON value as ``arrow_type`` holds it: Spark's JSON inference gives string for mixed types."""
    import json

    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_string(arrow_type) and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if pa.types.is_floating(arrow_type) and isinstance(value, int):
        return float(value)
    return value
