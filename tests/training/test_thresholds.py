"""Per-label thresholds: tuned for F1, applied with a top-1 fallback, and wrapped as a scikit-learn estimator."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier

from models.thresholds import (
    THRESHOLD_GRID,
    ThresholdedMultiLabel,
    apply_thresholds,
    as_label_probabilities,
    tune_thresholds,
)

# --- tune_thresholds ----------------------------------------------------------------------------------

# Four documents, four labels; each column is worked out by hand in the comments of the test below.
TRUTH = np.array(
    [
        [1, 1, 1, 0],
        [1, 1, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0],
    ]
)
PROBABILITIES = np.array(
    [
        [0.90, 0.20, 0.90, 0.7],
        [0.60, 0.30, 0.80, 0.2],
        [0.40, 0.80, 0.30, 0.1],
        [0.10, 0.10, 0.20, 0.9],
    ]
)


def test_each_label_gets_the_grid_threshold_with_the_best_f1() -> None:
    thresholds = tune_thresholds(TRUTH, PROBABILITIES)

    # label 0: any threshold in (0.4, 0.6] separates perfectly; the lowest grid point there is 0.425.
    # label 1: perfect in (0.1, 0.2]: 0.125.
    # label 2: F1 is 0.8 in (0.2, 0.3], 0.667 below and above it up to 0.9 (0.5 in (0.3, 0.8]): 0.225.
    # label 3: never true, so it keeps the neutral 0.5.
    assert thresholds == pytest.approx([0.425, 0.125, 0.225, 0.5])


def test_ties_go_to_the_lowest_threshold_favouring_recall() -> None:
    truth = np.array([[1], [0]])
    probabilities = np.array([[0.9], [0.1]])

    # every threshold in (0.1, 0.9] gives F1 = 1
    assert tune_thresholds(truth, probabilities) == pytest.approx([0.125])


def test_tuned_thresholds_come_from_the_grid() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, size=(50, 5))
    probabilities = rng.random((50, 5))

    assert set(tune_thresholds(truth, probabilities)) <= set(THRESHOLD_GRID)


def test_a_custom_grid_is_used_when_given() -> None:
    assert tune_thresholds(TRUTH, PROBABILITIES, grid=np.array([0.5, 0.7]))[0] == pytest.approx(0.5)


# --- apply_thresholds ---------------------------------------------------------------------------------


def test_every_label_that_reaches_its_own_threshold_is_chosen() -> None:
    probabilities = np.array([[0.6, 0.3, 0.9], [0.1, 0.35, 0.2]])
    thresholds = np.array([0.5, 0.35, 0.95])

    assert apply_thresholds(probabilities, thresholds).tolist() == [[1, 0, 0], [0, 1, 0]]


def test_the_top_1_fallback_gives_a_row_with_no_label_its_most_probable_one() -> None:
    probabilities = np.array([[0.2, 0.4, 0.3], [0.9, 0.1, 0.1], [0.01, 0.02, 0.03]])
    thresholds = np.array([0.5, 0.5, 0.5])

    chosen = apply_thresholds(probabilities, thresholds)

    assert chosen.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert (chosen.sum(axis=1) >= 1).all()


def test_without_the_fallback_a_row_may_have_no_label() -> None:
    probabilities = np.array([[0.2, 0.4, 0.3], [0.9, 0.1, 0.1]])

    chosen = apply_thresholds(probabilities, np.array([0.5, 0.5, 0.5]), fallback=False)

    assert chosen.tolist() == [[0, 0, 0], [1, 0, 0]]


def test_the_fallback_adds_nothing_to_a_row_that_already_has_labels() -> None:
    probabilities = np.array([[0.6, 0.7, 0.1]])

    # label 0 reaches its threshold; label 1, the most probable, does not and must not be added.
    assert apply_thresholds(probabilities, np.array([0.5, 0.9, 0.5])).tolist() == [[1, 0, 0]]


def test_no_rows_give_no_rows() -> None:
    assert apply_thresholds(np.zeros((0, 3)), np.array([0.5, 0.5, 0.5])).shape == (0, 3)


# --- as_label_probabilities ---------------------------------------------------------------------------


def test_one_vs_rest_style_lists_become_one_column_per_label() -> None:
    per_label = [np.array([[0.9, 0.1], [0.3, 0.7]]), np.array([[0.4, 0.6], [0.8, 0.2]])]

    assert as_label_probabilities(per_label).tolist() == [[0.1, 0.6], [0.7, 0.2]]


def test_an_array_of_label_probabilities_is_kept_as_it_is() -> None:
    probabilities = np.array([[0.1, 0.6], [0.7, 0.2]])

    assert as_label_probabilities(probabilities).tolist() == probabilities.tolist()


# --- ThresholdedMultiLabel ----------------------------------------------------------------------------


@pytest.fixture
def multilabel() -> tuple[np.ndarray, np.ndarray]:
    """Sixty points in 3-D; label j is on when coordinate j is positive (with a little noise)."""
    rng = np.random.default_rng(3)
    features = rng.normal(size=(60, 3))
    labels = (features + rng.normal(scale=0.3, size=features.shape) > 0).astype(int)
    return features, labels


def logistic() -> OneVsRestClassifier:
    return OneVsRestClassifier(LogisticRegression())


def test_fit_returns_the_estimator_with_one_threshold_per_label_within_the_grid(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), cv=3)

    assert model.fit(features, labels) is model
    assert model.thresholds_.shape == (3,)
    assert all(THRESHOLD_GRID[0] <= threshold <= THRESHOLD_GRID[-1] for threshold in model.thresholds_)
    assert model.n_labels_ == 3


def test_predictions_are_the_probabilities_cut_at_the_tuned_thresholds(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), cv=3).fit(features, labels)

    probabilities = model.predict_proba(features)

    assert probabilities.shape == (60, 3)
    assert model.predict(features).tolist() == apply_thresholds(probabilities, model.thresholds_).tolist()


def test_a_learnable_problem_is_learnt(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), cv=3).fit(features, labels)

    assert (model.predict(features) == labels).mean() > 0.85


def test_fixed_thresholds_are_used_as_given_without_cross_validation(multilabel) -> None:
    features, labels = multilabel
    # 1000 folds of 60 rows would fail, so fitting proves no cross-validation ran.
    model = ThresholdedMultiLabel(logistic(), thresholds=np.array([0.3, 0.6, 0.9]), cv=1000)

    model.fit(features, labels)

    assert model.thresholds_.tolist() == [0.3, 0.6, 0.9]
    expected = apply_thresholds(model.predict_proba(features), np.array([0.3, 0.6, 0.9]))
    assert model.predict(features).tolist() == expected.tolist()


def test_fixed_thresholds_may_be_a_list(multilabel) -> None:
    features, labels = multilabel

    model = ThresholdedMultiLabel(logistic(), thresholds=[0.3, 0.6, 0.9]).fit(features, labels)

    assert model.thresholds_.dtype == float
    assert model.thresholds_.tolist() == [0.3, 0.6, 0.9]


def test_it_never_returns_an_empty_row(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), thresholds=np.full(3, 0.95)).fit(features, labels)
    everywhere = np.vstack([features, -features, np.zeros((1, 3)), np.full((1, 3), -10.0)])

    assert (model.predict(everywhere).sum(axis=1) >= 1).all()


def test_with_fallback_off_it_may_return_an_empty_row(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), thresholds=np.full(3, 0.95), fallback=False).fit(
        features, labels
    )

    assert (model.predict(np.full((1, 3), -10.0)).sum(axis=1) == 0).all()


def test_a_clone_has_the_same_parameters_and_is_not_fitted(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), thresholds=np.array([0.3, 0.6, 0.9]), cv=4, fallback=False)
    model.fit(features, labels)

    copy = clone(model)

    assert copy is not model
    assert copy.thresholds.tolist() == [0.3, 0.6, 0.9]
    assert (copy.cv, copy.fallback) == (4, False)
    assert copy.estimator is not model.estimator
    assert repr(copy) == repr(model)
    assert not hasattr(copy, "thresholds_")
    with pytest.raises(NotFittedError):
        copy.predict(features)


def test_a_fitted_clone_predicts_as_the_original(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(logistic(), cv=3).fit(features, labels)

    copy = clone(model).fit(features, labels)

    assert copy.thresholds_.tolist() == model.thresholds_.tolist()
    np.testing.assert_array_equal(copy.predict_proba(features), model.predict_proba(features))


def test_predicting_before_fitting_raises_not_fitted(multilabel) -> None:
    features, _ = multilabel

    with pytest.raises(NotFittedError):
        ThresholdedMultiLabel(logistic()).predict_proba(features)


def test_an_estimator_returning_one_array_per_label_is_accepted(multilabel) -> None:
    features, labels = multilabel
    model = ThresholdedMultiLabel(KNeighborsClassifier(n_neighbors=5), cv=3).fit(features, labels)

    assert model.predict_proba(features).shape == (60, 3)
    assert (model.predict(features) == labels).mean() > 0.8


@pytest.mark.parametrize(
    "estimator", [logistic(), KNeighborsClassifier(n_neighbors=3)], ids=["one-vs-rest", "one-array-per-label"]
)
def test_a_label_never_seen_in_training_gets_probability_zero(multilabel, estimator) -> None:
    features, labels = multilabel
    labels = labels.copy()
    labels[:, 2] = 0

    model = ThresholdedMultiLabel(estimator, thresholds=np.full(3, 0.5)).fit(features, labels)

    assert model.predict_proba(features)[:, 2].max() == pytest.approx(0.0)
    assert model.predict(features)[:, 2].sum() == 0


def test_pooling_draws_each_threshold_towards_the_shared_micro_f1_optimum() -> None:
    from models.thresholds import pooled_threshold

    truth = np.array([[1, 0], [1, 0], [0, 1], [0, 0]])
    probabilities = np.array([[0.9, 0.2], [0.6, 0.1], [0.3, 0.8], [0.2, 0.3]])
    own = tune_thresholds(truth, probabilities)
    shared = pooled_threshold(truth, probabilities)
    pooled = tune_thresholds(truth, probabilities, pool=0.5)
    np.testing.assert_allclose(pooled, (own + shared) / 2)


def _two_labels_with_different_best_thresholds(rows: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Label 0 separates at about 0.2, label 1 at about 0.8: no single shared threshold suits both."""
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, size=(rows, 2))
    probabilities = np.column_stack(
        [
            np.where(truth[:, 0] == 1, rng.uniform(0.15, 0.3, rows), rng.uniform(0.0, 0.1, rows)),
            np.where(truth[:, 1] == 1, rng.uniform(0.85, 1.0, rows), rng.uniform(0.5, 0.75, rows)),
        ]
    )
    return truth, probabilities


def test_the_data_chooses_per_label_thresholds_when_labels_need_their_own() -> None:
    from models.thresholds import choose_pooling

    truth, probabilities = _two_labels_with_different_best_thresholds()
    assert choose_pooling(truth, probabilities) == 0.0


def test_pooling_is_kept_when_it_costs_nothing() -> None:
    from models.thresholds import POOLING_GRID, choose_pooling

    truth = np.tile([[1, 0], [0, 1]], (50, 1))
    probabilities = np.where(truth == 1, 0.9, 0.1)
    assert choose_pooling(truth, probabilities) == POOLING_GRID[0] == 1.0


class ScoresAsProbabilities(ClassifierMixin, BaseEstimator):
    """Learns nothing: its features are its probabilities, so their best thresholds carry through."""

    def fit(self, features, labels):
        self.classes_ = [np.array([0, 1])] * np.shape(labels)[1]
        return self

    def predict_proba(self, features):
        return [np.column_stack([1 - column, column]) for column in np.asarray(features).T]

    def predict(self, features):
        return (np.asarray(features) >= 0.5).astype(int)


def test_a_fitted_thresholded_model_records_the_pooling_it_chose() -> None:
    truth, probabilities = _two_labels_with_different_best_thresholds()
    model = ThresholdedMultiLabel(ScoresAsProbabilities(), cv=3).fit(probabilities, truth)
    assert model.pooling_ == 0.0
    assert model.thresholds_[0] < 0.35 < 0.5 < model.thresholds_[1]
