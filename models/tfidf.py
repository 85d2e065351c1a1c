"""TF-IDF features of fitted vectorizers, computed without scikit-learn's per-call overhead.

For one complaint, scikit-learn's ``TfidfVectorizer.transform`` spends most of its time validating input
and converting containers rather than counting n-grams: several milliseconds a call, more than the whole
prediction costs in a batch. ``compile_features`` recognises the feature steps training produces (a
``TfidfVectorizer`` or a ``FeatureUnion`` of them, idf weights, optional sublinear tf, l2 or no norm) and
returns a plain form computing the same matrix; for anything else it returns None and callers keep
scikit-learn's own ``transform``.

Each document is lower-cased and accent-folded once, however many steps read it, and the steps' columns
are laid side by side straight into one sparse matrix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from models.features import char_wb_ngrams, fold, word_char_ngrams


class Document:
    """One text to featurise, with its folded form (lower case, accents stripped) computed at most once."""

    def __init__(self, raw: str) -> None:
        self.raw = raw

    @cached_property
    def folded(self) -> str:
        """``models.features.fold`` of the text."""
        return fold(self.raw)


Columns = Callable[[Document], np.ndarray]
# scikit-learn's default token pattern, and a quicker one finding the same tokens: a greedy run of two or
# more word characters can only start and end at word boundaries.
EQUIVALENT_PATTERNS = {r"(?u)\b\w\w+\b": r"\w\w+"}


def analyzer_columns(analyze: Callable[[str], list[str]], vocabulary: dict[str, int]) -> Columns:
    """The vocabulary column of every in-vocabulary term the analyzer finds, repeats included."""
    lookup = vocabulary.get

    def columns(document: Document) -> np.ndarray:
        found = [column for term in analyze(document.raw) if (column := lookup(term)) is not None]
        return np.array(found, dtype=np.int64)

    return columns


@dataclass(frozen=True)
class WordIndex:
    """The words of a word step's vocabulary as numbers, so a document's unigrams and bigrams are found
    with array operations: every word in a vocabulary unigram or bigram has an id (unknown words get
    ``unknown``), each id its unigram's column (-1 if none), and each bigram the key
    ``first * unknown + second``, sorted, with its column."""

    ids: dict[str, int]
    unknown: int
    unigram_columns: np.ndarray
    bigram_keys: np.ndarray
    bigram_columns: np.ndarray

    @classmethod
    def of(cls, vocabulary: dict[str, int]) -> WordIndex:
        """The index of a fitted vocabulary of terms (words joined by single spaces) and their columns."""
        ids: dict[str, int] = {}
        unigrams: dict[int, int] = {}
        bigrams: dict[tuple[int, int], int] = {}
        for term, column in vocabulary.items():
            words = term.split(" ")
            if len(words) == 1:
                unigrams[ids.setdefault(term, len(ids))] = column
            elif len(words) == 2:
                first, second = (ids.setdefault(word, len(ids)) for word in words)
                bigrams[first, second] = column
        unknown = len(ids)
        unigram_columns = np.full(unknown + 1, -1, dtype=np.int64)
        unigram_columns[list(unigrams)] = list(unigrams.values())
        keys = np.array([first * unknown + second for first, second in bigrams], dtype=np.int64)
        order = np.argsort(keys)
        columns = np.array(list(bigrams.values()), dtype=np.int64)
        return cls(ids, unknown, unigram_columns, keys[order], columns[order])

    def unigrams(self, ids: np.ndarray) -> np.ndarray:
        """The columns of the tokens (as ids) that are vocabulary unigrams."""
        columns = self.unigram_columns[ids]
        return columns[columns >= 0]

    def bigrams(self, ids: np.ndarray) -> np.ndarray:
        """The columns of the adjacent token pairs (as ids) that are vocabulary bigrams."""
        first, second = ids[:-1], ids[1:]
        known = (first < self.unknown) & (second < self.unknown)
        keys = first[known] * self.unknown + second[known]
        if not len(self.bigram_keys) or not len(keys):
            return np.zeros(0, dtype=np.int64)
        positions = np.minimum(np.searchsorted(self.bigram_keys, keys), len(self.bigram_keys) - 1)
        return self.bigram_columns[positions[self.bigram_keys[positions] == keys]]


def word_ngram_columns(
    token_pattern: str, ngram_range: tuple[int, int], vocabulary: dict[str, int]
) -> Columns:
    """The same for scikit-learn's word analyzer (lower case, accents stripped, no stop words), reading
    the folded text: tokens by ``token_pattern``, then their n-grams joined by a space.

    Unigrams and bigrams are found through a ``WordIndex`` (one dictionary lookup per token, then array
    operations); longer n-grams, rare in practice, are joined and looked up one by one.
    """
    pattern = EQUIVALENT_PATTERNS.get(token_pattern, token_pattern)
    unicode_tokens = re.compile(pattern).findall
    # On ASCII text the ASCII-only form of the pattern finds the same tokens, nearly twice as fast.
    ascii_tokens = re.compile(pattern, re.ASCII).findall
    lookup = vocabulary.get
    smallest, largest = ngram_range
    index = WordIndex.of(vocabulary)
    token_id, unknown = index.ids.get, index.unknown

    def columns(document: Document) -> np.ndarray:
        folded = document.folded
        tokens = ascii_tokens(folded) if folded.isascii() else unicode_tokens(folded)
        ids = np.fromiter(map(token_id, tokens, repeat(unknown)), dtype=np.int64, count=len(tokens))
        found = [index.unigrams(ids)] if smallest == 1 else []
        if smallest <= 2 <= largest:
            found.append(index.bigrams(ids))
        for size in range(max(smallest, 3), largest + 1):
            grams = (" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
            found.append(np.array([c for gram in grams if (c := lookup(gram)) is not None], dtype=np.int64))
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    return columns


def character_ngram_columns(vocabulary: dict[str, int]) -> Columns:
    """The same for the ``char_wb_ngrams`` analyzer, with each word's columns memoised.

    Complaint text repeats its words, so looking up each distinct word's n-grams once is several times
    faster than looking up every n-gram of every word.
    """

    @lru_cache(maxsize=262_144)
    def word_columns(word: str) -> np.ndarray:
        grams = word_char_ngrams(word)
        return np.array(
            [column for gram in grams if (column := vocabulary.get(gram)) is not None], dtype=np.int64
        )

    def columns(document: Document) -> np.ndarray:
        words = document.folded.split()
        return np.concatenate(list(map(word_columns, words))) if words else np.zeros(0, dtype=np.int64)

    return columns


@dataclass(frozen=True)
class StepRows:
    """One step's non-zero values for a list of documents, row after row: values, columns, row lengths."""

    values: np.ndarray
    columns: np.ndarray
    lengths: np.ndarray


@dataclass(frozen=True)
class CompiledTfidf:
    """One fitted TF-IDF step: how to find a document's term columns, idf weights and options."""

    columns: Columns
    idf: np.ndarray
    sublinear: bool
    l2: bool

    def rows(self, documents: Sequence[Document]) -> StepRows:
        """The non-zero TF-IDF values of ``documents``, as the fitted vectorizer computes them."""
        counted = [np.unique(self.columns(document), return_counts=True) for document in documents]
        lengths = np.array([len(columns) for columns, _ in counted], dtype=np.int64)
        if len(counted) == 1:
            columns, counts = counted[0]
        else:
            columns = np.concatenate([columns for columns, _ in counted] or [np.zeros(0, dtype=np.int64)])
            counts = np.concatenate([counts for _, counts in counted] or [np.zeros(0, dtype=np.int64)])
        values = counts.astype(np.float64)
        if self.sublinear:
            values = np.log(values) + 1.0
        values *= self.idf[columns]
        if self.l2 and len(lengths) == 1:
            values /= np.sqrt(values @ values) if len(values) else 1.0
        elif self.l2:
            row_of = np.repeat(np.arange(len(lengths)), lengths)
            norms = np.sqrt(np.bincount(row_of, weights=values * values, minlength=len(lengths)))
            values /= norms[row_of]
        return StepRows(values, columns, lengths)


@dataclass(frozen=True)
class FeatureRows:
    """A CSR feature matrix as plain arrays: row ``i``'s ``values`` and ``columns`` are
    ``indptr[i]:indptr[i + 1]``. ``rows @ weights`` is the dense product, without building the sparse matrix."""

    values: np.ndarray
    columns: np.ndarray
    indptr: np.ndarray
    width: int

    @cached_property
    def matrix(self) -> sp.csr_matrix:
        """The same rows as a scipy CSR matrix of shape (rows, width)."""
        return sp.csr_matrix(
            (self.values, self.columns, self.indptr), shape=(len(self.indptr) - 1, self.width)
        )

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        """``matrix @ weights`` for a dense (width, outputs) ``weights``, as a dense (rows, outputs) array.

        One row (a single complaint) is its values times the weight rows of its columns: about a third of
        the time of building the sparse matrix and multiplying it. More rows use scipy's sparse product.
        """
        if len(self.indptr) == 2:
            return (self.values @ weights.take(self.columns, axis=0))[None, :]
        return np.asarray(self.matrix @ weights)


@dataclass(frozen=True)
class CompiledFeatures:
    """Fitted TF-IDF steps laid side by side, as ``FeatureUnion`` stacks them."""

    steps: tuple[CompiledTfidf, ...]

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The same (n, features) matrix as the fitted scikit-learn step's ``transform``."""
        return self.rows(texts).matrix

    def rows(self, texts: Sequence[str]) -> FeatureRows:
        """``transform``'s matrix as ``FeatureRows``."""
        documents = [Document(text) for text in texts]
        parts = [step.rows(documents) for step in self.steps]
        widths = [len(step.idf) for step in self.steps]
        offsets = np.cumsum([0, *widths])
        if len(documents) == 1:  # one row: the steps' shares simply follow each other
            values = np.concatenate([part.values for part in parts])
            columns = np.concatenate(
                [part.columns + offset for part, offset in zip(parts, offsets[:-1], strict=True)]
            )
            return FeatureRows(values, columns, np.array([0, len(values)]), int(offsets[-1]))
        row_lengths = np.sum([part.lengths for part in parts], axis=0, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(row_lengths, dtype=np.int64)])
        values = np.empty(indptr[-1], dtype=np.float64)
        columns = np.empty(indptr[-1], dtype=np.int64)
        # Each step's share of a row goes after the shares of the steps before it.
        filled = indptr[:-1].copy()
        for part, offset in zip(parts, offsets[:-1], strict=True):
            part_starts = np.cumsum(part.lengths) - part.lengths
            destination = np.repeat(filled - part_starts, part.lengths) + np.arange(len(part.values))
            values[destination] = part.values
            columns[destination] = part.columns + offset
            filled += part.lengths
        return FeatureRows(values, columns, indptr, int(offsets[-1]))


def _step_columns(step: TfidfVectorizer) -> Columns:
    """The fastest column finder that gives the same terms as the step's own analyzer."""
    if step.analyzer is char_wb_ngrams:
        return character_ngram_columns(step.vocabulary_)
    standard_words = (
        step.analyzer == "word"
        and step.input == "content"
        and step.preprocessor is None
        and step.tokenizer is None
        and step.stop_words is None
        and step.lowercase
        and step.strip_accents == "unicode"
        and re.compile(step.token_pattern).groups <= 1
    )
    if standard_words:
        return word_ngram_columns(step.token_pattern, step.ngram_range, step.vocabulary_)
    return analyzer_columns(step.build_analyzer(), step.vocabulary_)


def _compile_step(step) -> CompiledTfidf | None:
    if not isinstance(step, TfidfVectorizer) or not step.use_idf or step.norm not in ("l2", None):
        return None
    if step.binary or not hasattr(step, "idf_"):
        return None
    return CompiledTfidf(
        columns=_step_columns(step),
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
