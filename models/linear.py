"""Probabilities of fitted linear models as one sparse product, without scikit-learn's per-call overhead.

A themes model is twenty one-vs-rest estimators, each wrapped in calibration: scikit-learn validates its
input twenty times over, which costs about 20 ms for a single complaint. The same probabilities are a
matrix product and a sigmoid. ``compile_probabilities`` recognises the shapes training produces and returns
that compact form; for any other estimator it returns None and callers keep scikit-learn's own path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC


@dataclass(frozen=True)
class LinearProbabilities:
    """Per-output linear scores ``X @ weights + bias``, then a link: calibrated sigmoids (optionally
    normalised to sum to one, as multi-class calibration does), or a softmax."""

    weights: np.ndarray
    bias: np.ndarray
    slope: np.ndarray | None = None
    offset: np.ndarray | None = None
    normalise: bool = False
    softmax: bool = False

    def predict_proba(self, matrix) -> np.ndarray:
        """Probabilities, shape (n, outputs), of a sparse matrix or ``FeatureRows`` of n rows."""
        scores = np.asarray(matrix @ self.weights) + self.bias
        if self.softmax:
            return softmax(scores, axis=1)
        probabilities = (
            expit(-(self.slope * scores + self.offset)) if self.slope is not None else expit(scores)
        )
        if self.normalise:
            total = probabilities.sum(axis=1, keepdims=True)
            uniform = np.full_like(probabilities, 1 / probabilities.shape[1])
            probabilities = np.divide(probabilities, total, out=uniform, where=total != 0)
        return probabilities


def _calibrated_linear(
    model: CalibratedClassifierCV,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Weights, bias and sigmoid parameters of a CalibratedClassifierCV(LinearSVC, "sigmoid", ensemble=False)."""
    if len(getattr(model, "calibrated_classifiers_", [])) != 1 or model.method != "sigmoid":
        return None
    calibrated = model.calibrated_classifiers_[0]
    base = calibrated.estimator
    if not isinstance(base, LinearSVC):
        return None
    slope = np.array([calibrator.a_ for calibrator in calibrated.calibrators])
    offset = np.array([calibrator.b_ for calibrator in calibrated.calibrators])
    return base.coef_.T, base.intercept_, slope, offset


def compile_probabilities(estimator) -> LinearProbabilities | None:
    """The compact form of a fitted sector estimator or one-vs-rest themes estimator, or None."""
    if isinstance(estimator, LogisticRegression):
        if len(estimator.classes_) == 2:
            return None
        return LinearProbabilities(estimator.coef_.T, estimator.intercept_, softmax=True)
    if isinstance(estimator, CalibratedClassifierCV):
        parts = _calibrated_linear(estimator)
        if parts is None or len(estimator.classes_) < 3:
            return None
        weights, bias, slope, offset = parts
        return LinearProbabilities(weights, bias, slope, offset, normalise=True)
    if isinstance(estimator, OneVsRestClassifier):
        columns = []
        for member in estimator.estimators_:
            if isinstance(member, LogisticRegression) and len(member.classes_) == 2:
                columns.append((member.coef_[0], member.intercept_[0], None, None))
            elif isinstance(member, CalibratedClassifierCV) and (parts := _calibrated_linear(member)):
                weights, bias, slope, offset = parts
                columns.append((weights[:, 0], bias[0], slope[0], offset[0]))
            else:
                return None
        if len({slope is None for *_, slope, _ in columns}) != 1:
            return None
        weights = np.column_stack([column[0] for column in columns])
        bias = np.array([column[1] for column in columns])
        # One-vs-rest over single-label classes (a sector) scales each row to sum to one; multi-label doesn't.
        normalise = not estimator.multilabel_
        if columns[0][2] is None:
            return LinearProbabilities(weights, bias, normalise=normalise)
        return LinearProbabilities(
            weights,
            bias,
            np.array([c[2] for c in columns]),
            np.array([c[3] for c in columns]),
            normalise=normalise,
        )
    return None
