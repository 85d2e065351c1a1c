"""The ``casework`` command: serve, classify, anonymise, batch and report (train and evaluate come from training)."""

from __future__ import annotations

import json
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer

from service.settings import comma_separated, get_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Casework NLP: classify and anonymise complaints."
)
DOCX = ".docx"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default CASEWORK_WORKERS or 1).")
    ] = None,
) -> None:
    """Start the HTTP service, training the default models first if none are there."""
    from service.server import AddressInUseError
    from service.server import serve as serve_forked

    given = {"host": host, "port": port, "workers": workers}
    settings = get_settings().model_copy(update={k: v for k, v in given.items() if v is not None})
    try:
        serve_forked(settings)
    except AddressInUseError as error:
        raise fail(str(error)) from None


def read_text_argument(text: str | None, file: Path | None) -> str:
    """The text from the argument, else the file, else standard input."""
    if text is not None:
        return text
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise fail(f"cannot read {file}: {error.__class__.__name__}") from None
    if sys.stdin.isatty():
        raise fail("give the text as an argument, with --file, or on standard input")
    return sys.stdin.read()


@app.command()
def classify(
    text: Annotated[str | None, typer.Argument(help="Complaint text (omit to read --file or stdin).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the text from this file.")] = None,
) -> None:
    """Print the sector and themes of one complaint as JSON."""
    from models.store import ModelLoadError, load_classifier

    settings = get_settings()
    body = read_text_argument(text, file)
    if not body.strip():
        raise fail("the text is empty")
    try:
        classifier = load_classifier(settings.model_dir)
    except ModelLoadError as error:
        raise fail(str(error)) from None
    prediction = classifier.predict([body])[0]
    typer.echo(json.dumps({**prediction.to_dict(), "model_version": classifier.version}, indent=2))


@app.command()
def anonymise(
    input_file: Annotated[Path, typer.Argument(help="A .txt or .docx file.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write (default NAME.anonymised.EXT).")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Span report JSON (default OUTPUT.spans.json).")] = None,
    mode: Annotated[str, typer.Option(help="letters, tag, remove, mask or hash.")] = "letters",
) -> None:
    """Anonymise a .txt or .docx file into the same format, with a JSON report of every replacement."""
    from service.redaction.documents import DocumentError, anonymise_file
    from service.redaction.engine import RedactionEngine, RedactionOptions
    from service.redaction.operators import ModeError

    settings = get_settings()
    target = output or input_file.with_name(f"{input_file.stem}.anonymised{input_file.suffix}")
    report_path = report or target.with_name(f"{target.name}.spans.json")
    try:
        engine = RedactionEngine(settings)
        spans = anonymise_file(engine, input_file, target, RedactionOptions(mode=mode))
    except (DocumentError, ModeError) as error:
        raise fail(str(error)) from None
    report_path.write_text(json.dumps({"engine": engine.version, "spans": spans}, indent=2), encoding="utf-8")
    typer.echo(f"wrote {target} ({len(spans)} replacements) and {report_path}", err=True)


@app.command()
def batch(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT", help="CSV, JSONL or Parquet file of complaints (spark: any path Spark reads)."
        ),
    ],
    output: Annotated[
        str,
        typer.Argument(
            metavar="OUTPUT",
            help="CSV, JSONL or Parquet file to write (format by extension; spark: a path ending in / "
            "gets Spark's part files).",
        ),
    ],
    text_column: Annotated[str, typer.Option(help="Column holding the complaint text.")] = "text",
    id_column: Annotated[
        str | None,
        typer.Option(help="Column to carry into the output under its own name, and to name bad rows by."),
    ] = None,
    keep_columns: Annotated[
        str,
        typer.Option(help="Comma-separated input columns to carry into the output unchanged (e.g. dates)."),
    ] = "",
    tasks: Annotated[str, typer.Option(help="Comma-separated: classify, anonymise.")] = "classify",
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    chunk_size: Annotated[int, typer.Option(min=1, help="Rows per chunk (memory stays flat).")] = 1000,
    mode: Annotated[
        str, typer.Option(help="Anonymisation mode: letters, tag, remove, mask or hash.")
    ] = "letters",
    resume: Annotated[bool, typer.Option("--resume", help="Carry on after an interruption.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    engine: Annotated[
        str, typer.Option(help="local (worker processes) or spark (pip install .[spark]).")
    ] = "local",
    master: Annotated[str, typer.Option(help="Spark master URL (--engine spark).")] = "local[*]",
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Partitions of the model pass (--engine spark; default by rows)."),
    ] = None,
) -> None:
    """Classify and/or anonymise a file of complaints, streaming in chunks; bad rows go to OUTPUT.errors.jsonl."""
    from models.store import ModelLoadError
    from service.batch.formats import BatchInputError
    from service.batch.local import TASKS, BatchJob, run_batch
    from service.batch.spark import SparkUnavailable, require_pyspark
    from service.redaction.modes import MODES

    chosen, kept = comma_separated(tasks), comma_separated(keep_columns)
    if not chosen or set(chosen) - set(TASKS):
        raise fail(f"--tasks takes {', '.join(TASKS)} (comma-separated)")
    if mode not in MODES:
        raise fail(f"--mode takes one of {', '.join(MODES)}")
    if engine not in ("local", "spark"):
        raise fail("--engine takes local or spark")
    local_input = Path(input_path)
    if "://" not in input_path and not (
        local_input.is_file() or (engine == "spark" and local_input.is_dir())
    ):
        raise fail(f"no such file: {input_path}")
    try:
        if engine == "spark":
            if resume:
                raise fail("--resume is for the local engine (Spark retries failed tasks itself)")
            require_pyspark()
            from service.batch.spark_job import SparkJob, run_spark_batch

            job = SparkJob(
                input_path,
                output,
                text_column,
                id_column,
                chosen,
                mode,
                chunk_size,
                partitions,
                master,
                keep_columns=kept,
            )
            summary = run_spark_batch(job, get_settings(), progress=progress)
        else:
            job = BatchJob(
                local_input,
                Path(output),
                text_column,
                id_column,
                chosen,
                jobs,
                chunk_size,
                mode,
                resume,
                keep_columns=kept,
            )
            summary = run_batch(job, get_settings(), progress=progress)
    except (BatchInputError, ModelLoadError, SparkUnavailable) as error:
        raise fail(str(error)) from None
    typer.echo(
        f"rows in {summary.rows_in}, out {summary.rows_out}, failed {summary.rows_failed}"
        + (f" (see {job.errors_path})" if summary.rows_failed else ""),
        err=True,
    )
    typer.echo(json.dumps(summary.to_dict()))


@app.command()
def report(
    batch_output: Annotated[
        Path, typer.Argument(metavar="BATCH_OUTPUT", help="A casework batch output: CSV, JSONL or Parquet.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Directory for the CSV files and report.html (created).")
    ],
    date_column: Annotated[
        str | None, typer.Option(help="Column with each complaint's date, for counts over time.")
    ] = None,
    period: Annotated[str, typer.Option(help="Period of the counts over time: month or year.")] = "month",
) -> None:
    """Count sectors and themes in a batch output into CSV files and an HTML page with charts."""
    from service.report.counts import PERIOD_FORMATS, UNKNOWN_DATE, count_all
    from service.report.labels import Labels, configured_taxonomy
    from service.report.read import ReportInputError, read_batch_output
    from service.report.write import write_report

    if period not in PERIOD_FORMATS:
        raise fail(f"--period takes one of {', '.join(PERIOD_FORMATS)}")
    try:
        frame = read_batch_output(batch_output, date_column)
    except ReportInputError as error:
        raise fail(str(error)) from None
    settings = get_settings()
    labels = Labels.of(configured_taxonomy(settings))
    if labels.taxonomy is None:
        typer.echo(
            f"note: no taxonomy in the model card in {settings.model_dir}; labels shown as ids", err=True
        )
    counts = count_all(frame, labels, date_column, period)
    if counts.summary.unknown_dates:
        typer.echo(
            f"note: {counts.summary.unknown_dates} rows have no date in '{date_column}' "
            f"and are counted as '{UNKNOWN_DATE}'",
            err=True,
        )
    for path in write_report(counts, output, batch_output.name, labels.taxonomy):
        typer.echo(str(path))


def main() -> None:
    """Entry point of the console script: add commands other packages declare, then run."""
    for entry in entry_points(group="casework.commands"):
        entry.load()(app)
    app()
