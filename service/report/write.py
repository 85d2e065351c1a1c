"""Write a report's tables as CSV files and its page as report.html into one directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from service.report.counts import Counts
from service.report.page import render_page

PAGE = "report.html"
DECIMALS = {"share": 4, "mean_sector_probability": 4}


def write_report(counts: Counts, directory: Path, source: str, taxonomy: str | None) -> list[Path]:
    """Write ``sectors.csv``, ``themes.csv``, ``themes_by_sector.csv`` (sectors by themes), the by-period
    tables when there are any, and ``report.html`` into ``directory`` (created, files replaced).

    Returns the paths written, report.html last.
    """
    directory.mkdir(parents=True, exist_ok=True)
    tables = {
        "sectors.csv": (counts.sectors, False),
        "themes.csv": (counts.themes, False),
        "themes_by_sector.csv": (counts.themes_by_sector, True),
        "sectors_by_period.csv": (counts.sectors_by_period, True),
        "themes_by_period.csv": (counts.themes_by_period, True),
    }
    written = []
    for name, (table, index) in tables.items():
        if table is not None:
            table.round(DECIMALS).to_csv(directory / name, index=index)
            written.append(directory / name)
    page = directory / PAGE
    page.write_text(render_page(counts, source, taxonomy, dt.date.today()), encoding="utf-8")
    return [*written, page]
