"""Probabilities of fitted linear models as one sparse product, without scikit-learn's per-call overhead.

A themes model is twenty one-vs-rest estimators: scikit-learn validates its input twenty times over, which
costs about 20 ms for a single complaint. The same probabilities are a matrix product and a sigmoid.
``compile_probabilities`` recognises the shapes training produces and returns that compact form; for any
other estimator it returns None and callers keep scikit-learn's own path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from models.calibration import SigmoidCalibrated, sigmoid_probabilities


@dataclass(frozen=True)
class LinearProbabilities:
    """Per-output linear scores ``X @ weights + bias``, then ``link``: the estimator's own map from those
    scores (its decision values) to probabilities."""

    weights: np.ndarray
    bias: np.ndarray
    link: Callable[[np.ndarray], np.ndarray]

    def predict_proba(self, matrix) -> np.ndarray:
        """Probabilities, shape (n, outputs), of a sparse matrix or ``FeatureRows`` of n rows."""
        return self.link(np.asarray(matrix @ self.weights) + self.bias)


def _linear_svms(estimator) -> tuple[np.ndarray, np.ndarray] | None:
    """Weights (features, outputs) and bias of a multi-class LinearSVC or a one-vs-rest of binary ones."""
    if isinstance(estimator, LinearSVC) and len(estimator.classes_) > 2:
        return estimator.coef_.T, estimator.intercept_
    members = getattr(estimator, "estimators_", None)
    if isinstance(estimator, OneVsRestClassifier) and all(isinstance(m, LinearSVC) for m in members):
        return np.column_stack([m.coef_[0] for m in members]), np.array([m.intercept_[0] for m in members])
    return None


def compile_probabilities(estimator) -> LinearProbabilities | None:
    """The compact form of a fitted sector estimator or one-vs-rest themes estimator, or None."""
    if isinstance(estimator, LogisticRegression):
        if len(estimator.classes_) == 2:
            return None
        return LinearProbabilities(estimator.coef_.T, estimator.intercept_, partial(softmax, axis=1))
    if isinstance(estimator, SigmoidCalibrated):
        parts = _linear_svms(estimator.estimator_)
        if parts is None:
            return None
        return LinearProbabilities(*parts, estimator.probabilities_of)
    if isinstance(estimator, OneVsRestClassifier):
        members = estimator.estimators_
        if not all(isinstance(m, LogisticRegression) and len(m.classes_) == 2 for m in members):
            return None
        weights = np.column_stack([member.coef_[0] for member in members])
        bias = np.array([member.intercept_[0] for member in members])
        # Logistic regression's link is the plain sigmoid: slope -1, offset 0 in Platt's form.
        plain = (np.full(len(members), -1.0), np.zeros(len(members)))
        # One-vs-rest over single-label classes (a sector) scales each row to sum to one; multi-label doesn't.
        return LinearProbabilities(
            weights, bias, partial(sigmoid_probabilities, sigmoids=plain, normalise=not estimator.multilabel_)
        )
    return None
