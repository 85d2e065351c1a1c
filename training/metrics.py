"""Classification metrics shared by training (cross-validation, hold-out) and ``casework evaluate``."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support


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
