"""The candidate pipelines compared by cross-validation: each a feature step, a sector and a themes estimator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from models.calibration import SigmoidCalibrated
from models.features import char_wb_ngrams

# Vocabulary caps per feature step: they keep models small and prediction fast.
# - Characters, 10,000: on the 5,376 samples a cap of 20,000 scored better in cross-validation (sector
#   accuracy 0.910 against 0.905, theme micro-F1 0.778 against 0.771), but on the real NHS feedback of
#   bench/real_data.py it cost 1.4 points of theme macro-F1 (0.540 against 0.554); 15,000 still cost 1.4.
# - Words, 20,000: on the 12,288 samples, against 10,000, 5-fold cross-validation of the SVM gave sector
#   accuracy 0.9267 against 0.9246, theme micro-F1 0.794 against 0.788 and macro-F1 0.827 against 0.824,
#   with the real-data scores unchanged (0.7006 / 0.554). 40,000 added 0.1 to 0.3 points more but made the
#   saved model 12 MB instead of 8; 80,000, or word trigrams, gained nothing over 40,000.
WORD_MAX_FEATURES = 20_000
CHARACTER_MAX_FEATURES = 10_000


@dataclass(frozen=True)
class Candidate:
    """Unfitted estimators for one candidate; ``features`` is shared by the sector and themes models."""

    name: str
    features: BaseEstimator
    sector: BaseEstimator
    themes: BaseEstimator


def word_features() -> TfidfVectorizer:
    """Word unigrams and bigrams, sublinear TF-IDF, accents folded."""
    return TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2,
        max_df=0.9,
        strip_accents="unicode",
        max_features=WORD_MAX_FEATURES,
    )


def word_and_char_features() -> FeatureUnion:
    """Word n-grams plus character 3- and 4-grams inside word boundaries (robust to misspelling)."""
    characters = TfidfVectorizer(
        analyzer=char_wb_ngrams, sublinear_tf=True, min_df=2, max_df=0.9, max_features=CHARACTER_MAX_FEATURES
    )
    return FeatureUnion([("words", word_features()), ("characters", characters)])


def logistic_regression(seed: int) -> Candidate:
    """Word + character TF-IDF with one-vs-rest logistic regression, for the sector and for themes.

    liblinear's dual solver fits the same models as its primal one, in about half the time when there are
    more features than complaints; one-vs-rest for the sector scored as the multinomial model did, in a
    third of the time (two folds of the 5,376 samples). On one fold of the 14,592 samples, C=10 with a
    stopping tolerance of 1e-2 fitted in 13 s what C=20 with 1e-3 fitted in 20 s, at the same scores (theme
    micro-F1 0.803 against 0.801, sector accuracy 0.930 against 0.931): the candidate that cost most of the
    cross-validation costs a third less.
    """

    def logistic() -> OneVsRestClassifier:
        return OneVsRestClassifier(
            LogisticRegression(C=10.0, solver="liblinear", dual=True, tol=1e-2, random_state=seed)
        )

    return Candidate(
        name="tfidf_word_char_logreg", features=word_and_char_features(), sector=logistic(), themes=logistic()
    )


def calibrated_svm(seed: int) -> Candidate:
    """Word + character TF-IDF with a linear SVM, probabilities by one Platt sigmoid per output.

    On their own these fit like ``CalibratedClassifierCV(LinearSVC, "sigmoid", cv=3, ensemble=False)``: one
    SVM per output, its sigmoids fitted on 3 inner folds. Training instead fits the sigmoids on the decision
    values of its own cross-validation (``training.calibration``), so each fold fits one SVM per output and
    no inner folds, and the themes model becomes one sigmoid per label over one-vs-rest SVMs.
    """

    def svm() -> LinearSVC:
        return LinearSVC(C=0.5, random_state=seed)

    return Candidate(
        name="tfidf_word_char_svm_calibrated",
        features=word_and_char_features(),
        sector=SigmoidCalibrated(svm()),
        themes=OneVsRestClassifier(SigmoidCalibrated(svm())),
    )


def complement_naive_bayes(seed: int) -> Candidate:
    """Word TF-IDF with complement naive Bayes, probabilities by sigmoid calibration."""

    def bayes() -> CalibratedClassifierCV:
        return CalibratedClassifierCV(ComplementNB(alpha=0.3), method="sigmoid", cv=3)

    return Candidate(
        name="tfidf_word_complement_nb",
        features=word_features(),
        sector=bayes(),
        themes=OneVsRestClassifier(bayes()),
    )


CANDIDATES: dict[str, Callable[[int], Candidate]] = {
    "logreg": logistic_regression,
    "svm": calibrated_svm,
    "cnb": complement_naive_bayes,
}


def compact_fitted_features(features: BaseEstimator) -> BaseEstimator:
    """Make fitted TF-IDF steps small and quick to load, without changing what they compute.

    Drops ``stop_words_`` (every term cut by min_df, max_df or max_features; scikit-learn documents it as
    safe to delete, and it was most of a saved model's size) and stores the vocabulary's column numbers as
    Python ints (as NumPy integers skops writes each as a file of its own: 20,000 files, seconds to load).
    """
    steps = [step for _, step in getattr(features, "transformer_list", [])] or [features]
    for step in steps:
        if hasattr(step, "stop_words_"):
            del step.stop_words_
        if hasattr(step, "vocabulary_"):
            step.vocabulary_ = {term: int(column) for term, column in step.vocabulary_.items()}
    return features
