"""The report as one self-contained HTML page: summary, charts (inline SVG) and tables, every string escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

import pandas as pd

from service.report.charts import TOP_THEMES, bar_chart, heatmap, line_chart
from service.report.counts import UNKNOWN_DATE, Counts, Summary

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #0b0c0c;
       margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid #1d70b8; padding-bottom: 0.2rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.3rem 1.5rem; }
dt { font-weight: 600; }
dd { margin: 0; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption, .note { color: #505a5f; font-size: 0.9rem; }
.scroll { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.85rem; }
caption { text-align: left; font-weight: 600; padding: 0.4rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
thead th { border-bottom: 2px solid #0b0c0c; }
"""


def render_page(counts: Counts, source: str, taxonomy: str | None, generated: dt.date) -> str:
    """The whole report page for ``counts`` of the file named ``source``, labelled with the ``taxonomy``
    name (None: no taxonomy was found), dated ``generated``; needs nothing beyond the file itself."""
    summary = counts.summary
    sections = [
        _summary(summary, taxonomy),
        _counts_section(
            "sectors",
            "Sectors",
            counts.sectors,
            "Complaints by sector",
            "complaints",
            "Complaints by sector, largest first.",
            "Complaints by sector",
        ),
        _counts_section(
            "themes",
            "Themes",
            counts.themes,
            "Complaints by theme",
            "complaints with the theme",
            "Complaints with each theme, largest first. A complaint can have several themes.",
            "Complaints by theme (share of all complaints)",
        ),
        _section(
            "themes-by-sector",
            "Themes by sector",
            _chart(
                counts.themes_by_sector,
                lambda: heatmap("heatmap-chart", counts.themes_by_sector, "Complaints by sector and theme"),
                "Complaints with each theme in each sector, darker for more.",
            ),
            _table(counts.themes_by_sector, "Complaints by sector (rows) and theme (columns)", index=True),
        ),
    ]
    if counts.sectors_by_period is not None and counts.themes_by_period is not None:
        unit = summary.period
        known = counts.themes_by_period.drop(index=UNKNOWN_DATE, errors="ignore")
        sections.append(
            _section(
                "over-time",
                f"Over time, by {unit}",
                _chart(
                    known,
                    lambda: line_chart(
                        "time-chart", known, f"Complaints by {unit} for the most common themes"
                    ),
                    f"Complaints per {unit} for the {TOP_THEMES} most common themes"
                    + (f"; rows with an {UNKNOWN_DATE} are left out." if summary.unknown_dates else "."),
                ),
                _table(
                    counts.themes_by_period, f"Complaints by {unit} (rows) and theme (columns)", index=True
                ),
                _table(
                    counts.sectors_by_period, f"Complaints by {unit} (rows) and sector (columns)", index=True
                ),
            )
        )
    title = f"Complaints report: {source}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="note">Counts of sectors and themes in a casework batch output, made on '
        f"{_day(generated)}.</p>\n" + "\n".join(sections) + "\n</main>\n</body>\n</html>\n"
    )


def _counts_section(
    key: str, heading: str, table: pd.DataFrame, title: str, axis: str, description: str, caption: str
) -> str:
    """A section with a bar chart of ``table``'s counts by its first column, and the table itself."""
    counts = table.set_index(table.columns[0])["count"]
    return _section(
        key,
        heading,
        _chart(table, lambda: bar_chart(f"{key}-chart", counts, title, axis), description),
        _table(table, caption),
    )


def _summary(summary: Summary, taxonomy: str | None) -> str:
    review_share = summary.needs_review / summary.rows
    items = [
        ("Complaints", f"{summary.rows:,}"),
        ("Need review", f"{summary.needs_review:,} ({review_share:.1%})"),
    ]
    if summary.date_column is not None:
        items += [
            ("Dates", f"{_day(summary.first_date)} to {_day(summary.last_date)}"),
            ("Date column", f"{summary.date_column}, counted by {summary.period}"),
            ("Unknown date", f"{summary.unknown_dates:,} (missing or not a date)"),
        ]
    items.append(("Labels", taxonomy or "ids only: no taxonomy found in the model card"))
    listing = "".join(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>" for term, value in items)
    return _section("summary", "Summary", f"<dl>{listing}</dl>")


def _section(anchor: str, heading: str, *parts: str) -> str:
    body = "\n".join(parts)
    return (
        f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{escape(heading)}</h2>\n{body}\n</section>'
    )


def _chart(table: pd.DataFrame, draw: Callable[[], str], caption: str) -> str:
    if table.empty:
        return '<p class="note">Nothing to chart.</p>'
    return f"<figure>\n{draw()}\n<figcaption>{escape(caption)}</figcaption>\n</figure>"


def _table(table: pd.DataFrame, caption: str, index: bool = False) -> str:
    frame = table.reset_index() if index else table
    head = "".join(f'<th scope="col">{escape(str(column).replace("_", " "))}</th>' for column in frame)
    rows = []
    for record in frame.itertuples(index=False):
        first, *rest = record
        cells = "".join(_cell(value, column) for value, column in zip(rest, frame.columns[1:], strict=True))
        rows.append(f'<tr><th scope="row">{escape(str(first))}</th>{cells}</tr>')
    return (
        f'<div class="scroll"><table>\n<caption>{escape(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table></div>"
    )


def _cell(value: object, column: object) -> str:
    if isinstance(value, str):
        return f"<td>{escape(value)}</td>"
    if pd.isna(value):
        return '<td class="number"></td>'
    if column == "share":
        text = f"{value:.1%}"
    elif isinstance(value, float):
        text = f"{value:.3f}"
    else:
        text = f"{value:,}"
    return f'<td class="number">{text}</td>'


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
