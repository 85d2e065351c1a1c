"""Scoring a fitted classifier on labelled data: what ``casework evaluate`` prints."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.classifier import ReviewThresholds
from models.taxonomy import Taxonomy
from training.data import LabelledData
from training.evaluate import evaluate
from training.fit import TrainingResult

NEVER = ReviewThresholds(sector=0.0, theme=0.0)
ALWAYS = ReviewThresholds(sector=1.01, theme=1.01)


def test_with_no_prediction_flagged_the_unflagged_are_right_as_often_as_all(
    trained: TrainingResult, tiny_data: LabelledData, taxonomy: Taxonomy
) -> None:
    metrics = evaluate(replace(trained.classifier, review=NEVER), tiny_data, taxonomy)

    assert metrics["needs_review_rate"] == 0.0
    assert metrics["unflagged_sector_accuracy"] == pytest.approx(metrics["sector_accuracy"])
    assert metrics["flagged_sector_accuracy"] is None
    assert metrics["flagged_best_theme_precision"] is None


def test_with_every_prediction_flagged_the_flagged_are_right_as_often_as_all(
    trained: TrainingResult, tiny_data: LabelledData, taxonomy: Taxonomy
) -> None:
    metrics = evaluate(replace(trained.classifier, review=ALWAYS), tiny_data, taxonomy)

    assert metrics["needs_review_rate"] == 1.0
    assert metrics["flagged_sector_accuracy"] == pytest.approx(metrics["sector_accuracy"])
    assert metrics["unflagged_sector_accuracy"] is None
    assert 0.0 < metrics["flagged_best_theme_precision"] <= 1.0
