"""What a report counts: sectors, themes, themes by sector and, given a date column, both by period."""

from __future__ import annotations

import pandas as pd
import pytest

from service.report.counts import UNKNOWN_DATE, count_all
from service.report.labels import NOT_IN_TAXONOMY, Labels
from service.report.read import read_batch_output


@pytest.fixture(params=["out.csv", "out.parquet", "out.jsonl"])
def counts(request, write_batch_output, taxonomy):
    """The counts of the hand-made batch output read from each format, by month."""
    frame = read_batch_output(write_batch_output(request.param), "received")
    return count_all(frame, Labels.of(taxonomy), "received", "month")


def test_sectors_are_counted_with_share_and_needs_review_most_first(counts):
    assert counts.sectors[["sector", "count", "needs_review"]].values.tolist() == [
        ["benefits_pensions", 3, 1],
        ["nhs_hospital", 3, 1],
        ["tax_revenue", 2, 0],
    ]
    assert counts.sectors["share"].tolist() == [0.375, 0.375, 0.25]
    assert counts.sectors["mean_sector_probability"].round(4).tolist() == [0.7667, 0.7333, 0.98]


def test_themes_are_counted_once_per_complaint_as_a_share_of_complaints(counts):
    assert dict(zip(counts.themes["theme"], counts.themes["count"], strict=True)) == {
        "communication": 4,
        "administrative_delay": 2,
        "benefit_entitlement": 2,
        "tax_and_credits": 2,
        "cancer_care": 1,
        "delayed_diagnosis": 1,
    }
    assert counts.themes["share"].iloc[0] == 0.5


def test_themes_by_sector_follow_the_taxonomy_order_with_zeros_where_none(counts):
    matrix = counts.themes_by_sector
    assert matrix.index.tolist() == ["nhs_hospital", "benefits_pensions", "tax_revenue"]
    assert matrix.columns.tolist()[:2] == ["cancer_care", "delayed_diagnosis"]
    assert matrix.loc["nhs_hospital", "communication"] == 3
    assert matrix.loc["tax_revenue", "communication"] == 1
    assert matrix.loc["benefits_pensions", "administrative_delay"] == 2
    assert matrix.loc["tax_revenue", "cancer_care"] == 0
    assert int(matrix.to_numpy().sum()) == 12  # one per theme of each complaint


def test_the_summary_gives_rows_review_and_the_date_range(counts):
    summary = counts.summary
    assert (summary.rows, summary.needs_review, summary.unknown_dates) == (8, 2, 2)
    assert (summary.first_date, summary.last_date) == (pd.Timestamp("2024-01-15"), pd.Timestamp("2025-02-01"))


def test_by_month_every_month_from_first_to_last_appears_then_unknown_date(counts):
    by_month = counts.sectors_by_period
    assert by_month.index.name == "month"
    assert by_month.index.tolist() == [
        *(f"2024-{month:02d}" for month in range(1, 13)),
        "2025-01",
        "2025-02",
        UNKNOWN_DATE,
    ]
    assert by_month.loc["2024-01"].to_dict() == {"nhs_hospital": 2, "benefits_pensions": 0, "tax_revenue": 0}
    assert by_month.loc["2024-02"].sum() == 0
    assert by_month.loc["2024-03"].to_dict() == {"nhs_hospital": 1, "benefits_pensions": 2, "tax_revenue": 0}
    assert by_month.loc[UNKNOWN_DATE].to_dict() == {
        "nhs_hospital": 0,
        "benefits_pensions": 1,
        "tax_revenue": 1,
    }
    themes = counts.themes_by_period
    assert themes.loc["2024-01", "communication"] == 2 and themes.loc["2024-01", "cancer_care"] == 1
    assert themes.loc[UNKNOWN_DATE, "communication"] == 1


def test_by_year(write_batch_output, taxonomy):
    frame = read_batch_output(write_batch_output("out.csv"), "received")
    counts = count_all(frame, Labels.of(taxonomy), "received", "year")
    assert counts.sectors_by_period.index.tolist() == ["2024", "2025", UNKNOWN_DATE]
    assert counts.sectors_by_period.sum(axis=1).tolist() == [5, 1, 2]
    assert counts.themes_by_period.loc["2024", "communication"] == 3


def test_without_a_date_column_there_are_no_tables_by_period(write_batch_output, taxonomy):
    counts = count_all(read_batch_output(write_batch_output("out.csv")), Labels.of(taxonomy))
    assert counts.sectors_by_period is None and counts.themes_by_period is None
    assert counts.summary.date_column is None and counts.summary.unknown_dates == 0


def test_labels_are_described_from_the_taxonomy_and_unknown_ones_come_last(write_batch_output, taxonomy):
    records = [
        {"sector": "nhs_hospital", "themes": "zebra_theme;communication", "needs_review": False},
        {"sector": "parish_council", "themes": "communication", "needs_review": False},
    ]
    counts = count_all(read_batch_output(write_batch_output("odd.jsonl", records)), Labels.of(taxonomy))
    descriptions = dict(zip(counts.sectors["sector"], counts.sectors["description"], strict=True))
    assert descriptions == {"nhs_hospital": "hospital trusts", "parish_council": NOT_IN_TAXONOMY}
    assert counts.themes_by_sector.index.tolist() == ["nhs_hospital", "parish_council"]
    assert counts.themes_by_sector.columns.tolist() == ["communication", "zebra_theme"]


def test_without_a_taxonomy_labels_are_plain_ids_in_alphabetical_order(write_batch_output):
    counts = count_all(read_batch_output(write_batch_output("out.csv")), Labels.of(None))
    assert set(counts.sectors["description"]) == {""}
    assert counts.themes_by_sector.index.tolist() == ["benefits_pensions", "nhs_hospital", "tax_revenue"]
