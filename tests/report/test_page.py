"""The report page: one self-contained HTML file with the summary, four charts and every table."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from service.report.counts import count_all
from service.report.labels import Labels
from service.report.page import render_page
from service.report.read import read_batch_output

from .conftest import html_tables


@pytest.fixture
def page(write_batch_output, taxonomy) -> str:
    """The page for the hand-made batch output, by month."""
    counts = count_all(
        read_batch_output(write_batch_output("out.parquet"), "received"), Labels.of(taxonomy), "received"
    )
    return render_page(counts, "out.parquet", "tiny version 3", dt.date(2025, 6, 1))


def test_the_page_needs_nothing_outside_itself(page):
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(http" not in page
    assert "data:image" not in page  # charts are vector, not embedded pictures


def test_it_has_a_title_headings_and_four_charts_each_with_a_title_and_description(page):
    assert "<title>Complaints report: out.parquet</title>" in page
    assert re.findall(r"<h2 [^>]*>([^<]+)</h2>", page) == [
        "Summary",
        "Sectors",
        "Themes",
        "Themes by sector",
        "Over time, by month",
    ]
    charts = re.findall(r"<svg[^>]*>", page)
    assert len(charts) == 4 and all('role="img"' in tag and "aria-labelledby" in tag for tag in charts)
    assert page.count("<title id=") == 4 and page.count("<desc id=") == 4
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every id on the page is unique"


def test_the_summary_gives_rows_review_dates_and_unknown_dates(page):
    summary = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert summary["Complaints"] == "8"
    assert summary["Need review"] == "2 (25.0%)"
    assert summary["Dates"] == "15 January 2024 to 1 February 2025"
    assert summary["Unknown date"] == "2 (missing or not a date)"
    assert summary["Labels"] == "tiny version 3"


def test_the_tables_hold_the_expected_counts(page):
    tables = html_tables(page)
    sectors = tables["Complaints by sector"]
    assert sectors[0] == [
        "sector",
        "description",
        "count",
        "share",
        "needs review",
        "mean sector probability",
    ]
    assert sectors[1:] == [
        ["benefits_pensions", "DWP", "3", "37.5%", "1", "0.767"],
        ["nhs_hospital", "hospital trusts", "3", "37.5%", "1", "0.733"],
        ["tax_revenue", "HMRC", "2", "25.0%", "0", "0.980"],
    ]
    themes = tables["Complaints by theme (share of all complaints)"]
    assert themes[1] == ["communication", "communication", "4", "50.0%"]
    by_sector = tables["Complaints by sector (rows) and theme (columns)"]
    communication = by_sector[0].index("communication")
    assert {row[0]: row[communication] for row in by_sector[1:]} == {
        "nhs_hospital": "3",
        "benefits_pensions": "0",
        "tax_revenue": "1",
    }
    by_month = {row[0]: row[1:] for row in tables["Complaints by month (rows) and sector (columns)"][1:]}
    assert by_month["2024-03"] == ["1", "2", "0"] and by_month["unknown date"] == ["0", "1", "1"]
    assert "Complaints by month (rows) and theme (columns)" in tables


def test_the_charts_show_the_counts(page):
    sectors_chart = page[page.index('<svg role="img" aria-labelledby="sectors-chart') :]
    sectors_chart = sectors_chart[: sectors_chart.index("</svg>")]
    assert "Bar chart, largest first: benefits_pensions 3, nhs_hospital 3, tax_revenue 2." in sectors_chart
    assert re.search(r"<text[^>]*>nhs_hospital</text>", sectors_chart)


def test_every_string_from_the_data_is_escaped(write_batch_output, taxonomy):
    records = [{"sector": "<script>alert(1)</script>", "themes": "a&b;<i>x</i>", "needs_review": True}]
    counts = count_all(read_batch_output(write_batch_output("evil.jsonl", records)), Labels.of(taxonomy))
    page = render_page(counts, "<evil>.jsonl", None, dt.date(2025, 6, 1))
    assert "<script" not in page and "<i>" not in page and "<evil>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a&amp;b" in page
    assert "Over time" not in page
