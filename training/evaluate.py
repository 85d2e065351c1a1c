"""Score a fitted classifier on labelled data."""

from __future__ import annotations

from typing import Any

import numpy as np

from models.classifier import ComplaintClassifier
from models.taxonomy import Taxonomy
from training.data import LabelledData
from training.fit import encode
from training.metrics import (
    best_theme_correct,
    headline_metrics,
    per_label_table,
    review_outcome,
    sector_and_theme_calibration,
)


class LabelMismatchError(ValueError):
    """The data uses labels the model was not trained on."""


def evaluate(classifier: ComplaintClassifier, data: LabelledData, taxonomy: Taxonomy) -> dict[str, Any]:
    """Headline metrics of ``classifier`` on ``data``; the review-flag rate, and how often the sector and the
    best theme were right among the flagged predictions and among the others; the calibration errors of the
    best sector's and every theme's probability; per-theme precision, recall and F1."""
    if not len(data):
        raise LabelMismatchError("no usable rows to evaluate")
    if taxonomy.theme_ids != classifier.theme_labels:
        raise LabelMismatchError("the data's taxonomy has different themes from the model's")
    sectors, themes = encode(data, taxonomy)
    sector_proba, theme_proba = classifier.probabilities(data.texts)
    sector_index, theme_pred, needs_review = classifier.decide(sector_proba, theme_proba)
    sector_pred = np.asarray(classifier.sector_labels)[sector_index]
    sector_right = sector_pred == sectors
    metrics = headline_metrics(sectors, sector_pred, themes, theme_pred)
    review = review_outcome(needs_review, sector_right, best_theme_correct(themes, theme_proba))
    metrics["needs_review_rate"] = review.pop("flagged_share")
    metrics.update(review)
    calibration = sector_and_theme_calibration(sector_proba, sector_right, theme_proba, themes)
    metrics["sector_ece"] = calibration["sector"]["ece"]
    metrics["themes_ece"] = calibration["themes"]["ece"]
    metrics["themes"] = per_label_table(themes, theme_pred, classifier.theme_labels)
    return metrics
