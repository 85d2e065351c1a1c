"""Platt sigmoids: fitted as scikit-learn fits them, learned out of fold in training, applied per output;
for a single-label multi-class target, a softmax over their logits with a fitted temperature."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.frozen import FrozenEstimator
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from models.calibration import (
    SigmoidCalibrated,
    decision_columns,
    fit_class_sigmoids,
    fit_sigmoid,
    fit_sigmoids,
    fit_temperature,
    sigmoid_probabilities,
    softmax_probabilities,
)
from training.calibration import calibrated_out_of_fold, decision_model
from training.fit import fit_sector, fit_themes

# --- fit_sigmoid --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spread", [1.0, 80.0, 1e5], ids=["small decisions", "larger decisions", "very large decisions"]
)
def test_the_sigmoid_is_the_one_scikit_learn_fits_on_the_same_decision_values(spread: float) -> None:
    rng = np.random.default_rng(0)
    decisions = rng.normal(size=400) * spread
    truth = (decisions / spread + rng.normal(size=400) > 0.3).astype(int)
    svm = LinearSVC().fit(decisions[:, None], truth)
    # A frozen model whose decision values are the inputs' only column, scaled by its (fixed) weight.
    reference = CalibratedClassifierCV(FrozenEstimator(svm), method="sigmoid").fit(decisions[:, None], truth)
    calibrator = reference.calibrated_classifiers_[0].calibrators[0]
    weight, bias = svm.coef_[0, 0], svm.intercept_[0]

    slope, offset = fit_sigmoid(weight * decisions + bias, truth)

    np.testing.assert_allclose([slope, offset], [calibrator.a_, calibrator.b_], rtol=1e-4, atol=1e-5)


def test_higher_decision_values_of_positives_give_a_rising_probability() -> None:
    decisions = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
    truth = np.array([0, 0, 1, 0, 1, 1])
    probabilities = sigmoid_probabilities(
        decisions[:, None], fit_sigmoids(decisions[:, None], truth[:, None]), False
    )
    assert np.all(np.diff(probabilities[:, 0]) > 0)


def test_values_that_are_not_finite_are_left_out_of_the_fit_and_get_probability_zero() -> None:
    decisions = np.array([-2.0, -1.0, 1.0, 2.0, -np.inf])
    truth = np.array([0, 0, 1, 1, 1])
    sigmoids = fit_sigmoids(decisions[:, None], truth[:, None])
    assert np.all(np.isfinite(sigmoids))
    assert fit_sigmoid(decisions, truth) == fit_sigmoid(decisions[:4], truth[:4])
    probabilities = sigmoid_probabilities(decisions[:, None], sigmoids, normalise=False)
    assert probabilities[4, 0] == 0.0


def test_an_output_with_no_positive_still_gets_a_finite_low_sigmoid() -> None:
    decisions = np.linspace(-1, 1, 20)
    slope, offset = fit_sigmoid(decisions, np.zeros(20))
    assert np.isfinite([slope, offset]).all()
    assert (
        sigmoid_probabilities(decisions[:, None], (np.array([slope]), np.array([offset])), False).max() < 0.1
    )


def test_normalised_rows_sum_to_one_and_a_row_of_zeros_becomes_uniform() -> None:
    decisions = np.array([[1.0, 0.0, -1.0], [-np.inf, -np.inf, -np.inf]])
    sigmoids = (np.full(3, -2.0), np.zeros(3))
    probabilities = sigmoid_probabilities(decisions, sigmoids, normalise=True)
    np.testing.assert_allclose(probabilities.sum(axis=1), [1.0, 1.0])
    np.testing.assert_allclose(probabilities[1], np.full(3, 1 / 3))


def test_a_softmax_over_sigmoid_logits_sums_to_one_and_gives_no_probability_to_missing_values() -> None:
    decisions = np.array([[1.0, 0.0, -np.inf], [-np.inf, -np.inf, -np.inf]])
    sigmoids = (np.full(3, -2.0), np.zeros(3))

    probabilities = softmax_probabilities(decisions, sigmoids)

    np.testing.assert_allclose(probabilities[0], [np.exp(2) / (np.exp(2) + 1), 1 / (np.exp(2) + 1), 0.0])
    np.testing.assert_allclose(probabilities[1], np.full(3, 1 / 3))


@pytest.mark.parametrize("overconfidence", [0.5, 3.0], ids=["too timid", "too sure"])
def test_the_fitted_temperature_undoes_logits_that_are_too_sure_or_too_timid(overconfidence: float) -> None:
    rng = np.random.default_rng(1)
    honest = rng.normal(size=(5000, 4)) * 2
    chances = np.exp(honest) / np.exp(honest).sum(axis=1, keepdims=True)
    classes = np.array([rng.choice(4, p=row) for row in chances])

    assert fit_temperature(honest * overconfidence, classes) == pytest.approx(overconfidence, rel=0.1)


def test_rows_whose_class_has_no_logit_leave_the_temperature_as_it_is() -> None:
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(300, 3)) * 2
    classes = np.array([rng.choice(3, p=np.exp(row) / np.exp(row).sum()) for row in logits])
    missing = logits.copy()
    missing[:, 1] = -np.inf

    fitted = fit_temperature(missing, classes)

    assert fitted == pytest.approx(fit_temperature(missing[classes != 1], classes[classes != 1]))
    assert 0.5 < fitted < 2.0
    assert fit_temperature(missing[classes == 1], classes[classes == 1]) == 1.0


def test_class_sigmoids_are_platts_sigmoids_divided_by_one_temperature() -> None:
    rng = np.random.default_rng(2)
    classes = rng.integers(0, 6, size=600)
    truth = (classes[:, None] == np.arange(6)[None, :]).astype(int)
    decisions = truth * 4.0 - 2.0 + rng.normal(size=(600, 6))

    slope, offset = fit_class_sigmoids(decisions, truth)
    platt_slope, platt_offset = fit_sigmoids(decisions, truth)

    ratios = np.concatenate([platt_slope / slope, platt_offset / offset])
    temperature = fit_temperature(-(platt_slope * decisions + platt_offset), classes)
    np.testing.assert_allclose(ratios, temperature)
    assert temperature != pytest.approx(1.0, abs=0.05)


def test_a_binary_classifiers_single_decision_column_becomes_one_column_per_class() -> None:
    np.testing.assert_array_equal(decision_columns(np.array([0.5, -2.0])), [[-0.5, 0.5], [2.0, -2.0]])


# --- SigmoidCalibrated ----------------------------------------------------------------------------------


def test_on_its_own_a_multi_class_target_gets_scikit_learns_sigmoids_and_predictions_with_a_softmax() -> None:
    features, classes = make_classification(600, 20, n_informative=8, n_classes=4, random_state=0)
    ours = SigmoidCalibrated(LinearSVC(), cv=3).fit(features, classes)
    reference = CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=3, ensemble=False).fit(
        features, classes
    )
    calibrators = reference.calibrated_classifiers_[0].calibrators
    reference_sigmoids = (np.array([c.a_ for c in calibrators]), np.array([c.b_ for c in calibrators]))

    temperature = reference_sigmoids[0][0] / ours.sigmoids_[0][0]
    np.testing.assert_allclose(ours.sigmoids_[0] * temperature, reference_sigmoids[0], rtol=1e-3)
    np.testing.assert_allclose(ours.sigmoids_[1] * temperature, reference_sigmoids[1], rtol=1e-3, atol=1e-4)
    decisions = ours.estimator_.decision_function(features)
    np.testing.assert_allclose(ours.predict_proba(features), softmax_probabilities(decisions, ours.sigmoids_))
    np.testing.assert_array_equal(ours.classes_, reference.classes_)
    np.testing.assert_array_equal(ours.predict(features), reference.predict(features))


def test_on_its_own_it_gives_scikit_learns_calibrated_probabilities_for_a_binary_target() -> None:
    features, classes = make_classification(300, 20, n_informative=8, random_state=5)
    ours = SigmoidCalibrated(LinearSVC(), cv=3).fit(features, classes)
    reference = CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=3, ensemble=False).fit(
        features, classes
    )

    np.testing.assert_allclose(ours.predict_proba(features), reference.predict_proba(features), atol=1e-4)


def test_a_multi_label_target_needs_its_sigmoids_given() -> None:
    features, labels = make_multilabel_classification(100, 10, n_classes=3, random_state=0)
    with pytest.raises(ValueError, match="multi-label"):
        SigmoidCalibrated(OneVsRestClassifier(LinearSVC())).fit(features, labels)


def test_with_sigmoids_given_each_label_of_a_multi_label_target_has_its_own_probability() -> None:
    features, labels = make_multilabel_classification(300, 20, n_classes=4, random_state=0)
    sigmoids = (np.full(4, -3.0), np.zeros(4))
    model = SigmoidCalibrated(OneVsRestClassifier(LinearSVC()), sigmoids=sigmoids).fit(features, labels)
    probabilities = model.predict_proba(features)

    assert probabilities.shape == labels.shape
    assert not np.allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(features), (probabilities >= 0.5).astype(int))
    assert (model.predict(features) == labels).mean() > 0.7


def test_sigmoids_given_are_used_as_they_are() -> None:
    features, classes = make_classification(200, 10, n_informative=5, n_classes=3, random_state=1)
    sigmoids = (np.array([-1.0, -2.0, -3.0]), np.array([0.1, 0.2, 0.3]))
    model = SigmoidCalibrated(LinearSVC(), sigmoids=sigmoids).fit(features, classes)

    np.testing.assert_array_equal(model.sigmoids_[0], sigmoids[0])
    np.testing.assert_array_equal(model.sigmoids_[1], sigmoids[1])
    expected = softmax_probabilities(model.estimator_.decision_function(features), sigmoids)
    np.testing.assert_allclose(model.predict_proba(features), expected)


# --- calibration on the training's own folds ------------------------------------------------------------


def test_training_fits_the_sigmoids_on_out_of_fold_decision_values_and_hands_them_to_the_final_model() -> (
    None
):
    features, classes = make_classification(300, 10, n_informative=5, n_classes=3, random_state=2)
    scores = np.random.default_rng(3).normal(size=(300, 3))
    truth = (classes[:, None] == np.arange(3)[None, :]).astype(int)

    model, probabilities = calibrated_out_of_fold(
        SigmoidCalibrated(LinearSVC()), scores, truth, single_label=True
    )

    sigmoids = fit_class_sigmoids(scores, truth)
    np.testing.assert_allclose(probabilities, softmax_probabilities(scores, sigmoids))
    np.testing.assert_array_equal(model.sigmoids[0], sigmoids[0])
    assert model.fit(features, classes).sigmoids_[1].tolist() == sigmoids[1].tolist()


def test_one_vs_rest_over_calibrated_svms_becomes_one_sigmoid_per_label_over_one_vs_rest_svms() -> None:
    features, labels = make_multilabel_classification(200, 20, n_classes=4, random_state=1)
    themes = OneVsRestClassifier(SigmoidCalibrated(LinearSVC(C=0.5)), n_jobs=2)
    fold = decision_model(themes)
    assert isinstance(fold, OneVsRestClassifier) and isinstance(fold.estimator, LinearSVC)
    assert fold.n_jobs == 2 and fold.estimator.C == 0.5

    scores = fit_themes(themes, (features[:150], features[150:]), labels, np.arange(150))
    model, probabilities = calibrated_out_of_fold(themes, scores, labels[150:], single_label=False)

    np.testing.assert_allclose(
        scores, clone(fold).fit(features[:150], labels[:150]).decision_function(features[150:])
    )
    assert isinstance(model, SigmoidCalibrated) and isinstance(model.estimator, OneVsRestClassifier)
    assert isinstance(model.estimator.estimator, LinearSVC)
    np.testing.assert_allclose(
        probabilities, sigmoid_probabilities(scores, fit_sigmoids(scores, labels[150:]), normalise=False)
    )
    assert model.fit(features, labels).predict_proba(features).shape == labels.shape


def test_an_estimator_with_its_own_calibration_keeps_its_probabilities() -> None:
    estimator = CalibratedClassifierCV(LinearSVC())
    assert decision_model(estimator) is None
    probabilities = np.full((4, 2), 0.5)
    assert calibrated_out_of_fold(estimator, probabilities, np.eye(2)[[0, 1, 0, 1]], True) == (
        estimator,
        probabilities,
    )


def test_a_sector_missing_from_a_folds_training_rows_gets_no_probability() -> None:
    features, classes = make_classification(90, 10, n_informative=5, n_classes=3, random_state=4)
    labels = ["a", "b", "c"]
    sectors = np.asarray(labels)[classes]
    train = np.flatnonzero(sectors != "b")[:50]
    test = np.arange(90)[60:]

    scores = fit_sector(
        SigmoidCalibrated(LinearSVC()), (features[train], features[test]), sectors, labels, train
    )

    assert np.isneginf(scores[:, 1]).all() and np.isfinite(scores[:, [0, 2]]).all()
    truth = (sectors[test][:, None] == np.asarray(labels)[None, :]).astype(int)
    _, probabilities = calibrated_out_of_fold(
        SigmoidCalibrated(LinearSVC()), scores, truth, single_label=True
    )
    assert (probabilities[:, 1] == 0).all()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
