"""TF-IDF features of fitted vectorizers, computed without scikit-learn's per-call overhead.

For one complaint, scikit-learn's ``TfidfVectorizer.transform`` spends most of its time validating input
and converting containers rather than counting n-grams: several milliseconds a call, more than the whole
prediction costs in a batch. ``compile_features`` recognises the feature steps training produces (a
``TfidfVectorizer`` or a ``FeatureUnion`` of them, idf weights, optional sublinear tf, l2 or no norm) and
returns a plain form computing the same matrix; for anything else it returns None and callers keep
scikit-learn's own ``transform``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion


@dataclass(frozen=True)
class CompiledTfidf:
    """One fitted TF-IDF step: its analyzer, vocabulary (term to column), idf weights and options."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    l2: bool

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """The (n, vocabulary) TF-IDF matrix of ``documents``, as the fitted vectorizer computes it."""
        lookup = self.vocabulary.get
        columns: list[int] = []
        counts: list[int] = []
        lengths: list[int] = []
        for document in documents:
            before = len(columns)
            for term, count in Counter(self.analyze(document)).items():
                column = lookup(term)
                if column is not None:
                    columns.append(column)
                    counts.append(count)
            lengths.append(len(columns) - before)
        values = np.array(counts, dtype=np.float64)
        if self.sublinear:
            values = np.log(values) + 1.0
        column_array = np.array(columns, dtype=np.int64)
        values *= self.idf[column_array]
        if self.l2:
            rows = np.repeat(np.arange(len(lengths)), lengths)
            norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(lengths)))
            values /= norms[rows]
        indptr = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        return sp.csr_matrix((values, column_array, indptr), shape=(len(lengths), len(self.idf)))


@dataclass(frozen=True)
class CompiledFeatures:
    """Fitted TF-IDF steps laid side by side, as ``FeatureUnion`` stacks them."""

    steps: tuple[CompiledTfidf, ...]

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """The same (n, features) matrix as the fitted scikit-learn step's ``transform``."""
        documents = list(documents)
        if len(self.steps) == 1:
            return self.steps[0].transform(documents)
        return sp.hstack([step.transform(documents) for step in self.steps], format="csr")


def _compile_step(step) -> CompiledTfidf | None:
    if not isinstance(step, TfidfVectorizer) or not step.use_idf or step.norm not in ("l2", None):
        return None
    if step.binary or not hasattr(step, "idf_"):
        return None
    return CompiledTfidf(
        analyze=step.build_analyzer(),
        vocabulary=step.vocabulary_,
        idf=np.asarray(step.idf_, dtype=np.float64),
        sublinear=step.sublinear_tf,
        l2=step.norm == "l2",
    )


def compile_features(features) -> CompiledFeatures | None:
    """The plain form of a fitted ``TfidfVectorizer`` or ``FeatureUnion`` of them, or None."""
    if isinstance(features, FeatureUnion):
        if features.transformer_weights or any(step == "drop" for _, step in features.transformer_list):
            return None
        steps = [_compile_step(step) for _, step in features.transformer_list]
    else:
        steps = [_compile_step(features)]
    if not steps or any(step is None for step in steps):
        return None
    return CompiledFeatures(tuple(steps))
