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
# Folds the candidates are compared on before the best is cross-validated on the rest (see cross_validate).
# On the 16,896 samples, 2 of 5 folds ranked the three candidates as all 5 did and chose the same model, and
# training took 88 s instead of 120: logistic regression's other three folds were a third of the time.
SCREENING_FOLDS = 2
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
    def scores_line(self) -> str:
        """The name and scores, for progress lines."""
        return f"{self.name}: " + ", ".join(f"{k}={v}" for k, v in self.metrics.items() if k != "n")

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


@dataclass(frozen=True)
class Targets:
    """What the models learn, row by row: sector ids, the theme indicator matrix (taxonomy order), and the
    sectors present, sorted (the order of sector columns)."""

    sectors: np.ndarray
    themes: np.ndarray
    sector_labels: list[str]


# One cross-validation fold's feature matrices: its training rows', then its test rows'.
FoldMatrices = Sequence[Any]
# One fold's raw scores of one candidate for the fold's test rows: sector columns, then theme columns.
FoldScores = tuple[np.ndarray, np.ndarray]


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


def fold_results(
    candidates: list[Candidate],
    counts: dict[str, Any],
    targets: Targets,
    folds: list[tuple[np.ndarray, np.ndarray]],
    jobs: int,
) -> dict[str, list[FoldScores]]:
    """Each candidate's raw scores for the test rows of each of ``folds``, by candidate name, fold by fold;
    its features' matrices come from ``counts`` (``count_all``'s, by the repr of each TF-IDF step).

    The sector and themes models of every candidate and fold are fitted as separate jobs of one pool, the
    longer themes fits first: the short sector fits fill in at the end, and no process waits for another's
    last fold between candidates. Candidates with the same features share their fold matrices.
    """
    distinct_features = {repr(candidate.features): candidate.features for candidate in candidates}
    fold_matrices = {
        key: [feature_matrices(features, counts, train, test) for train, test in folds]
        for key, features in distinct_features.items()
    }
    work = [
        (candidate, matrices, train)
        for candidate in candidates
        for matrices, (train, _) in zip(fold_matrices[repr(candidate.features)], folds, strict=True)
    ]
    results = Parallel(n_jobs=jobs)(
        [
            delayed(fit_themes)(candidate.themes, matrices, targets.themes, train)
            for candidate, matrices, train in work
        ]
        + [
            delayed(fit_sector)(candidate.sector, matrices, targets.sectors, targets.sector_labels, train)
            for candidate, matrices, train in work
        ]
    )
    theme_results, sector_results = results[: len(work)], results[len(work) :]
    return {
        candidate.name: [
            (sector_results[number * len(folds) + fold], theme_results[number * len(folds) + fold])
            for fold in range(len(folds))
        ]
        for number, candidate in enumerate(candidates)
    }


def scored_out_of_fold(
    candidate: Candidate,
    results: list[FoldScores],
    targets: Targets,
    folds: list[tuple[np.ndarray, np.ndarray]],
) -> OutOfFold:
    """A candidate's calibrated probabilities, tuned thresholds and scores over the test rows of ``folds``
    (in row order), from its ``results`` for those folds (``fold_results``')."""
    sectors, themes, sector_labels = targets.sectors, targets.themes, targets.sector_labels
    rows = np.sort(np.concatenate([test for _, test in folds]))
    sector_scores = np.zeros((len(sectors), len(sector_labels)))
    theme_scores = np.zeros(themes.shape)
    for (_, test), (sector_result, theme_result) in zip(folds, results, strict=True):
        sector_scores[test] = sector_result
        theme_scores[test] = theme_result
    sector_truth = (sectors[rows, None] == np.asarray(sector_labels)[None, :]).astype(int)
    sector_model, sector_proba = calibrated_out_of_fold(
        candidate.sector, sector_scores[rows], sector_truth, single_label=True
    )
    themes_model, theme_proba = calibrated_out_of_fold(
        candidate.themes, theme_scores[rows], themes[rows], single_label=False
    )
    pooling = choose_pooling(themes[rows], theme_proba)
    thresholds = tune_thresholds(themes[rows], theme_proba, pool=pooling)
    sector_pred = np.asarray(sector_labels)[np.argmax(sector_proba, axis=1)]
    metrics = headline_metrics(
        sectors[rows], sector_pred, themes[rows], apply_thresholds(theme_proba, thresholds)
    )
    return OutOfFold(
        candidate.name, sector_model, themes_model, sector_proba, theme_proba, thresholds, pooling, metrics
    )


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


def cross_validate(
    candidates: list[Candidate],
    counts: dict[str, Any],
    targets: Targets,
    folds: list[tuple[np.ndarray, np.ndarray]],
    screening: int,
    jobs: int,
    progress: Callable[[str], None],
) -> tuple[list[OutOfFold], OutOfFold]:
    """Every candidate scored on the first ``screening`` of ``folds``, then the best of them (by selection
    score) on all of ``folds``: the candidates' results on the same rows, and the chosen one's on every
    row. With as many screening folds as folds, both cover every row.

    Screening saves the runners-up their remaining folds, most of the cost of cross-validation.
    """
    screening_folds = folds[:screening]
    screened_rows = sum(len(test) for _, test in screening_folds)
    if screening == len(folds):
        progress(f"cross-validating {len(candidates)} candidates on {screened_rows} rows ({screening} folds)")
    else:
        progress(
            f"comparing {len(candidates)} candidates on {screening} of {len(folds)} folds ({screened_rows} rows)"
        )
    results = fold_results(candidates, counts, targets, screening_folds, jobs)
    compared = [
        scored_out_of_fold(candidate, results[candidate.name], targets, screening_folds)
        for candidate in candidates
    ]
    for result in compared:
        progress(f"  {result.scores_line}")
    best = max(compared, key=lambda result: result.selection_score)
    if screening == len(folds):
        progress(f"chose {best.name}")
        return compared, best
    candidate = candidates[compared.index(best)]
    progress(f"chose {best.name}; cross-validating it on the other {len(folds) - screening} folds")
    rest = fold_results([candidate], counts, targets, folds[screening:], jobs)
    chosen = scored_out_of_fold(candidate, results[best.name] + rest[best.name], targets, folds)
    progress(f"  {chosen.scores_line}")
    return compared, chosen


def train(
    data: LabelledData,
    taxonomy: Taxonomy,
    seed: int = 42,
    folds: int = 5,
    candidates: list[str] | None = None,
    jobs: int = 2,
    screening_folds: int = SCREENING_FOLDS,
    progress: Callable[[str], None] = lambda message: None,
) -> TrainingResult:
    """Compare candidates by cross-validation on ``screening_folds`` of ``folds`` folds, cross-validate
    the best on all of them (for its thresholds, calibration and scores), then fit it on all of ``data``.

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
    started = time.perf_counter()
    # Every distinct TF-IDF step counts the texts once; candidates with the same features share their folds.
    steps = {repr(step): step for made in built.values() for step in feature_steps(made.features)}
    counted = Parallel(n_jobs=jobs)(delayed(count_all)(step, texts) for step in steps.values())
    counts = dict(zip(steps, counted, strict=True))
    screening = min(screening_folds, folds) if len(built) > 1 else folds
    targets = Targets(sectors, themes, sector_labels)
    compared, chosen = cross_validate(
        list(built.values()), counts, targets, fold_indices, screening, jobs, progress
    )
    progress(f"cross-validated in {time.perf_counter() - started:.0f} s")
    progress(f"fitting {chosen.name} on all {len(texts)} rows")

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
            "screening_folds": screening,
            "chosen": chosen.metrics,
            "candidates": {result.name: result.metrics for result in compared},
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
    return TrainingResult(classifier, chosen, compared, sectors, themes)


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
