"""Every cross-validation fold's TF-IDF matrices from one count of all the texts.

Fitting a feature step on each fold's training rows counts every text again, and counting (running the
analyzer over every word) is most of the cost: about 9 s per fold on 7,680 samples. Here each distinct
TF-IDF step counts all the texts once, keeping every term. A fold then keeps the columns scikit-learn's
``fit`` would keep for its training rows (the same ``min_df``, ``max_df`` and ``max_features`` rules, ties
broken the same way) and weights them with a ``TfidfTransformer`` fitted on those rows.

The matrices equal ``clone(step).fit_transform(train)`` and ``.transform(test)`` in their columns and
values, to the last bit of rounding: each row's norm is summed in column order here, in the order the words
were first seen there.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

COUNTING_PARAMETERS = frozenset(inspect.signature(CountVectorizer).parameters)
WEIGHTING_PARAMETERS = frozenset(inspect.signature(TfidfTransformer).parameters)


def feature_steps(features: Any) -> list[TfidfVectorizer]:
    """The TF-IDF steps of a candidate's features, in the order their columns come (a union's, or one step).

    Raises TypeError for any other kind of step: only TF-IDF steps can be counted once for all folds.
    """
    steps = (
        [step for _, step in features.transformer_list] if isinstance(features, FeatureUnion) else [features]
    )
    for step in steps:
        if not isinstance(step, TfidfVectorizer):
            raise TypeError(f"cannot count a {type(step).__name__} once for all folds: TfidfVectorizer only")
    return steps


def count_all(step: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """Term counts of ``texts`` with ``step``'s analyzer and every term kept, columns in term order."""
    parameters = {name: value for name, value in step.get_params().items() if name in COUNTING_PARAMETERS}
    counter = CountVectorizer(**{**parameters, "min_df": 1, "max_df": 1.0, "max_features": None})
    return sp.csr_matrix(counter.fit_transform(texts))


def kept_columns(step: TfidfVectorizer, train_counts: sp.csr_matrix) -> np.ndarray:
    """The columns ``step`` keeps when fitted on the rows of ``train_counts``: scikit-learn's vocabulary
    limits (``CountVectorizer._limit_features``), applied to the terms those rows contain."""
    documents = train_counts.shape[0]
    most = step.max_df if isinstance(step.max_df, Integral) else step.max_df * documents
    least = step.min_df if isinstance(step.min_df, Integral) else step.min_df * documents
    frequency = np.bincount(train_counts.indices, minlength=train_counts.shape[1])
    keep = (frequency > 0) & (frequency <= most) & (frequency >= least)
    if step.max_features is not None and keep.sum() > step.max_features:
        totals = np.asarray(train_counts.sum(axis=0)).ravel()
        most_frequent = (-totals[keep]).argsort()[: step.max_features]
        limited = np.zeros_like(keep)
        limited[np.flatnonzero(keep)[most_frequent]] = True
        keep = limited
    return np.flatnonzero(keep)


def step_matrices(
    step: TfidfVectorizer, counts: sp.csr_matrix, train: np.ndarray, others: Sequence[np.ndarray]
) -> list[sp.csr_matrix]:
    """One step's TF-IDF matrices for the ``train`` rows, then for each of ``others``, the step fitted on the
    ``train`` rows."""
    train_counts = counts[train]
    columns = kept_columns(step, train_counts)
    parameters = {name: value for name, value in step.get_params().items() if name in WEIGHTING_PARAMETERS}
    weighting = TfidfTransformer(**parameters)
    train_matrix = weighting.fit_transform(train_counts[:, columns])
    return [train_matrix] + [weighting.transform(counts[rows][:, columns]) for rows in others]


def feature_matrices(
    features: Any, counts: dict[str, sp.csr_matrix], train: np.ndarray, *others: np.ndarray
) -> list[sp.csr_matrix]:
    """``features``' matrices for the ``train`` rows, then for each of ``others``, as fitting ``features`` on
    the ``train`` rows gives; from ``counts`` (``count_all``'s, keyed by the step's repr).

    Indices are sorted: the linear models would sort them in place, which fails on the read-only copies
    that worker processes receive.
    """
    parts = [step_matrices(step, counts[repr(step)], train, others) for step in feature_steps(features)]
    matrices = [sp.csr_matrix(sp.hstack(blocks, format="csr")) for blocks in zip(*parts, strict=True)]
    for matrix in matrices:
        matrix.sort_indices()
    return matrices
