"""Counts of sectors and themes, overall, by sector and by period: pure functions on the typed rows."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from service.report.labels import Labels
from service.report.read import DATE

PERIOD_FORMATS = {"month": ("M", "%Y-%m"), "year": ("Y", "%Y")}
UNKNOWN_DATE = "unknown date"


@dataclass(frozen=True)
class Summary:
    """The run as a whole: rows, how many need review, and the dates when a date column was given."""

    rows: int
    needs_review: int
    date_column: str | None = None
    period: str | None = None
    first_date: pd.Timestamp | None = None
    last_date: pd.Timestamp | None = None
    unknown_dates: int = 0


@dataclass(frozen=True)
class Counts:
    """Every table of a report; the by-period tables only when a date column was given."""

    summary: Summary
    sectors: pd.DataFrame
    themes: pd.DataFrame
    themes_by_sector: pd.DataFrame
    sectors_by_period: pd.DataFrame | None = None
    themes_by_period: pd.DataFrame | None = None


def sector_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per sector, most complaints first (ties by id): ``count``, ``share`` of all rows,
    ``needs_review`` (how many of them) and, when the rows have it, ``mean_sector_probability``."""
    grouped = frame.groupby("sector")
    table = pd.DataFrame({"count": grouped.size()})
    table["share"] = table["count"] / len(frame)
    table["needs_review"] = grouped["needs_review"].sum().astype(int)
    if "sector_probability" in frame:
        table["mean_sector_probability"] = grouped["sector_probability"].mean()
    return _most_first(table.rename_axis("sector").reset_index(), "sector")


def theme_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per theme, most complaints first (ties by id): ``count`` of complaints with the theme and
    their ``share`` of all rows (a complaint can have several themes, so shares add up to more than 1)."""
    counts = frame["themes"].explode().dropna().value_counts()
    table = pd.DataFrame({"theme": counts.index.astype(str), "count": counts.to_numpy(dtype=int)})
    table["share"] = table["count"] / len(frame)
    return _most_first(table, "theme")


def themes_by_sector(frame: pd.DataFrame, sectors: list[str], themes: list[str]) -> pd.DataFrame:
    """Complaints with each theme (columns, in ``themes`` order) in each sector (index, in ``sectors``
    order); 0 where none."""
    pairs = frame[["sector", "themes"]].explode("themes").dropna(subset=["themes"])
    return _table(pairs["sector"], pairs["themes"], sectors, themes, "sector")


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """Each date as its period, "2024-03" (month) or "2024" (year), in a Series named ``period``;
    UNKNOWN_DATE where there is no date."""
    return dates.dt.strftime(PERIOD_FORMATS[period][1]).fillna(UNKNOWN_DATE).rename(period)


def period_order(dates: pd.Series, period: str) -> list[str]:
    """Every period from the first date to the last, gaps included, then UNKNOWN_DATE if a date is missing."""
    frequency, pattern = PERIOD_FORMATS[period]
    known = dates.dropna()
    span = pd.period_range(known.min(), known.max(), freq=frequency).strftime(pattern).tolist()
    return span + ([UNKNOWN_DATE] if dates.isna().any() else [])


def sectors_by_period(
    frame: pd.DataFrame, periods: pd.Series, order: list[str], sectors: list[str]
) -> pd.DataFrame:
    """Complaints per period (index named as ``periods``, in ``order``) and sector (columns, in ``sectors``
    order)."""
    return _table(periods, frame["sector"], order, sectors, str(periods.name))


def themes_by_period(
    frame: pd.DataFrame, periods: pd.Series, order: list[str], themes: list[str]
) -> pd.DataFrame:
    """Complaints per period (index named as ``periods``, in ``order``) with each theme (columns, in
    ``themes`` order)."""
    pairs = pd.DataFrame({"period": periods, "theme": frame["themes"]}).explode("theme").dropna()
    return _table(pairs["period"], pairs["theme"], order, themes, str(periods.name))


def count_all(
    frame: pd.DataFrame, labels: Labels, date_column: str | None = None, period: str = "month"
) -> Counts:
    """Every table of the report on ``frame`` (as read_batch_output returns it), labels in taxonomy order
    and described; by period too when ``date_column`` names the column its ``date`` came from."""
    sectors = sector_counts(frame)
    sectors.insert(1, "description", sectors["sector"].map(labels.sectors.describe))
    themes = theme_counts(frame)
    themes.insert(1, "description", themes["theme"].map(labels.themes.describe))
    sector_order = labels.sectors.order(sectors["sector"])
    theme_order = labels.themes.order(themes["theme"])
    matrix = themes_by_sector(frame, sector_order, theme_order)
    summary = Summary(rows=len(frame), needs_review=int(frame["needs_review"].sum()))
    if date_column is None:
        return Counts(summary, sectors, themes, matrix)
    dates = frame[DATE]
    periods, order = period_labels(dates, period), period_order(dates, period)
    summary = replace(
        summary,
        date_column=date_column,
        period=period,
        first_date=dates.min(),
        last_date=dates.max(),
        unknown_dates=int(dates.isna().sum()),
    )
    return Counts(
        summary,
        sectors,
        themes,
        matrix,
        sectors_by_period(frame, periods, order, sector_order),
        themes_by_period(frame, periods, order, theme_order),
    )


def _most_first(table: pd.DataFrame, label: str) -> pd.DataFrame:
    return table.sort_values(["count", label], ascending=[False, True], ignore_index=True)


def _table(
    rows: pd.Series, columns: pd.Series, row_order: list[str], column_order: list[str], name: str
) -> pd.DataFrame:
    counts = pd.crosstab(rows, columns) if len(rows) else pd.DataFrame()
    return (
        counts.reindex(index=row_order, columns=column_order, fill_value=0)
        .astype(int)
        .rename_axis(index=name, columns=None)
    )
