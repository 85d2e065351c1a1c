"""Reading a batch output: the same typed rows from every format, dates read the ISO or the UK way."""

from __future__ import annotations

import pandas as pd
import pytest

from service.report.read import ReportInputError, parse_dates, read_batch_output


@pytest.mark.parametrize("name", ["out.csv", "out.parquet", "out.jsonl"])
def test_every_format_gives_the_same_typed_rows(write_batch_output, name):
    frame = read_batch_output(write_batch_output(name), "received")
    assert frame.columns.tolist() == ["sector", "themes", "needs_review", "sector_probability", "date"]
    assert frame["themes"].iloc[0] == ["communication", "cancer_care"]
    assert frame["needs_review"].tolist() == [False, True, False, False, True, False, False, False]
    assert frame["sector_probability"].iloc[4] == 0.45


def test_dates_are_iso_first_then_day_first_and_otherwise_missing():
    dates = parse_dates(
        pd.Series(["2024-03-04", "04/03/2024", "2024-03-31T23:30:00+01:00", "3 March 2024", "soon", None])
    )
    assert dates.tolist()[:4] == [
        pd.Timestamp(day) for day in ("2024-03-04", "2024-03-04", "2024-03-31 23:30", "2024-03-03")
    ]
    assert dates.iloc[4:].isna().all()


def test_repeated_and_blank_themes_are_dropped(write_batch_output):
    records = [{"sector": "tax_revenue", "themes": "communication; communication;;", "needs_review": "no"}]
    frame = read_batch_output(write_batch_output("out.csv", records))
    assert frame["themes"].iloc[0] == ["communication"] and not frame["needs_review"].iloc[0]


def test_a_needs_review_value_that_is_not_true_or_false_is_refused(write_batch_output):
    records = [{"sector": "tax_revenue", "themes": "communication", "needs_review": "maybe"}]
    with pytest.raises(ReportInputError, match="holds 'maybe' \\(1 rows\\); expected true or false"):
        read_batch_output(write_batch_output("out.csv", records))
