"""Read input files in chunks and write output parts, for CSV, JSONL and Parquet (format by extension)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
MIXED_TYPES = "a carried column has values of different types; write CSV or JSONL instead of Parquet"


class BatchInputError(ValueError):
    """The input as a whole cannot be used (unknown format, unreadable, missing text column)."""


def file_format(path: Path) -> str:
    """ "csv", "jsonl" or "parquet" from the extension; BatchInputError otherwise."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise BatchInputError(f"{path.name}: use a .csv, .jsonl or .parquet file") from None


@dataclass(frozen=True)
class InputColumns:
    """Which input columns a job reads: the text, the id (reported with bad rows) and others to carry over.

    The id column and the ``kept`` columns are copied into the output unchanged, under their own names.
    """

    text: str = "text"
    id: str | None = None
    kept: tuple[str, ...] = ()

    @property
    def carried(self) -> tuple[str, ...]:
        """The columns copied into the output, in order: the id column first, then the kept ones."""
        return tuple(dict.fromkeys([*([self.id] if self.id else []), *self.kept]))

    def require(self, names: list[str], source: str) -> None:
        """BatchInputError naming the first of these columns that ``names`` (the input's columns) lacks."""
        for column in (self.text, *self.carried):
            if column not in names:
                raise BatchInputError(
                    f"{source} has no column '{column}' (columns: {', '.join(map(str, names))})"
                )


@dataclass
class Row:
    """One input row: its 1-based position, its id (or None), its text (or None), or why it could not be
    read, and the values of the columns it carries into the output (the id column's included)."""

    number: int
    id: Any = None
    text: Any = None
    problem: str | None = None
    carried: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chunk:
    """Consecutive rows; ``index`` counts chunks from 0."""

    index: int
    rows: list[Row] = field(default_factory=list)


def count_rows(path: Path) -> int | None:
    """The number of data rows, exactly for Parquet and JSONL, by lines for CSV (quoted newlines aside)."""
    kind = file_format(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0) if kind == "csv" else lines


def read_chunks(path: Path, columns: InputColumns, size: int) -> Iterator[Chunk]:
    """Rows of ``path`` in chunks of ``size``; a row that cannot be parsed carries its problem."""
    kind = file_format(path)
    reader = {"csv": _csv_rows, "jsonl": _jsonl_rows, "parquet": _parquet_rows}[kind]
    chunk = Chunk(0)
    try:
        for row in reader(path, columns):
            chunk.rows.append(row)
            if len(chunk.rows) == size:
                yield chunk
                chunk = Chunk(chunk.index + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise BatchInputError(f"cannot read {path.name}: {error.__class__.__name__}") from None
    if chunk.rows:
        yield chunk


def _csv_rows(path: Path, columns: InputColumns) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns.require(reader.fieldnames or [], path.name)
        for number, record in enumerate(reader, 1):
            if None in record or any(value is None for value in record.values()):
                yield _row(number, record, columns, problem="malformed CSV row")
            else:
                yield _row(number, record, columns)


def _row(number: int, record: dict[str, Any], columns: InputColumns, problem: str | None = None) -> Row:
    """Row ``number`` from a parsed record (its text left out when there is a problem)."""
    return Row(
        number,
        record.get(columns.id) if columns.id else None,
        None if problem else record.get(columns.text),
        problem,
        {column: record.get(column) for column in columns.carried},
    )


def _jsonl_rows(path: Path, columns: InputColumns) -> Iterator[Row]:
    checked_first = False  # the first object names the fields; a column missing there is a usage error
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            row, record = jsonl_row(number, line, columns)
            if record is not None and checked_first is False:
                columns.require(list(record), path.name)
                checked_first = True
            yield row


def jsonl_row(number: int, line: str, columns: InputColumns) -> tuple[Row, dict[str, Any] | None]:
    """Row ``number`` parsed from one JSONL line (with its problem if any), and the object if it is one.
    A carried column missing from the object is carried as null."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return Row(number, problem="invalid JSON"), None
    if not isinstance(record, dict):
        return Row(number, problem="not a JSON object"), None
    problem = None if columns.text in record else f"no '{columns.text}' field"
    return _row(number, record, columns, problem), record


def _parquet_rows(path: Path, columns: InputColumns) -> Iterator[Row]:
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises its own error types for a corrupt file
        raise BatchInputError(f"{path.name} is not a readable Parquet file") from error
    columns.require(source.schema_arrow.names, path.name)
    number = 0
    for batch in source.iter_batches(batch_size=4096, columns=[columns.text, *columns.carried]):
        for record in batch.to_pylist():
            number += 1
            yield _row(number, record, columns)


def write_part(records: list[dict[str, Any]], columns: list[str], path: Path) -> None:
    """Write one output part in the format of ``path`` (CSV with a header, JSONL, or Parquet)."""
    kind = file_format(path)
    if kind == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    elif kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows({key: _csv_value(value) for key, value in record.items()} for record in records)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = (
                pa.Table.from_pylist(records)
                if records
                else pa.table({c: pa.array([], pa.string()) for c in columns})
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise BatchInputError(MIXED_TYPES) from None
        pq.write_table(table, path)


def _csv_value(value: Any) -> Any:
    """A value as a CSV cell: lists and objects (from JSONL input) as their JSON text."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _filled_part_schema(part: Path) -> Any:
    """The Arrow schema of a Parquet part that has rows; None for an empty one (its columns are untyped)."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(part) as file:
        return file.schema_arrow if file.metadata.num_rows else None


def join_parts(parts: list[Path], target: Path) -> None:
    """Concatenate output parts into ``target`` without holding more than one part in memory.

    Parquet parts are written with one schema that fits them all: a column that is null throughout one
    part takes its type from the others.
    """
    kind = file_format(target)
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not parts:
            return
        schemas = [schema for schema in map(_filled_part_schema, parts) if schema is not None]
        try:
            schema = pa.unify_schemas(schemas or [pq.read_schema(parts[0])], promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise BatchInputError(MIXED_TYPES) from None
        with pq.ParquetWriter(target, schema) as writer:
            for part in parts:
                table = pq.read_table(part)
                if table.num_rows:
                    writer.write_table(table.select(schema.names).cast(schema))
        return
    with target.open("wb") as out:
        for position, part in enumerate(parts):
            with part.open("rb") as handle:
                if kind == "csv" and position:
                    handle.readline()  # each part repeats the header
                while block := handle.read(1 << 20):
                    out.write(block)
