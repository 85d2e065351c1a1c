"""Cross-validation's feature matrices, built from one count of all the texts, are those that fitting the
feature step on a fold's training rows gives: the same columns, the same values to the last bit of rounding."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import StandardScaler

from training.candidates import CANDIDATES
from training.fold_features import count_all, feature_matrices, feature_steps

from .conftest import tiny_rows

TEXTS = np.asarray(
    [row["text"] for row in tiny_rows()]
    + [
        "Mrs A's letter went unanswered; the Trust's reply (when it came) was wrong.",
        "Zoë's PIP review: café receipts, £1,250, and a hospital letter nobody read.",
        "the the the ward ward nurse",
        "",
    ],
    dtype=object,
)


def counted(features: object) -> dict[str, sp.csr_matrix]:
    """``count_all`` of every step of ``features`` over TEXTS."""
    return {repr(step): count_all(step, TEXTS) for step in feature_steps(features)}


def assert_same_matrix(ours: sp.csr_matrix, reference: sp.csr_matrix) -> None:
    """Same shape, same non-zero columns in every row, values equal to rounding in the last bit."""
    reference = sp.csr_matrix(reference)
    reference.sort_indices()
    assert ours.shape == reference.shape
    assert ours.has_sorted_indices
    np.testing.assert_array_equal(ours.indptr, reference.indptr)
    np.testing.assert_array_equal(ours.indices, reference.indices)
    np.testing.assert_allclose(ours.data, reference.data, rtol=0, atol=1e-15)


LIMITED_STEPS = {
    # max_features cuts through terms of equal frequency, so ties must be broken as scikit-learn does.
    "limited, ties": TfidfVectorizer(max_features=7, min_df=2, max_df=0.9),
    "document counts as integers": TfidfVectorizer(min_df=3, max_df=20, ngram_range=(1, 2)),
    # "unanswered letters" is in every other tiny text: about half of any fold's training rows.
    "document shares": TfidfVectorizer(min_df=0.05, max_df=0.5),
    # Terms only in the test rows have a document frequency of 0, which min_df=0.0 alone would keep.
    "no limits, raw counts": TfidfVectorizer(min_df=0.0, max_df=1.0, use_idf=False, norm=None),
    "character n-grams, not sublinear": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), min_df=2),
}


@pytest.mark.parametrize("step", LIMITED_STEPS.values(), ids=LIMITED_STEPS.keys())
@pytest.mark.parametrize("held_out", [slice(0, 16), slice(40, 64)])
def test_a_folds_matrices_are_those_of_the_step_fitted_on_its_training_rows(
    step: TfidfVectorizer, held_out: slice
) -> None:
    rows = np.arange(len(TEXTS))
    test = rows[held_out]
    train = np.setdiff1d(rows, test)
    reference = clone(step)
    train_matrix, test_matrix = feature_matrices(step, counted(step), train, test)
    assert_same_matrix(train_matrix, reference.fit_transform(TEXTS[train]))
    assert_same_matrix(test_matrix, reference.transform(TEXTS[test]))


@pytest.mark.parametrize("name", sorted(CANDIDATES))
def test_every_candidates_features_are_built_as_fitting_them_builds_them(name: str) -> None:
    features = CANDIDATES[name](0).features
    train, test = np.arange(0, 50), np.arange(50, len(TEXTS))
    reference = clone(features)
    train_matrix, test_matrix = feature_matrices(features, counted(features), train, test)
    assert_same_matrix(train_matrix, reference.fit_transform(TEXTS[train]))
    assert_same_matrix(test_matrix, reference.transform(TEXTS[test]))


def test_all_rows_as_training_rows_give_the_matrix_of_fitting_on_all_texts() -> None:
    features = CANDIDATES["svm"](0).features
    (matrix,) = feature_matrices(features, counted(features), np.arange(len(TEXTS)))
    assert_same_matrix(matrix, clone(features).fit_transform(TEXTS))


def test_a_step_that_is_not_tf_idf_is_refused() -> None:
    union = FeatureUnion([("words", TfidfVectorizer()), ("scaled", StandardScaler())])
    with pytest.raises(TypeError, match="StandardScaler"):
        feature_steps(union)
