"""Per-label decision thresholds for multi-label probabilities, with a top-1 fallback."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def tune_thresholds(
    y_true: np.ndarray, probabilities: np.ndarray, grid: np.ndarray = THRESHOLD_GRID, pool: float = 0.0
) -> np.ndarray:
    """For each label, the grid threshold that maximises its F1 on (out-of-fold) probabilities.

    Ties go to the lowest threshold, favouring recall. A label never present keeps 0.5. With ``pool`` > 0
    each threshold is drawn that far towards the single threshold that maximises micro-F1 over all labels:
    a label with few examples then gets a steadier threshold than its own noisy optimum.
    """
    y_true = np.asarray(y_true, dtype=bool)
    thresholds = np.full(y_true.shape[1], 0.5)
    for label in range(y_true.shape[1]):
        truth = y_true[:, label]
        if not truth.any():
            continue
        predicted = probabilities[:, label][:, None] >= grid[None, :]
        true_positives = (predicted & truth[:, None]).sum(axis=0)
        f1 = 2 * true_positives / (predicted.sum(axis=0) + truth.sum())
        thresholds[label] = grid[int(np.argmax(f1))]
    if pool:
        thresholds = (1 - pool) * thresholds + pool * pooled_threshold(y_true, probabilities, grid)
    return thresholds


def pooled_threshold(
    y_true: np.ndarray, probabilities: np.ndarray, grid: np.ndarray = THRESHOLD_GRID
) -> float:
    """The one grid threshold, shared by all labels, that maximises micro-F1."""
    truth = np.asarray(y_true, dtype=bool)
    scores = []
    for threshold in grid:
        predicted = probabilities >= threshold
        true_positives = (predicted & truth).sum()
        scores.append(2 * true_positives / (predicted.sum() + truth.sum()))
    return float(grid[int(np.argmax(scores))])


def apply_thresholds(probabilities: np.ndarray, thresholds: np.ndarray, fallback: bool = True) -> np.ndarray:
    """Labels whose probability reaches its threshold; with ``fallback``, the top label where none does."""
    predicted = probabilities >= thresholds[None, :]
    if fallback and len(predicted):
        empty = ~predicted.any(axis=1)
        predicted[empty, np.argmax(probabilities[empty], axis=1)] = True
    return predicted.astype(np.int64)


class ThresholdedMultiLabel(ClassifierMixin, BaseEstimator):
    """A multi-label classifier that applies one decision threshold per label.

    ``estimator`` must return one probability per label from ``predict_proba`` (as a (n, labels) array or
    as one-vs-rest's list of (n, 2) arrays). ``thresholds`` fixes the thresholds (already tuned out of fold);
    when None they are tuned by ``cv``-fold cross-validation during ``fit``. ``fallback`` makes sure every
    document gets at least one label: its most probable one.
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        thresholds: np.ndarray | None = None,
        cv: int = 5,
        fallback: bool = True,
    ):
        self.estimator = estimator
        self.thresholds = thresholds
        self.cv = cv
        self.fallback = fallback

    def fit(self, X, y) -> ThresholdedMultiLabel:
        """Fit the estimator on all of X, y and set ``thresholds_``; returns self."""
        y = np.asarray(y)
        if self.thresholds is None:
            from sklearn.model_selection import KFold, cross_val_predict

            folds = KFold(n_splits=self.cv, shuffle=True, random_state=0)
            out_of_fold = cross_val_predict(clone(self.estimator), X, y, cv=folds, method="predict_proba")
            self.thresholds_ = tune_thresholds(y, as_label_probabilities(out_of_fold))
        else:
            self.thresholds_ = np.asarray(self.thresholds, dtype=float)
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.n_labels_ = y.shape[1]
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each label, shape (n, labels)."""
        check_is_fitted(self, "estimator_")
        return as_label_probabilities(self.estimator_.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """0/1 indicator matrix (n, labels): thresholded, never an empty row when ``fallback``."""
        return apply_thresholds(self.predict_proba(X), self.thresholds_, self.fallback)


def as_label_probabilities(probabilities: np.ndarray | list[np.ndarray]) -> np.ndarray:
    """Normalise multi-label probabilities to an (n, labels) array of positive-class probabilities."""
    if isinstance(probabilities, list):
        # A label with a single class in training has one column, "not this label": probability 0.
        return np.column_stack([p[:, 1] if p.shape[1] == 2 else np.zeros(len(p)) for p in probabilities])
    return np.asarray(probabilities)
