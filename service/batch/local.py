"""The local batch engine: chunks of rows through worker processes, resumable, with a progress bar."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.batch.formats import (
    BatchInputError,
    Chunk,
    InputColumns,
    Row,
    count_rows,
    file_format,
    join_parts,
    read_chunks,
    write_part,
)
from service.settings import Settings

TASKS = ("classify", "anonymise")


@dataclass(frozen=True)
class BatchJob:
    """What to run over which file, and how."""

    input: Path
    output: Path
    text_column: str = "text"
    id_column: str | None = None
    tasks: tuple[str, ...] = ("classify",)
    jobs: int = 1
    chunk_size: int = 1000
    mode: str = "letters"
    resume: bool = False
    keep_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        clashes = set(self.input_columns.carried) & set(self.task_columns)
        if clashes:
            raise BatchInputError(
                f"the input column '{sorted(clashes)[0]}' has the name of an output column; "
                "rename it before carrying it into the output"
            )

    @property
    def input_columns(self) -> InputColumns:
        """The input columns the job reads."""
        return InputColumns(self.text_column, self.id_column, self.keep_columns)

    @property
    def parts_dir(self) -> Path:
        """Where finished chunks wait until the end (kept for --resume)."""
        return self.output.with_name(f".{self.output.name}.parts")

    @property
    def errors_path(self) -> Path:
        """The bad-row report beside the output."""
        return self.output.with_name(f"{self.output.stem}.errors.jsonl")

    @property
    def columns(self) -> list[str]:
        """The output columns, in order: the carried input columns, then the tasks' own."""
        return [*self.input_columns.carried, *self.task_columns]

    @property
    def task_columns(self) -> list[str]:
        """The columns the tasks write."""
        columns = []
        if "classify" in self.tasks:
            columns += ["sector", "sector_probability", "themes", "needs_review"]
        if "anonymise" in self.tasks:
            columns.append("text_anonymised")
        return columns


@dataclass
class Summary:
    """What a run did: rows read, written and failed, and how often each label was given."""

    rows_in: int = 0
    rows_out: int = 0
    rows_failed: int = 0
    chunks_done: int = 0
    sectors: Counter = field(default_factory=Counter)
    themes: Counter = field(default_factory=Counter)

    def add(self, other: ChunkResult) -> None:
        """Fold one chunk's counts in."""
        self.rows_in += other.rows_in
        self.rows_out += len(other.records)
        self.rows_failed += len(other.errors)
        self.chunks_done += 1
        self.sectors.update(other.sectors)
        self.themes.update(other.themes)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (also the resume checkpoint)."""
        return {
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_failed": self.rows_failed,
            "chunks_done": self.chunks_done,
            "sectors": dict(self.sectors.most_common()),
            "themes": dict(self.themes.most_common()),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Summary:
        """Inverse of to_dict."""
        return cls(
            raw["rows_in"],
            raw["rows_out"],
            raw["rows_failed"],
            raw["chunks_done"],
            Counter(raw["sectors"]),
            Counter(raw["themes"]),
        )


@dataclass
class ChunkResult:
    """Output records and bad rows of one chunk."""

    index: int
    rows_in: int
    records: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    sectors: Counter
    themes: Counter


class Worker:
    """Holds the models in one process and turns chunks into results."""

    def __init__(self, settings: Settings, job: BatchJob) -> None:
        from models.store import load_classifier

        self.job = job
        self.settings = settings
        self.classifier = load_classifier(settings.model_dir) if "classify" in job.tasks else None
        self.engine = None
        if "anonymise" in job.tasks:
            from service.redaction.engine import RedactionEngine, RedactionOptions

            self.engine = RedactionEngine(settings)
            self.options = RedactionOptions(mode=job.mode)

    def run(self, chunk: Chunk) -> ChunkResult:
        """Classify and/or anonymise the good rows of ``chunk``; report the bad ones with a reason."""
        good: list[Row] = []
        errors = []
        for row in chunk.rows:
            problem = row.problem or self._problem(row.text)
            if problem:
                errors.append({"row": row.number, "id": row.id, "reason": problem})
            else:
                good.append(row)
        records: list[dict[str, Any]] = [dict(row.carried) for row in good]
        sectors: Counter = Counter()
        themes: Counter = Counter()
        texts = [row.text for row in good]
        if self.classifier is not None and texts:
            for record, prediction in zip(records, self.classifier.predict(texts), strict=True):
                labels = [theme.label for theme in prediction.themes]
                record.update(
                    sector=prediction.sector.label,
                    sector_probability=round(prediction.sector.probability, 4),
                    themes=";".join(labels),
                    needs_review=prediction.needs_review,
                )
                sectors[prediction.sector.label] += 1
                themes.update(labels)
        if self.engine is not None and texts:
            for record, redaction in zip(records, self.engine.redact_many(texts, self.options), strict=True):
                record["text_anonymised"] = redaction.text
        return ChunkResult(chunk.index, len(chunk.rows), records, errors, sectors, themes)

    def _problem(self, text: Any) -> str | None:
        if text is None:
            return "missing text"
        if not isinstance(text, str):
            return f"text is {type(text).__name__}, not a string"
        if not text.strip():
            return "empty text"
        if len(text) > self.settings.max_text_chars:
            return f"text longer than {self.settings.max_text_chars} characters"
        return None


_worker: Worker | None = None


def _start_worker(settings: Settings, job: BatchJob) -> None:
    global _worker
    _worker = Worker(settings, job)


def _run_in_worker(chunk: Chunk) -> ChunkResult:
    assert _worker is not None
    return _worker.run(chunk)


def results(job: BatchJob, settings: Settings, chunks: Iterator[Chunk]) -> Iterator[ChunkResult]:
    """Chunk results in input order, from ``job.jobs`` worker processes (in this process when 1)."""
    if job.jobs <= 1:
        worker = Worker(settings, job)
        yield from map(worker.run, chunks)
        return
    # fork: workers start at once with the modules already imported (the models load in each worker)
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with context.Pool(job.jobs, initializer=_start_worker, initargs=(settings, job)) as pool:
        yield from pool.imap(_run_in_worker, chunks, chunksize=1)


def run_batch(job: BatchJob, settings: Settings, progress: bool = True) -> Summary:
    """Run ``job`` to completion and return its summary.

    Finished chunks are kept as parts beside the output with a checkpoint, so ``resume`` carries on after
    the last finished chunk without duplicating rows; at the end the parts are joined into the output
    and the bad rows into ``<output>.errors.jsonl``.
    """
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked

    file_format(job.output)
    checkpoint = job.parts_dir / "checkpoint.json"
    summary, chunk_size = Summary(), job.chunk_size
    if job.resume and checkpoint.is_file():
        saved = json.loads(checkpoint.read_text(encoding="utf-8"))
        if saved.get("columns", job.columns) != job.columns:
            raise BatchInputError(
                "--resume needs the same columns and tasks as the interrupted run: "
                f"it wrote {', '.join(saved['columns'])}"
            )
        summary, chunk_size = Summary.from_dict(saved["summary"]), saved["chunk_size"]
    else:
        shutil.rmtree(job.parts_dir, ignore_errors=True)
    job.parts_dir.mkdir(parents=True, exist_ok=True)
    total = count_rows(job.input)
    chunks = (
        chunk
        for chunk in read_chunks(job.input, job.input_columns, chunk_size)
        if chunk.index >= summary.chunks_done
    )
    bar = tqdm(
        total=total,
        initial=summary.rows_in,
        unit="rows",
        disable=not progress,
        file=sys.stderr,
        smoothing=0.1,
    )
    with bar:
        for result in results(job, settings, chunks):
            part = job.parts_dir / f"part-{result.index:06d}.rows{job.output.suffix}"
            write_part(result.records, job.columns, part)
            (job.parts_dir / f"part-{result.index:06d}.errors.jsonl").write_text(
                "".join(json.dumps(error, default=str) + "\n" for error in result.errors), encoding="utf-8"
            )
            summary.add(result)
            temporary = checkpoint.with_suffix(".tmp")
            temporary.write_text(
                json.dumps({"chunk_size": chunk_size, "columns": job.columns, "summary": summary.to_dict()}),
                encoding="utf-8",
            )
            os.replace(temporary, checkpoint)
            bar.update(result.rows_in)
    finish(job, summary)
    return summary


def finish(job: BatchJob, summary: Summary) -> None:
    """Join the parts into the output and the errors file, then remove the parts."""
    parts = sorted(job.parts_dir.glob(f"part-*.rows{job.output.suffix}"))
    job.output.parent.mkdir(parents=True, exist_ok=True)
    join_parts(parts, job.output)
    error_parts = sorted(job.parts_dir.glob("part-*.errors.jsonl"))
    if summary.rows_failed:
        with job.errors_path.open("w", encoding="utf-8") as out:
            for part in error_parts:
                out.write(part.read_text(encoding="utf-8"))
    else:
        job.errors_path.unlink(missing_ok=True)
    shutil.rmtree(job.parts_dir)
