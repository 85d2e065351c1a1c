"""The compact linear form of a trained model gives exactly scikit-learn's probabilities, faster."""

from __future__ import annotations

import numpy as np
import pytest

from models.linear import compile_probabilities
from training.fit import train


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
