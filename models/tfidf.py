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
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from models.features import char_wb_ngrams, word_char_ngrams, words

TermCounter = Callable[[str], tuple[list[int], list[int]]]


def count_terms(analyze: Callable[[str], list[str]], vocabulary: dict[str, int]) -> TermCounter:
    """Counts of a document's in-vocabulary terms, as (columns, counts), for any analyzer."""
    lookup = vocabulary.get

    def count(document: str) -> tuple[list[int], list[int]]:
        columns, counts = [], []
        for term, times in Counter(analyze(document)).items():
            column = lookup(term)
            if column is not None:
                columns.append(column)
                counts.append(times)
        return columns, counts

    return count


def count_character_ngrams(vocabulary: dict[str, int]) -> TermCounter:
    """The same counts for the ``char_wb_ngrams`` analyzer, with each word's columns memoised.

    Complaint text repeats its words, so looking up each distinct word's n-grams once is several times
    faster than looking up every n-gram of every word.
    """

    @lru_cache(maxsize=262_144)
    def word_columns(word: str) -> tuple[int, ...]:
        return tuple(
            column for gram in word_char_ngrams(word) if (column := vocabulary.get(gram)) is not None
        )

    def count(document: str) -> tuple[list[int], list[int]]:
        found = [column for word in words(document) for column in word_columns(word)]
        columns, counts = np.unique(np.array(found, dtype=np.int64), return_counts=True)
        return columns.tolist(), counts.tolist()

    return count


@dataclass(frozen=True)
class CompiledTfidf:
    """One fitted TF-IDF step: how to count a document's terms by column, idf weights and options."""

    count: TermCounter
    idf: np.ndarray
    sublinear: bool
    l2: bool

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """The (n, vocabulary) TF-IDF matrix of ``documents``, as the fitted vectorizer computes it."""
        columns: list[int] = []
        counts: list[int] = []
        lengths: list[int] = []
        for document in documents:
            document_columns, document_counts = self.count(document)
            columns += document_columns
            counts += document_counts
            lengths.append(len(document_columns))
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
    count = (
        count_character_ngrams(step.vocabulary_)
        if step.analyzer is char_wb_ngrams
        else count_terms(step.build_analyzer(), step.vocabulary_)
    )
    return CompiledTfidf(
        count=count,
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
