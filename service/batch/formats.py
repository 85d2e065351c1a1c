"""Read input files in chunks and write output parts, for CSV, JSONL and Parquet (format by extension)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


class BatchInputError(ValueError):
    """The input as a whole cannot be used (unknown format, unreadable, missing text column)."""


def file_format(path: Path) -> str:
    """ "csv", "jsonl" or "parquet" from the extension; BatchInputError otherwise."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise BatchInputError(f"{path.name}: use a .csv, .jsonl or .parquet file") from None


@dataclass
class Row:
    """One input row: its 1-based position, its id (or None), its text (or None), or why it could not be read."""

    number: int
    id: Any = None
    text: Any = None
    problem: str | None = None


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


def read_chunks(path: Path, text_column: str, id_column: str | None, size: int) -> Iterator[Chunk]:
    """Rows of ``path`` in chunks of ``size``; a row that cannot be parsed carries its problem."""
    kind = file_format(path)
    reader = {"csv": _csv_rows, "jsonl": _jsonl_rows, "parquet": _parquet_rows}[kind]
    chunk = Chunk(0)
    try:
        for row in reader(path, text_column, id_column):
            chunk.rows.append(row)
            if len(chunk.rows) == size:
                yield chunk
                chunk = Chunk(chunk.index + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise BatchInputError(f"cannot read {path.name}: {error.__class__.__name__}") from None
    if chunk.rows:
        yield chunk


def _csv_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        _require_column(reader.fieldnames or [], text_column, id_column, path)
        for number, record in enumerate(reader, 1):
            if None in record or any(value is None for value in record.values()):
                yield Row(number, record.get(id_column) if id_column else None, None, "malformed CSV row")
                continue
            yield Row(number, record.get(id_column) if id_column else None, record[text_column])


def _jsonl_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[Row]:
    checked_first = False  # the first object names the fields; a column missing there is a usage error
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            row, record = jsonl_row(number, line, text_column, id_column)
            if record is not None and checked_first is False:
                _require_column(list(record), text_column, id_column, path)
                checked_first = True
            yield row


def jsonl_row(
    number: int, line: str, text_column: str, id_column: str | None
) -> tuple[Row, dict[str, Any] | None]:
    """Row ``number`` parsed from one JSONL line (with its problem if any), and the object if it is one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return Row(number, problem="invalid JSON"), None
    if not isinstance(record, dict):
        return Row(number, problem="not a JSON object"), None
    row = Row(
        number,
        record.get(id_column) if id_column else None,
        record.get(text_column),
        None if text_column in record else f"no '{text_column}' field",
    )
    return row, record


def _parquet_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[Row]:
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises its own error types for a corrupt file
        raise BatchInputError(f"{path.name} is not a readable Parquet file") from error
    _require_column(source.schema_arrow.names, text_column, id_column, path)
    columns = [text_column] + ([id_column] if id_column else [])
    number = 0
    for batch in source.iter_batches(batch_size=4096, columns=columns):
        texts = batch.column(text_column).to_pylist()
        ids = batch.column(id_column).to_pylist() if id_column else [None] * len(texts)
        for text, row_id in zip(texts, ids, strict=True):
            number += 1
            yield Row(number, row_id, text)


def _require_column(names: list[str], text_column: str, id_column: str | None, path: Path) -> None:
    for column in (text_column, id_column):
        if column and column not in names:
            raise BatchInputError(
                f"{path.name} has no column '{column}' (columns: {', '.join(map(str, names))})"
            )


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
            writer.writerows(records)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = (
            pa.Table.from_pylist(records)
            if records
            else pa.table({c: pa.array([], pa.string()) for c in columns})
        )
        pq.write_table(table, path)


def join_parts(parts: list[Path], target: Path) -> None:
    """Concatenate output parts into ``target`` without holding more than one part in memory."""
    kind = file_format(target)
    if kind == "parquet":
        import pyarrow.parquet as pq

        writer = None
        for part in parts:
            table = pq.read_table(part)
            if table.num_rows == 0:
                continue
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table.cast(writer.schema))
        if writer is None and parts:
            pq.write_table(pq.read_table(parts[0]), target)
        if writer is not None:
            writer.close()
        return
    with target.open("wb") as out:
        for position, part in enumerate(parts):
            with part.open("rb") as handle:
                if kind == "csv" and position:
                    handle.readline()  # each part repeats the header
                while block := handle.read(1 << 20):
                    out.write(block)
