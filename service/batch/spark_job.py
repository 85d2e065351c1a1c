"""The Spark batch engine behind ``casework batch --engine spark``: the local engine's job, on a cluster.

One pass of the models over the input writes a temporary Parquet beside the output; the rows, the errors
and the summary are then read from it, and it is removed. A file OUTPUT gets the local engine's exact
columns, order and writer; a directory OUTPUT (ending in ``/``) gets Spark's part files.
"""

from __future__ import annotations

import logging
import math
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from service.batch.formats import InputColumns
from service.batch.local import BatchJob, Summary
from service.batch.spark import ERROR, ROW, Counters, SparkUnavailable, apply, require_pyspark, worker_job
from service.batch.spark_files import (
    delete,
    errors_location,
    is_directory,
    read_source,
    sibling,
    spark_format,
    write_errors,
    write_file,
)
from service.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

LOG4J_CONFIG = Path(__file__).with_name("log4j2.properties")
# Rows per model-pass partition: small enough that a lost task costs little, large enough to amortise.
ROWS_PER_PARTITION = {"classify": 20_000, "anonymise": 2_000}
# Lines the JVM prints at start-up whatever the log level.
JVM_NOISE = (
    "WARNING: Using incubator modules",
    "Setting default log level to",
    "To adjust logging level use sc.setLogLevel",
)


@dataclass(frozen=True)
class SparkJob:
    """What to run over which paths, and where: the local engine's options plus the Spark master."""

    input: str
    output: str
    text_column: str = "text"
    id_column: str | None = None
    tasks: tuple[str, ...] = ("classify",)
    mode: str = "letters"
    chunk_size: int = 1000
    partitions: int | None = None
    master: str = "local[*]"
    keep_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Fail at once, as the local engine does, when a carried column has an output column's name."""
        _ = self.worker

    @property
    def worker(self) -> BatchJob:
        """The local engine's job for the executors' Workers."""
        return worker_job(
            InputColumns(self.text_column, self.id_column, self.keep_columns), self.tasks, self.mode
        )

    @property
    def columns(self) -> list[str]:
        """The output columns, in order (the local engine's)."""
        return self.worker.columns

    @property
    def errors_path(self) -> str:
        """``<stem>.errors.jsonl`` beside a file output, ``<name>.errors/`` beside a directory output."""
        return errors_location(self.output)


@dataclass
class SparkSummary(Summary):
    """The local engine's summary, plus where the time went (``spark`` in the JSON form)."""

    spark: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The local engine's JSON form with a ``spark`` object of timings and counts."""
        return {**super().to_dict(), "spark": self.spark}


def start_session(master: str = "local[*]", conf: dict[str, str] | None = None) -> SparkSession:
    """The active SparkSession, or a new one on ``master`` with Spark's console noise hidden.

    Python workers are reused between tasks (so models load once per worker process) and run this
    interpreter unless PYSPARK_PYTHON says otherwise; Spark logs only errors. Under spark-submit,
    spark-submit's master and settings apply and ``master`` is ignored.
    """
    require_pyspark()
    logging.getLogger("py4j").setLevel(logging.WARNING)  # its INFO lines would reach the service's JSON logs
    from pyspark import SparkConf, SparkContext
    from pyspark.errors import PySparkRuntimeError
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # under spark-submit: its master and settings apply
        session = SparkSession.builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return session
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {
        "spark.app.name": "casework-batch",
        "spark.ui.showConsoleProgress": "false",
        "spark.python.worker.reuse": "true",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG4J_CONFIG.as_uri()}",
    }
    if master.startswith("local"):
        settings["spark.ui.enabled"] = "false"
    spark_conf = SparkConf().setMaster(master).setAll([*settings.items(), *(conf or {}).items()])
    try:
        gateway = None if SparkContext._gateway else _quiet_gateway(spark_conf)
        context = SparkContext(conf=spark_conf, gateway=gateway)
    except PySparkRuntimeError as error:
        raise SparkUnavailable(
            f"Spark could not start Java ({error.getCondition()}); Java 17 is needed"
        ) from None
    context.setLogLevel("ERROR")
    return SparkSession.builder.getOrCreate()


def _quiet_gateway(conf: Any) -> Any:
    """Launch Spark's JVM with its stderr passed on line by line, less the start-up lines it always prints."""
    from pyspark.java_gateway import launch_gateway

    gateway = launch_gateway(conf, popen_kwargs={"stderr": subprocess.PIPE})

    def forward() -> None:
        for line in iter(gateway.proc.stderr.readline, b""):
            text = line.decode("utf-8", "replace")
            if not text.startswith(JVM_NOISE):
                try:
                    sys.__stderr__.write(text)
                    sys.__stderr__.flush()
                except (OSError, ValueError, AttributeError):
                    pass

    threading.Thread(target=forward, name="spark-stderr", daemon=True).start()
    return gateway


def default_partitions(rows: int, parallelism: int, tasks: tuple[str, ...]) -> int:
    """Partitions for the model pass: at least two per core, a whole number of waves, bounded rows each."""
    per_partition = ROWS_PER_PARTITION["anonymise" if "anonymise" in tasks else "classify"]
    wanted = max(2 * parallelism, math.ceil(rows / per_partition))
    return math.ceil(wanted / parallelism) * parallelism


def run_spark_batch(
    job: SparkJob, settings: Settings, progress: bool = True, spark: SparkSession | None = None
) -> SparkSummary:
    """Run ``job`` on Spark to completion and return its summary; bad rows never fail it.

    Output and errors are those of the local engine for the same input (rows in input order, the same
    columns, values and row numbers), except that a directory OUTPUT holds Spark's part files and its
    errors go to ``<name>.errors/``. Uses ``spark`` or the active session, else starts one on
    ``job.master`` and stops it at the end.
    """
    from pyspark.sql import SparkSession

    spark_format(job.output)
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    owned = spark is None and SparkSession.getActiveSession() is None
    spark = spark or start_session(job.master)
    timings["session_s"] = _since(started)
    _say(f"Spark {spark.sparkContext.master}: session ready in {timings['session_s']} s")
    name = PurePosixPath(urlparse(job.output).path.rstrip("/")).name
    scratch = sibling(job.output, f".{name}.casework-{uuid.uuid4().hex[:12]}.parquet")
    batch_rows = "spark.sql.execution.arrow.maxRecordsPerBatch"
    previous = spark.conf.get(batch_rows)
    spark.conf.set(batch_rows, str(job.chunk_size))
    try:
        return _run(spark, job, settings, progress, scratch, timings)
    finally:
        spark.conf.set(batch_rows, previous)
        delete(scratch)
        if owned:
            spark.stop()


def _run(
    spark: SparkSession,
    job: SparkJob,
    settings: Settings,
    progress: bool,
    scratch: str,
    timings: dict[str, Any],
) -> SparkSummary:
    from pyspark.sql import functions as F

    started = time.perf_counter()
    worker = job.worker
    source = read_source(spark, job.input, worker.input_columns)
    timings["read_s"] = _since(started)
    _say(f"read {source.rows} rows in {source.partitions} partitions in {timings['read_s']} s")
    frame, partitions = source.frame, source.partitions
    wanted = job.partitions or default_partitions(
        source.rows, spark.sparkContext.defaultParallelism, job.tasks
    )
    if wanted > partitions or (job.partitions and wanted != partitions):
        frame, partitions = frame.repartitionByRange(wanted, ROW), wanted
    counters = Counters.create(spark)
    result = apply(
        frame, settings, worker, carried_types=source.carried_types, jsonl=source.jsonl, counters=counters
    )
    started = time.perf_counter()
    with _task_bar(spark, "models", progress):
        result.write.mode("overwrite").parquet(scratch)
    timings.update(
        partitions=partitions,
        model_pass_s=_since(started),
        model_loads=counters.loads.value,
        model_load_s=round(counters.load_seconds.value / max(counters.loads.value, 1), 2),
    )
    _say(
        f"models: {source.rows} rows in {partitions} partitions in {timings['model_pass_s']} s "
        f"({source.rows / max(timings['model_pass_s'], 1e-9):.1f} rows/s); models loaded "
        f"{timings['model_loads']} times, {timings['model_load_s']} s each"
    )
    started = time.perf_counter()
    done = spark.read.parquet(scratch)
    summary = _summary(done, job)
    summary.chunks_done = partitions
    good = done.where(F.col(ERROR).isNull()).orderBy(ROW).select(*job.columns)
    bad = done.where(F.col(ERROR).isNotNull()).orderBy(ROW)
    bad = bad.select(
        F.col(ROW).alias("row"),
        (F.col(job.id_column) if job.id_column else F.lit(None)).alias("id"),
        F.col(ERROR).alias("reason"),
    )
    _write(good, bad, job, summary.rows_failed)
    timings["write_s"] = _since(started)
    _say(f"wrote {job.output} in {timings['write_s']} s")
    summary.spark = {"master": spark.sparkContext.master, **timings}
    return summary


def _summary(done: DataFrame, job: SparkJob) -> SparkSummary:
    """Rows in, out and failed, and label counts, from the model pass's output."""
    from pyspark.sql import functions as F

    rows_in, rows_failed = done.agg(F.count(F.lit(1)), F.count(ERROR)).first()
    summary = SparkSummary(rows_in=rows_in, rows_out=rows_in - rows_failed, rows_failed=rows_failed)
    if "classify" in job.tasks:
        good = done.where(F.col(ERROR).isNull())
        summary.sectors = _counts(good.groupBy("sector").count().collect())
        labels = good.select(F.explode(F.split("themes", ";")).alias("theme")).where("theme != ''")
        summary.themes = _counts(labels.groupBy("theme").count().collect())
    return summary


def _counts(rows: list[Any]) -> Counter:
    return Counter(dict(sorted(((row[0], row[1]) for row in rows), key=lambda pair: (-pair[1], pair[0]))))


def _write(good: DataFrame, bad: DataFrame, job: SparkJob, failed: int) -> None:
    """Rows to the output and bad rows to the errors output (removed when there are none)."""
    if is_directory(job.output):
        kind = spark_format(job.output)
        writer = good.write.mode("overwrite")
        if kind == "csv":
            writer.option("header", True).csv(job.output)
        elif kind == "jsonl":
            writer.json(job.output)
        else:
            writer.parquet(job.output)
        if failed:
            bad.write.mode("overwrite").json(job.errors_path)
        else:
            delete(job.errors_path)
        return
    rows = (row.asDict() for row in good.toLocalIterator(prefetchPartitions=True))
    write_file(rows, job.columns, job.output, job.chunk_size)
    if failed:
        write_errors((row.asDict() for row in bad.toLocalIterator()), job.errors_path)
    else:
        delete(job.errors_path)


@contextmanager
def _task_bar(spark: SparkSession, label: str, enabled: bool) -> Iterator[None]:
    """A progress bar on stderr of the Spark tasks finished by the jobs started inside the block."""
    if not enabled:
        yield
        return
    from tqdm import tqdm

    context, group = spark.sparkContext, f"casework-{uuid.uuid4().hex}"
    context.setJobGroup(group, label)
    tracker, stop = context.statusTracker(), threading.Event()
    bar = tqdm(total=0, desc=label, unit="partitions", file=sys.stderr)

    def update() -> None:
        done = total = 0
        for job_id in tracker.getJobIdsForGroup(group):
            info = tracker.getJobInfo(job_id)
            for stage_id in info.stageIds if info else ():
                stage = tracker.getStageInfo(stage_id)
                if stage is not None:
                    done, total = done + stage.numCompletedTasks, total + stage.numTasks
        bar.total, bar.n = total, done
        bar.refresh()

    def poll() -> None:
        while not stop.wait(1.0):
            update()

    thread = threading.Thread(target=poll, name="spark-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        update()
        bar.close()
        context.setLocalProperty("spark.jobGroup.id", None)


def _say(message: str) -> None:
    sys.stderr.write(f"casework batch (spark): {message}\n")
    sys.stderr.flush()


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)
