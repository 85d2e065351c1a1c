"""Read labelled complaints from JSONL, CSV or Parquet, reporting and skipping bad rows."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.taxonomy import Taxonomy

SUPPORTED_SUFFIXES = (".jsonl", ".csv", ".parquet")
THEME_SEPARATOR = ";"


class DataError(ValueError):
    """The data cannot be used at all (unreadable file, unsupported format, or a bad row under --strict)."""


@dataclass(frozen=True)
class Columns:
    """Which columns hold the id, the text, the sector and the themes."""

    text: str = "text"
    sector: str = "sector"
    themes: str = "themes"
    id: str = "id"


@dataclass(frozen=True)
class RowProblem:
    """A row that was skipped: its line number in the file (row number for Parquet) and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class LabelledData:
    """Usable rows, in file order, and the rows that were skipped."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    themes: list[list[str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def sha256(self) -> str:
        """A hash of the usable rows (ids, texts and labels), stable across formats and row problems."""
        digest = hashlib.sha256()
        for row in zip(self.ids, self.texts, self.sectors, self.themes, strict=True):
            digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()

    def subset(self, indices: list[int]) -> LabelledData:
        """The rows at ``indices``, without problems."""
        return LabelledData(
            ids=[self.ids[i] for i in indices],
            texts=[self.texts[i] for i in indices],
            sectors=[self.sectors[i] for i in indices],
            themes=[self.themes[i] for i in indices],
        )


def require_learnable_labels(data: LabelledData, minimum: int) -> None:
    """Raise DataError unless the rows hold two sectors or more and every sector and theme that labels any
    row labels at least ``minimum`` of them (the message names each one short, with its count).

    Labels of the taxonomy that label no row at all are allowed (the model never predicts them).
    """
    if len(set(data.sectors)) < 2:
        raise DataError("every row has the same sector: the sector classifier needs rows of two or more")
    counts = {
        "sector": Counter(data.sectors),
        "theme": Counter(theme for themes in data.themes for theme in themes),
    }
    short = [
        f"{kind} {label!r} ({count})"
        for kind, counted in counts.items()
        for label, count in sorted(counted.items())
        if count < minimum
    ]
    if short:
        raise DataError(
            f"too few rows to cross-validate: {', '.join(short)}; every sector and theme that labels any row "
            f"needs at least {minimum}. Add rows, merge the label into another, or leave its rows out"
        )


def iter_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """Yield (line number, row, problem) for each row of a JSONL, CSV or Parquet file.

    A row that cannot be parsed comes back as (line, None, reason). Raises DataError for an unreadable
    file or an unsupported extension.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataError(
            f"unsupported file type {suffix or '(none)'}: use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        if suffix == ".jsonl":
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as error:
                        yield number, None, f"invalid JSON ({error.msg})"
                        continue
                    if isinstance(row, dict):
                        yield number, row, None
                    else:
                        yield number, None, "not a JSON object"
        elif suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                for row in reader:
                    yield reader.line_num, dict(row), None
        else:
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            for number, row in enumerate(table.to_pylist(), 1):
                yield number, row, None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read {path}: {error.__class__.__name__}") from error
    except Exception as error:  # pyarrow raises its own error types for a corrupt file
        if error.__class__.__module__.startswith("pyarrow"):
            raise DataError(f"cannot read {path}: not a valid Parquet file") from error
        raise


def parse_themes(value: Any) -> list[str]:
    """Themes from a list, a JSON list in a string, or a ";"-separated string; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                return [stripped]
        else:
            return [part.strip() for part in stripped.split(THEME_SEPARATOR) if part.strip()]
    if not isinstance(value, list | tuple):
        raise ValueError("themes must be a list or a ';'-separated string")
    return [str(item).strip() for item in value if str(item).strip()]


def check_row(row: dict[str, Any], columns: Columns, taxonomy: Taxonomy) -> str | None:
    """Why a labelled row is unusable, or None when it is good."""
    for name in (columns.text, columns.sector, columns.themes):
        if name not in row or row[name] is None:
            return f"missing field '{name}'"
    text = row[columns.text]
    if not isinstance(text, str) or not text.strip():
        return "empty text"
    sector = str(row[columns.sector]).strip()
    if sector not in taxonomy.sector_ids:
        return f"unknown sector '{sector}'"
    try:
        themes = parse_themes(row[columns.themes])
    except ValueError as error:
        return str(error)
    if not themes:
        return "no themes"
    unknown = [theme for theme in themes if theme not in taxonomy.theme_ids]
    if unknown:
        return f"unknown theme '{unknown[0]}'"
    return None


def load_labelled(
    path: Path, taxonomy: Taxonomy, columns: Columns = Columns(), strict: bool = False
) -> LabelledData:
    """Read every usable labelled row of ``path``; bad rows go to ``problems`` (or raise DataError if strict).

    Ids default to the line number when the id column is absent. Duplicate themes in a row are dropped.
    """
    data = LabelledData()
    for line, row, problem in iter_rows(Path(path)):
        if row is not None:
            problem = check_row(row, columns, taxonomy)
        if problem is not None:
            if strict:
                raise DataError(f"{path}, line {line}: {problem}")
            data.problems.append(RowProblem(line, problem))
            continue
        assert row is not None
        row_id = row.get(columns.id)
        data.ids.append(str(line if row_id is None or str(row_id) == "" else row_id))
        data.texts.append(row[columns.text])
        data.sectors.append(str(row[columns.sector]).strip())
        data.themes.append(list(dict.fromkeys(parse_themes(row[columns.themes]))))
    return data
