"""Calibration on the training's own folds: a candidate's Platt sigmoids fitted on its out-of-fold
decision values, which cross-validation computes anyway, instead of on folds of its own inside every fit."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.multiclass import OneVsRestClassifier

from models.calibration import (
    SigmoidCalibrated,
    decision_columns,
    fit_class_sigmoids,
    fit_sigmoids,
    sigmoid_probabilities,
    softmax_probabilities,
)


def decision_model(estimator: Any) -> Any | None:
    """The uncalibrated model to fit in each fold when ``estimator`` can be calibrated out of fold: the
    linear model of a SigmoidCalibrated, or one-vs-rest over it for a one-vs-rest of SigmoidCalibrated
    (all labels' decision values from one fit); None for any other estimator."""
    if isinstance(estimator, SigmoidCalibrated):
        return estimator.estimator
    inner = getattr(estimator, "estimator", None)
    if isinstance(estimator, OneVsRestClassifier) and isinstance(inner, SigmoidCalibrated):
        return clone(estimator).set_params(estimator=inner.estimator)
    return None


def fold_model(estimator: Any) -> Any:
    """What one cross-validation fold fits: ``decision_model(estimator)`` where there is one, else the
    estimator itself."""
    return decision_model(estimator) or estimator


def fold_scores(estimator: Any, fitted: Any, matrix: Any) -> np.ndarray:
    """Scores of a fold's ``fitted`` model (fitted from ``fold_model(estimator)``) for ``matrix``: decision
    values, one column per output, when ``estimator`` is calibrated out of fold, else its probabilities."""
    if decision_model(estimator) is not None:
        return decision_columns(fitted.decision_function(matrix))
    return fitted.predict_proba(matrix)


def calibrated_out_of_fold(
    estimator: Any, scores: np.ndarray, truth: np.ndarray, single_label: bool
) -> tuple[Any, np.ndarray]:
    """The estimator to fit on all rows, and out-of-fold probabilities, from the out-of-fold ``scores``
    and the 0/1 ``truth`` per column.

    Where ``estimator`` can be calibrated out of fold, one sigmoid per column is fitted on its decision
    values (for a ``single_label`` target, with a softmax and its temperature: ``fit_class_sigmoids``), and
    the estimator returned is a SigmoidCalibrated of its decision model with those sigmoids; any other
    estimator keeps its own calibration, and ``scores`` are its probabilities already.
    """
    model = decision_model(estimator)
    if model is None:
        return estimator, scores
    if single_label:
        sigmoids = fit_class_sigmoids(scores, truth)
        return SigmoidCalibrated(model, sigmoids=sigmoids), softmax_probabilities(scores, sigmoids)
    sigmoids = fit_sigmoids(scores, truth)
    return SigmoidCalibrated(model, sigmoids=sigmoids), sigmoid_probabilities(
        scores, sigmoids, normalise=False
    )
