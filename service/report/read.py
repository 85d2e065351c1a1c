"""Read a ``casework batch`` output (CSV, JSONL or Parquet, by extension) into typed columns for counting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from service.batch.formats import BatchInputError, file_format

REQUIRED = ("sector", "themes", "needs_review")
OPTIONAL = ("sector_probability",)
DATE = "date"
NO_SECTOR = "(none)"
TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})
JSONL_CHUNK_ROWS = 65_536
# A trailing UTC offset is dropped so that dates keep their local day and mixed offsets do not clash.
UTC_OFFSET = r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}:?\d{2})$"


class ReportInputError(ValueError):
    """The file cannot be reported on; the message says why in one line."""


def read_batch_output(path: Path, date_column: str | None = None) -> pd.DataFrame:
    """The rows of a batch output as typed columns, reading only the columns a report needs.

    Columns: ``sector`` (str), ``themes`` (list of ids), ``needs_review`` (bool), ``sector_probability``
    (float, when the file has it) and, when ``date_column`` is given, ``date`` (datetime, NaT where the
    value is missing or not a date). Raises ReportInputError for a missing or unreadable file, an unknown
    format, a missing column, no rows, a needs_review value that is not true/false, or a date column in
    which no value is a date.
    """
    if not path.is_file():
        raise ReportInputError(f"no such file: {path}")
    try:
        kind = file_format(path)
    except BatchInputError as error:
        raise ReportInputError(str(error)) from None
    wanted = list(dict.fromkeys([*REQUIRED, *OPTIONAL, *([date_column] if date_column else [])]))
    try:
        raw, names = READERS[kind](path, wanted)
    except (OSError, UnicodeDecodeError, ValueError) as error:  # pandas and pyarrow parse errors included
        raise ReportInputError(f"cannot read {path.name} as {kind}: {error.__class__.__name__}") from None
    missing = [column for column in (*REQUIRED, date_column) if column and column not in names]
    if missing:
        raise ReportInputError(
            f"{path.name} has no column {', '.join(repr(c) for c in missing)} "
            f"(columns: {', '.join(map(str, names))})"
        )
    if raw.empty:
        raise ReportInputError(f"{path.name} has no rows to report on")
    frame = pd.DataFrame(
        {
            "sector": raw["sector"].fillna("").astype(str).str.strip().replace("", NO_SECTOR),
            "themes": split_themes(raw["themes"]),
            "needs_review": review_flags(raw["needs_review"], path.name),
        }
    )
    if "sector_probability" in raw:
        frame["sector_probability"] = pd.to_numeric(raw["sector_probability"], errors="coerce")
    if date_column:
        frame[DATE] = parse_dates(raw[date_column])
        if frame[DATE].isna().all():
            raise ReportInputError(f"no value in column '{date_column}' of {path.name} is a date")
    return frame


def split_themes(values: pd.Series) -> pd.Series:
    """Each row's themes as a list of distinct ids, from a ``;``-separated string; [] for a missing value."""
    return pd.Series(
        [
            list(dict.fromkeys(t.strip() for t in value.split(";") if t.strip()))
            if isinstance(value, str)
            else []
            for value in values
        ],
        index=values.index,
        dtype=object,
    )


def review_flags(values: pd.Series, source: str) -> pd.Series:
    """``needs_review`` as booleans from booleans or true/false, 1/0, yes/no text in any case.

    ReportInputError names the first other value and how many rows hold something else.
    """
    text = values.astype("string").str.strip().str.lower()
    unknown = ~text.isin(TRUE | FALSE)
    if unknown.any():
        raise ReportInputError(
            f"column 'needs_review' of {source} holds {values[unknown].iloc[0]!r} "
            f"({int(unknown.sum())} rows); expected true or false"
        )
    return text.isin(TRUE).astype(bool)


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates from ISO 8601 text (any time or UTC offset ignored for the day) or, failing that, day-first
    text such as 14/03/2024 or 3 March 2024; NaT where a value is missing or not a date."""
    text = values.astype("string").str.strip().str.replace(UTC_OFFSET, r"\1", regex=True)
    dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
    rest = dates.isna() & text.notna()
    if rest.any():
        dates[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed", dayfirst=True)
    return dates


def _csv(path: Path, wanted: list[str]) -> tuple[pd.DataFrame, list[str]]:
    names = list(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns)
    frame = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        usecols=[column for column in wanted if column in names],
    )
    return frame, names


def _jsonl(path: Path, wanted: list[str]) -> tuple[pd.DataFrame, list[str]]:
    names: dict[str, None] = {}
    parts = []
    with pd.read_json(path, lines=True, dtype=False, chunksize=JSONL_CHUNK_ROWS) as chunks:
        for chunk in chunks:
            names.update(dict.fromkeys(chunk.columns))
            parts.append(chunk[[column for column in wanted if column in chunk.columns]])
    return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()), list(names)


def _parquet(path: Path, wanted: list[str]) -> tuple[pd.DataFrame, list[str]]:
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    table = pq.read_table(path, columns=[column for column in wanted if column in names])
    return table.to_pandas(), names


READERS: dict[str, Callable[[Path, list[str]], tuple[pd.DataFrame, list[str]]]] = {
    "csv": _csv,
    "jsonl": _jsonl,
    "parquet": _parquet,
}
