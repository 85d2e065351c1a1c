"""Compare candidate pipelines by cross-validation, tune thresholds out of fold, and fit the chosen one."""

from __future__ import annotations

import datetime as dt
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import MultiLabelBinarizer

from models.classifier import ComplaintClassifier, ReviewThresholds
from models.taxonomy import Taxonomy
from models.thresholds import (
    THRESHOLD_GRID,
    ThresholdedMultiLabel,
    apply_thresholds,
    as_label_probabilities,
    choose_pooling,
    tune_thresholds,
)
from training.calibration import calibrated_out_of_fold, decision_model, fold_model, fold_scores
from training.candidates import CANDIDATES, Candidate, compact_fitted_features
from training.data import LabelledData, require_learnable_labels
from training.fold_features import count_all, feature_matrices, feature_steps
from training.metrics import (
    best_theme_correct,
    headline_metrics,
    most_confused,
    per_label_table,
    reliability_table,
    review_outcome,
    sector_and_theme_calibration,
    sector_confusion,
)

REVIEW_TARGET_PRECISION = 0.95
# Fewest rows a sector or theme may label: every fold's training part must still hold the three that the
# naive Bayes candidate's inner 3-fold calibration needs, and every fold's test part should see the label.
MIN_LABEL_EXAMPLES = 10
LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy", "spacy", "presidio-analyzer")


@dataclass
class OutOfFold:
    """Out-of-fold probabilities of one candidate, the scores they give, and its estimators ready to be
    fitted on all rows (with any calibration learned out of fold)."""

    name: str
    sector_model: Any
    themes_model: Any
    sector_proba: np.ndarray
    theme_proba: np.ndarray
    thresholds: np.ndarray
    pooling: float
    metrics: dict[str, Any]

    @property
    def selection_score(self) -> float:
        """What the candidates are ranked by: the mean of sector macro-F1 and theme micro- and macro-F1."""
        m = self.metrics
        return (m["sector_macro_f1"] + m["themes_micro_f1"] + m["themes_macro_f1"]) / 3


@dataclass
class TrainingResult:
    """The fitted classifier and what the report needs about how it was chosen."""

    classifier: ComplaintClassifier
    chosen: OutOfFold
    candidates: list[OutOfFold]
    sector_true: np.ndarray
    themes_true: np.ndarray


# One cross-validation fold's feature matrices: its training rows', then its test rows'.
FoldMatrices = Sequence[Any]


def encode(data: LabelledData, taxonomy: Taxonomy) -> tuple[np.ndarray, np.ndarray]:
    """Sector ids as an array and themes as an indicator matrix in taxonomy order."""
    binarizer = MultiLabelBinarizer(classes=taxonomy.theme_ids)
    return np.asarray(data.sectors), binarizer.fit_transform(data.themes)


def fitted(estimator: Any, matrix: Any, targets: np.ndarray | None) -> Any:
    """``estimator`` fitted on ``matrix`` and ``targets`` (for running fits side by side)."""
    return estimator.fit(matrix, targets)


def fit_sector(
    estimator: Any, matrices: FoldMatrices, sectors: np.ndarray, sector_labels: list[str], train: np.ndarray
) -> np.ndarray:
    """Fit a sector estimator's fold model on one fold's training rows; scores for its test rows, one
    column per ``sector_labels`` (see fold_scores). A sector missing from the fold's training rows gets
    probability 0, or decision value -inf, so that columns line up."""
    train_matrix, test_matrix = matrices
    sector = clone(fold_model(estimator)).fit(train_matrix, sectors[train])
    missing = 0.0 if decision_model(estimator) is None else -np.inf
    scores = np.full((test_matrix.shape[0], len(sector_labels)), missing)
    columns = [sector_labels.index(label) for label in sector.classes_]
    scores[:, columns] = fold_scores(estimator, sector, test_matrix)
    return scores


def fit_themes(estimator: Any, matrices: FoldMatrices, themes: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Fit a themes estimator's fold model on one fold's training rows; scores for its test rows, one
    column per theme (see fold_scores)."""
    train_matrix, test_matrix = matrices
    model = clone(fold_model(estimator)).fit(train_matrix, themes[train])
    return as_label_probabilities(fold_scores(estimator, model, test_matrix))


def out_of_fold(
    candidates: list[Candidate],
    fold_matrices: dict[str, list[FoldMatrices]],
    sectors: np.ndarray,
    themes: np.ndarray,
    sector_labels: list[str],
    folds: list[tuple[np.ndarray, np.ndarray]],
    jobs: int,
) -> list[OutOfFold]:
    """Cross-validated probabilities and scores of each candidate (thresholds tuned on the same folds);
    ``fold_matrices`` holds each fold's matrices by the repr of the candidate's features.

    The sector and themes models of every candidate and fold are fitted as separate jobs of one pool, the
    longer themes fits first: the short sector fits fill in at the end, and no process waits for another's
    last fold between candidates.
    """
    work = [
        (candidate, matrices, train)
        for candidate in candidates
        for matrices, (train, _) in zip(fold_matrices[repr(candidate.features)], folds, strict=True)
    ]
    results = Parallel(n_jobs=jobs)(
        [
            delayed(fit_themes)(candidate.themes, matrices, themes, train)
            for candidate, matrices, train in work
        ]
        + [
            delayed(fit_sector)(candidate.sector, matrices, sectors, sector_labels, train)
            for candidate, matrices, train in work
        ]
    )
    theme_results, sector_results = results[: len(work)], results[len(work) :]
    sector_truth = (sectors[:, None] == np.asarray(sector_labels)[None, :]).astype(int)
    scored = []
    for number, candidate in enumerate(candidates):
        sector_scores = np.zeros((len(sectors), len(sector_labels)))
        theme_scores = np.zeros(themes.shape)
        first = number * len(folds)
        for fold, (_, test) in enumerate(folds):
            sector_scores[test] = sector_results[first + fold]
            theme_scores[test] = theme_results[first + fold]
        sector_model, sector_proba = calibrated_out_of_fold(
            candidate.sector, sector_scores, sector_truth, single_label=True
        )
        themes_model, theme_proba = calibrated_out_of_fold(
            candidate.themes, theme_scores, themes, single_label=False
        )
        pooling = choose_pooling(themes, theme_proba)
        thresholds = tune_thresholds(themes, theme_proba, pool=pooling)
        sector_pred = np.asarray(sector_labels)[np.argmax(sector_proba, axis=1)]
        metrics = headline_metrics(sectors, sector_pred, themes, apply_thresholds(theme_proba, thresholds))
        scored.append(
            OutOfFold(
                candidate.name,
                sector_model,
                themes_model,
                sector_proba,
                theme_proba,
                thresholds,
                pooling,
                metrics,
            )
        )
    return scored


def review_threshold(
    confidence: np.ndarray, correct: np.ndarray, target: float = REVIEW_TARGET_PRECISION
) -> float:
    """The lowest grid probability above which predictions are right at least ``target`` of the time."""
    for threshold in THRESHOLD_GRID:
        kept = confidence >= threshold
        if kept.any() and correct[kept].mean() >= target:
            return float(threshold)
    return float(THRESHOLD_GRID[-1])


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries a model depends on."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def min_label_examples(folds: int) -> int:
    """Fewest rows each sector and theme in the data needs for ``folds``-fold cross-validation."""
    return max(MIN_LABEL_EXAMPLES, folds)


def train(
    data: LabelledData,
    taxonomy: Taxonomy,
    seed: int = 42,
    folds: int = 5,
    candidates: list[str] | None = None,
    jobs: int = 2,
    progress: Callable[[str], None] = lambda message: None,
) -> TrainingResult:
    """Compare candidates by ``folds``-fold cross-validation, then fit the best one on all of ``data``.

    Deterministic for the same data and seed. ``progress`` receives one line per step. Raises DataError,
    naming them, when a sector or theme labels fewer rows than min_label_examples(folds), or when
    every row has the same sector.
    """
    require_learnable_labels(data, min_label_examples(folds))
    texts = np.asarray(data.texts, dtype=object)
    sectors, themes = encode(data, taxonomy)
    sector_labels = sorted(set(data.sectors))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold_indices = list(splitter.split(texts, sectors))
    built = {made.name: made for made in (CANDIDATES[key](seed) for key in candidates or list(CANDIDATES))}
    progress(f"cross-validating {len(built)} candidates on {len(texts)} rows ({folds} folds)")
    started = time.perf_counter()
    # Every distinct TF-IDF step counts the texts once; candidates with the same features share their folds.
    steps = {repr(step): step for made in built.values() for step in feature_steps(made.features)}
    counted = Parallel(n_jobs=jobs)(delayed(count_all)(step, texts) for step in steps.values())
    counts = dict(zip(steps, counted, strict=True))
    distinct_features = {repr(made.features): made.features for made in built.values()}
    fold_matrices = {
        key: [feature_matrices(features, counts, train, test) for train, test in fold_indices]
        for key, features in distinct_features.items()
    }
    scored = out_of_fold(
        list(built.values()), fold_matrices, sectors, themes, sector_labels, fold_indices, jobs
    )
    for result in scored:
        progress(f"  {result.name}: " + ", ".join(f"{k}={v}" for k, v in result.metrics.items() if k != "n"))
    progress(f"cross-validated in {time.perf_counter() - started:.0f} s")
    chosen = max(scored, key=lambda result: result.selection_score)
    progress(f"chose {chosen.name}; fitting on all {len(texts)} rows")

    candidate = built[chosen.name]
    # The models learn from the counted matrix while the feature step is fitted beside them, for saving.
    (matrix,) = feature_matrices(candidate.features, counts, np.arange(len(texts)))
    themes_model, features, sector_model = Parallel(n_jobs=jobs)(
        [
            delayed(fitted)(
                ThresholdedMultiLabel(clone(chosen.themes_model), thresholds=chosen.thresholds),
                matrix,
                themes,
            ),
            delayed(fitted)(clone(candidate.features), texts, None),
            delayed(fitted)(clone(chosen.sector_model), matrix, sectors),
        ]
    )
    features = compact_fitted_features(features)

    sector_correct = np.asarray(sector_labels)[np.argmax(chosen.sector_proba, axis=1)] == sectors
    theme_correct = best_theme_correct(themes, chosen.theme_proba)
    review = ReviewThresholds(
        sector=review_threshold(chosen.sector_proba.max(axis=1), sector_correct),
        theme=review_threshold(chosen.theme_proba.max(axis=1), theme_correct),
    )
    flagged = review.flags(chosen.sector_proba, chosen.theme_proba)
    card = {
        "name": "complaints",
        "sector_labels": list(sector_model.classes_),
        "theme_labels": taxonomy.theme_ids,
        "taxonomy": taxonomy.to_dict(),
        "thresholds": {
            theme: float(t) for theme, t in zip(taxonomy.theme_ids, chosen.thresholds, strict=True)
        },
        "threshold_pooling": chosen.pooling,
        "review_thresholds": {"sector": review.sector, "theme": review.theme},
        "pipeline": chosen.name,
        "cross_validation": {
            "folds": folds,
            "chosen": chosen.metrics,
            "candidates": {result.name: result.metrics for result in scored},
            "calibration": sector_and_theme_calibration(
                chosen.sector_proba, sector_correct, chosen.theme_proba, themes
            ),
            "review": review_outcome(flagged, sector_correct, theme_correct),
        },
        "training_rows": len(texts),
        "training_data_sha256": data.sha256(),
        "seed": seed,
        "libraries": library_versions(),
        "created": dt.date.today().isoformat(),
    }
    classifier = ComplaintClassifier(
        features=features,
        sector_model=sector_model,
        themes_model=themes_model,
        sector_labels=list(sector_model.classes_),
        theme_labels=taxonomy.theme_ids,
        review=review,
        card=card,
    )
    return TrainingResult(classifier, chosen, scored, sectors, themes)


def cross_validation_details(result: TrainingResult) -> dict[str, Any]:
    """Per-label tables, the sector confusion matrix, the most common errors and the reliability of the
    probabilities (the best sector's, and every theme's), all out of fold."""
    chosen = result.chosen
    labels = result.classifier.sector_labels
    sector_pred = np.asarray(labels)[np.argmax(chosen.sector_proba, axis=1)]
    theme_pred = apply_thresholds(chosen.theme_proba, chosen.thresholds)
    sector_truth = (result.sector_true[:, None] == np.asarray(labels)[None, :]).astype(int)
    sector_indicator = (sector_pred[:, None] == np.asarray(labels)[None, :]).astype(int)
    confusion = sector_confusion(result.sector_true, sector_pred, labels)
    themes = result.classifier.theme_labels
    return {
        "sector_table": per_label_table(sector_truth, sector_indicator, labels),
        "theme_table": per_label_table(result.themes_true, theme_pred, themes),
        "confusion": confusion,
        "most_confused": most_confused(confusion, labels, result.themes_true, theme_pred, themes),
        "sector_reliability": reliability_table(
            chosen.sector_proba.max(axis=1), (sector_pred == result.sector_true).astype(int)
        ),
        "theme_reliability": reliability_table(chosen.theme_proba.ravel(), result.themes_true.ravel()),
    }
