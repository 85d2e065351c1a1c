"""How far probabilities can be read as confidence, and what the review flag separates: the figures the
model card and report give, out of fold."""

from __future__ import annotations

import numpy as np
import pytest

from models.classifier import ReviewThresholds
from training.metrics import calibration_metrics, reliability_table, review_outcome


def test_honest_probabilities_have_no_calibration_error() -> None:
    # Ten predictions at 0.3 of which three happened, ten at 0.8 of which eight did.
    probabilities = np.array([0.3] * 10 + [0.8] * 10)
    outcomes = np.array([1] * 3 + [0] * 7 + [1] * 8 + [0] * 2)

    metrics = calibration_metrics(probabilities, outcomes)

    assert metrics["ece"] == 0.0
    assert metrics["brier"] == pytest.approx((3 * 0.49 + 7 * 0.09 + 8 * 0.04 + 2 * 0.64) / 20, abs=1e-4)


def test_overconfident_probabilities_have_the_gap_as_their_calibration_error() -> None:
    probabilities = np.full(10, 0.9)
    outcomes = np.array([1, 0] * 5)

    assert calibration_metrics(probabilities, outcomes)["ece"] == pytest.approx(0.4)


def test_the_calibration_error_weights_each_tenth_by_its_predictions() -> None:
    # Thirty honest predictions at 0.5, ten at 0.95 that never happened: a gap of 0.95 on a quarter of them.
    probabilities = np.array([0.5] * 30 + [0.95] * 10)
    outcomes = np.array([1] * 15 + [0] * 15 + [0] * 10)

    assert calibration_metrics(probabilities, outcomes)["ece"] == pytest.approx(0.95 / 4, abs=1e-4)


def test_the_reliability_table_has_a_row_per_tenth_that_holds_predictions() -> None:
    probabilities = np.array([0.05, 0.15, 0.12, 0.97, 1.0])
    outcomes = np.array([0, 0, 1, 1, 1])

    table = reliability_table(probabilities, outcomes)

    assert table == [
        {"probability": "0.0 to 0.1", "n": 1, "mean_probability": 0.05, "observed": 0.0},
        {"probability": "0.1 to 0.2", "n": 2, "mean_probability": 0.135, "observed": 0.5},
        {"probability": "0.9 to 1.0", "n": 2, "mean_probability": 0.985, "observed": 1.0},
    ]


def test_review_flags_fall_on_a_low_sector_or_a_low_best_theme() -> None:
    review = ReviewThresholds(sector=0.6, theme=0.7)
    sector = np.array([[0.9, 0.1], [0.55, 0.45], [0.9, 0.1], [0.6, 0.4]])
    themes = np.array([[0.8, 0.1], [0.8, 0.1], [0.3, 0.65], [0.1, 0.7]])

    assert review.flags(sector, themes).tolist() == [False, True, True, False]


def test_review_outcome_gives_the_flagged_share_and_accuracy_on_each_side_of_the_flag() -> None:
    flagged = np.array([False, False, False, True])
    sector_correct = np.array([True, True, False, False])
    theme_correct = np.array([True, True, True, True])

    assert review_outcome(flagged, sector_correct, theme_correct) == {
        "flagged_share": 0.25,
        "unflagged_sector_accuracy": 0.6667,
        "flagged_sector_accuracy": 0.0,
        "unflagged_best_theme_precision": 1.0,
        "flagged_best_theme_precision": 1.0,
    }


def test_review_outcome_leaves_an_empty_side_of_the_flag_unscored() -> None:
    nothing_flagged = np.zeros(3, dtype=bool)
    right = np.ones(3, dtype=bool)

    outcome = review_outcome(nothing_flagged, right, right)

    assert outcome["flagged_share"] == 0.0
    assert outcome["flagged_sector_accuracy"] is None
    assert outcome["unflagged_sector_accuracy"] == 1.0
