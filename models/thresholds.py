"""Per-label decision thresholds for multi-label probabilities, with a top-1 fallback."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
# How far each label's threshold may be drawn towards the shared optimum; chosen by choose_pooling.
POOLING_GRID = (1.0, 0.75, 0.5, 0.25, 0.0)


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


def choose_pooling(
    y_true: np.ndarray, probabilities: np.ndarray, pools: tuple[float, ...] = POOLING_GRID, folds: int = 5
) -> float:
    """The pooling (see tune_thresholds) whose thresholds score best on rows they were not tuned on.

    The (out-of-fold) probabilities are split into ``folds`` parts; thresholds tuned on the other parts
    label each part, and each pooling is scored by the mean of micro- and macro-F1 over all rows. Per-label
    thresholds suit labels with many examples, pooled ones rare labels: the data decides. Ties go to the
    more pooled (earlier in ``pools``). Deterministic: the parts are fixed strides of the rows.
    """
    from sklearn.metrics import f1_score

    y_true = np.asarray(y_true, dtype=bool)
    parts = [np.arange(start, len(y_true), folds) for start in range(folds)]
    best_pool, best_score = pools[0], -1.0
    for pool in pools:
        predicted = np.zeros(y_true.shape, dtype=np.int64)
        for part in parts:
            rest = np.setdiff1d(np.arange(len(y_true)), part)
            thresholds = tune_thresholds(y_true[rest], probabilities[rest], pool=pool)
            predicted[part] = apply_thresholds(probabilities[part], thresholds)
        score = np.mean(
            [f1_score(y_true, predicted, average=kind, zero_division=0) for kind in ("micro", "macro")]
        )
        if score > best_score + 1e-12:
            best_pool, best_score = pool, score
    return float(best_pool)


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
    when None they are tuned by ``cv``-fold cross-validation during ``fit`` (``n_jobs`` folds at a time),
    pooled as choose_pooling finds best. ``fallback`` makes sure every document gets at least one label:
    its most probable one.
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        thresholds: np.ndarray | None = None,
        cv: int = 5,
        fallback: bool = True,
        n_jobs: int | None = None,
    ):
        self.estimator = estimator
        self.thresholds = thresholds
        self.cv = cv
        self.fallback = fallback
        self.n_jobs = n_jobs

    def fit(self, X, y) -> ThresholdedMultiLabel:
        """Fit the estimator on all of X, y and set ``thresholds_``; returns self."""
        y = np.asarray(y)
        if self.thresholds is None:
            from sklearn.model_selection import KFold, cross_val_predict

            folds = KFold(n_splits=self.cv, shuffle=True, random_state=0)
            out_of_fold = as_label_probabilities(
                cross_val_predict(
                    clone(self.estimator), X, y, cv=folds, method="predict_proba", n_jobs=self.n_jobs
                )
            )
            self.pooling_ = choose_pooling(y, out_of_fold)
            self.thresholds_ = tune_thresholds(y, out_of_fold, pool=self.pooling_)
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
