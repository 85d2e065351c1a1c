"""Classification metrics shared by training (cross-validation, hold-out) and ``casework evaluate``."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)


def round4(value: float) -> float:
    """Round a metric to 4 places so that reports and cards are stable."""
    return round(float(value), 4)


def headline_metrics(
    sector_true: np.ndarray, sector_pred: np.ndarray, themes_true: np.ndarray, themes_pred: np.ndarray
) -> dict[str, Any]:
    """n, sector accuracy and macro-F1, theme micro- and macro-F1 (labels absent from both sides ignored)."""
    present = (themes_true.sum(axis=0) + themes_pred.sum(axis=0)) > 0
    return {
        "n": len(sector_true),
        "sector_accuracy": round4(accuracy_score(sector_true, sector_pred)),
        "sector_macro_f1": round4(f1_score(sector_true, sector_pred, average="macro", zero_division=0)),
        "themes_micro_f1": round4(f1_score(themes_true, themes_pred, average="micro", zero_division=0)),
        "themes_macro_f1": round4(
            f1_score(themes_true[:, present], themes_pred[:, present], average="macro", zero_division=0)
        ),
    }


# Calibration is read in tenths of probability: 0.0 to 0.1, ..., 0.9 to 1.0 (1.0 falls in the last).
CALIBRATION_BINS = 10


def probability_bins(probabilities: np.ndarray, outcomes: np.ndarray) -> list[tuple[int, int, float, float]]:
    """For each tenth of probability holding any predictions: its number, how many predictions it holds,
    their mean probability and the share of them whose event happened (``outcomes`` are 0/1)."""
    tenths = np.minimum((np.asarray(probabilities) * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    bins = []
    for tenth in np.unique(tenths):
        inside = tenths == tenth
        bins.append(
            (
                int(tenth),
                int(inside.sum()),
                float(probabilities[inside].mean()),
                float(outcomes[inside].mean()),
            )
        )
    return bins


def calibration_metrics(probabilities: np.ndarray, outcomes: np.ndarray) -> dict[str, float]:
    """How far ``probabilities`` can be read as the chance of their 0/1 ``outcomes``: the Brier score and
    the expected calibration error (the gap between mean probability and observed share in each tenth,
    weighted by how many predictions the tenth holds). Both are 0 for perfect, honest probabilities."""
    bins = probability_bins(probabilities, outcomes)
    gap = sum(count * abs(mean - observed) for _, count, mean, observed in bins) / len(probabilities)
    return {"brier": round4(brier_score_loss(outcomes, probabilities)), "ece": round4(gap)}


def sector_and_theme_calibration(
    sector_proba: np.ndarray, sector_right: np.ndarray, theme_proba: np.ndarray, themes_true: np.ndarray
) -> dict[str, dict[str, float]]:
    """``calibration_metrics`` of the best sector's probability (was it right?) and of every theme's
    probability (was the theme labelled?)."""
    return {
        "sector": calibration_metrics(sector_proba.max(axis=1), np.asarray(sector_right, dtype=int)),
        "themes": calibration_metrics(theme_proba.ravel(), themes_true.ravel()),
    }


def reliability_table(probabilities: np.ndarray, outcomes: np.ndarray) -> list[dict[str, Any]]:
    """One row per tenth of probability holding any predictions: the range, how many, their mean
    probability and the observed share of their 0/1 ``outcomes``."""
    return [
        {
            "probability": f"{tenth / CALIBRATION_BINS:.1f} to {(tenth + 1) / CALIBRATION_BINS:.1f}",
            "n": count,
            "mean_probability": round4(mean),
            "observed": round4(observed),
        }
        for tenth, count, mean, observed in probability_bins(probabilities, outcomes)
    ]


def best_theme_correct(themes: np.ndarray, theme_proba: np.ndarray) -> np.ndarray:
    """Per row: whether the most probable theme is one of the true ones (``themes`` an indicator matrix)."""
    return themes[np.arange(len(themes)), np.argmax(theme_proba, axis=1)] == 1


def review_outcome(
    flagged: np.ndarray, sector_correct: np.ndarray, theme_correct: np.ndarray
) -> dict[str, Any]:
    """The share of predictions flagged for review, and how often the sector and the best theme were right
    among the unflagged and the flagged (None for a group that is empty)."""

    def share(values: np.ndarray) -> float | None:
        return round4(values.mean()) if values.size else None

    return {
        "flagged_share": round4(flagged.mean()) if flagged.size else 0.0,
        "unflagged_sector_accuracy": share(sector_correct[~flagged]),
        "flagged_sector_accuracy": share(sector_correct[flagged]),
        "unflagged_best_theme_precision": share(theme_correct[~flagged]),
        "flagged_best_theme_precision": share(theme_correct[flagged]),
    }


def per_label_table(truth: np.ndarray, predicted: np.ndarray, labels: list[str]) -> list[dict[str, Any]]:
    """Precision, recall, F1 and support per label; ``truth``/``predicted`` are indicator matrices."""
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, zero_division=0)
    return [
        {"label": label, "precision": round4(p), "recall": round4(r), "f1": round4(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    ]


def sector_confusion(sector_true: np.ndarray, sector_pred: np.ndarray, labels: list[str]) -> np.ndarray:
    """The confusion matrix, rows true sector, columns predicted, in ``labels`` order."""
    return confusion_matrix(sector_true, sector_pred, labels=labels)


def most_confused(
    confusion: np.ndarray,
    labels: list[str],
    themes_true: np.ndarray,
    themes_pred: np.ndarray,
    themes: list[str],
    top: int = 10,
) -> list[dict[str, Any]]:
    """The ``top`` most frequent errors: sector pairs (true -> predicted) and themes missed or added."""
    errors: list[dict[str, Any]] = []
    for i, true_label in enumerate(labels):
        for j, predicted_label in enumerate(labels):
            if i != j and confusion[i, j]:
                errors.append(
                    {
                        "kind": "sector",
                        "true": true_label,
                        "predicted": predicted_label,
                        "count": int(confusion[i, j]),
                    }
                )
    missed = ((themes_true == 1) & (themes_pred == 0)).sum(axis=0)
    added = ((themes_true == 0) & (themes_pred == 1)).sum(axis=0)
    for k, theme in enumerate(themes):
        if missed[k]:
            errors.append({"kind": "theme missed", "true": theme, "predicted": "-", "count": int(missed[k])})
        if added[k]:
            errors.append({"kind": "theme added", "true": "-", "predicted": theme, "count": int(added[k])})
    errors.sort(key=lambda error: (-error["count"], error["kind"], error["true"], error["predicted"]))
    return errors[:top]
