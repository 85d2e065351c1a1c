"""The plain forms of a trained model's features and linear models compute exactly what scikit-learn does."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from models.classifier import ComplaintClassifier
from models.linear import compile_probabilities
from models.tfidf import compile_features
from training.fit import train

UNUSUAL_TEXTS = [
    "Mrs Zoë Ní Bhriain — café owner 😡 complained twice",
    "Пациент не получил ответа от больницы",
    "zzzz qqqq xxxx",
    "Mr A's x-ray: a 2nd scan at A&E, then I was told_to wait (w/ no f/u) by Dr O'Neil",
    "   ",
    "",
]


@pytest.mark.parametrize("candidate", ["logreg", "svm"])
def test_the_compiled_models_give_the_same_probabilities_as_scikit_learn(tiny_data, taxonomy, candidate):
    classifier = train(tiny_data, taxonomy, candidates=[candidate], folds=3, jobs=1).classifier
    matrix = classifier.features.transform(tiny_data.texts)
    sector = compile_probabilities(classifier.sector_model)
    themes = compile_probabilities(classifier.themes_model.estimator_)
    assert sector is not None and themes is not None
    np.testing.assert_allclose(
        sector.predict_proba(matrix), classifier.sector_model.predict_proba(matrix), atol=1e-12
    )
    np.testing.assert_allclose(
        themes.predict_proba(matrix), classifier.themes_model.predict_proba(matrix), atol=1e-12
    )


def test_an_estimator_of_another_shape_keeps_scikit_learns_path(tiny_data, taxonomy):
    classifier = train(tiny_data, taxonomy, candidates=["cnb"], folds=3, jobs=1).classifier
    assert compile_probabilities(classifier.sector_model) is None
    assert classifier.predict(tiny_data.texts[:2])[0].sector.label in taxonomy.sector_ids


@pytest.fixture(scope="module")
def svm_classifier(tiny_data, taxonomy) -> ComplaintClassifier:
    return train(tiny_data, taxonomy, candidates=["svm"], folds=3, jobs=1).classifier


def test_the_compiled_features_give_the_same_matrix_as_scikit_learn(tiny_data, svm_classifier):
    classifier = svm_classifier
    compiled = compile_features(classifier.features)
    assert compiled is not None
    texts = tiny_data.texts + UNUSUAL_TEXTS
    expected = classifier.features.transform(texts).toarray()
    np.testing.assert_allclose(compiled.transform(texts).toarray(), expected, atol=1e-12)
    np.testing.assert_allclose(compiled.transform(texts[:1]).toarray(), expected[:1], atol=1e-12)
    assert compiled.transform([]).shape == (0, expected.shape[1])


def test_a_word_step_with_its_own_analyzer_settings_still_gives_scikit_learns_matrix(
    tiny_data, svm_classifier
):
    features = copy.deepcopy(svm_classifier.features).set_params(words__stop_words=["the", "and"])
    compiled = compile_features(features)
    assert compiled is not None
    texts = tiny_data.texts + UNUSUAL_TEXTS
    np.testing.assert_allclose(
        compiled.transform(texts).toarray(), features.transform(texts).toarray(), atol=1e-12
    )


@pytest.mark.parametrize(
    "texts",
    [["Mrs B complained that the Trust lost her records."], [""], "all"],
    ids=["one", "one-with-no-known-term", "many"],
)
def test_the_classifier_reads_feature_rows_to_scikit_learns_probabilities(tiny_data, svm_classifier, texts):
    texts = tiny_data.texts + UNUSUAL_TEXTS if texts == "all" else texts
    matrix = svm_classifier.features.transform(texts)

    sector, themes = svm_classifier.probabilities(texts)

    np.testing.assert_allclose(sector, svm_classifier.sector_model.predict_proba(matrix), atol=1e-12)
    np.testing.assert_allclose(themes, svm_classifier.themes_model.predict_proba(matrix), atol=1e-12)


@pytest.mark.parametrize(
    ("ngram_range", "sublinear_tf", "norm"),
    [((1, 1), False, "l2"), ((1, 2), True, None), ((2, 2), False, "l2"), ((1, 3), True, "l2")],
)
def test_word_steps_of_any_ngram_range_and_weighting_give_scikit_learns_matrix(
    tiny_data, ngram_range, sublinear_tf, norm
):
    step = TfidfVectorizer(
        ngram_range=ngram_range, sublinear_tf=sublinear_tf, norm=norm, strip_accents="unicode"
    ).fit(tiny_data.texts + UNUSUAL_TEXTS)  # so the unusual texts' own n-grams are in the vocabulary
    compiled = compile_features(step)
    assert compiled is not None
    texts = tiny_data.texts + UNUSUAL_TEXTS
    expected = step.transform(texts).toarray()
    np.testing.assert_allclose(compiled.transform(texts).toarray(), expected, atol=1e-12)
    for row, text in enumerate(texts[-8:], start=len(texts) - 8):
        np.testing.assert_allclose(compiled.transform([text]).toarray(), expected[row : row + 1], atol=1e-12)


def test_features_of_another_kind_keep_scikit_learns_path(svm_classifier):
    features = copy.deepcopy(svm_classifier.features).set_params(characters__norm="l1")
    assert compile_features(features) is None
