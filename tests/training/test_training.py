"""Training: candidates compared by cross-validation, the chosen one fitted, carded, saved and loaded back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer

from models.classifier import ComplaintClassifier, Prediction
from models.store import CARD_FILE, ESTIMATORS_FILE, ModelLoadError, load_classifier, save_classifier
from models.taxonomy import Taxonomy
from training.candidates import CANDIDATES
from training.data import DataError, LabelledData
from training.fit import (
    MIN_LABEL_EXAMPLES,
    THRESHOLD_GRID,
    TrainingResult,
    cross_validation_details,
    min_label_examples,
    train,
)

UNSEEN_TEXTS = {
    "nhs_hospital": "the consultant cancelled my scan and the ward nurse never came",
    "tax_revenue": "hmrc sent a penalty and my refund and taxcode are wrong",
    "immigration_borders": "my visa and passport were held at the border by the embassy",
}


class Smuggled:
    """A type that no model directory should be allowed to bring in."""

    def __init__(self) -> None:
        self.payload = "anything"


# --- the trained classifier ---------------------------------------------------------------------------


def test_every_prediction_has_a_sector_at_least_one_theme_and_a_review_flag(
    trained: TrainingResult, tiny_data: LabelledData, taxonomy: Taxonomy
) -> None:
    predictions = trained.classifier.predict([*tiny_data.texts, "", "an unrelated sentence about gardening"])

    assert len(predictions) == len(tiny_data) + 2
    for prediction in predictions:
        assert isinstance(prediction, Prediction)
        assert prediction.sector.label in taxonomy.sector_ids
        assert 0.0 <= prediction.sector.probability <= 1.0
        assert len(prediction.themes) >= 1
        assert {theme.label for theme in prediction.themes} <= set(taxonomy.theme_ids)
        assert isinstance(prediction.needs_review, bool)


def test_the_classifier_learns_the_sectors_of_texts_it_has_not_seen(trained: TrainingResult) -> None:
    predictions = trained.classifier.predict(list(UNSEEN_TEXTS.values()))

    assert [prediction.sector.label for prediction in predictions] == list(UNSEEN_TEXTS)


def test_themes_are_ordered_by_probability_and_alternatives_follow_the_sector(
    trained: TrainingResult,
) -> None:
    prediction = trained.classifier.predict(["hmrc refund penalty unanswered letters"])[0]

    probabilities = [theme.probability for theme in prediction.themes]
    assert probabilities == sorted(probabilities, reverse=True)
    assert {theme.label for theme in prediction.themes} == {"tax_and_credits", "communication"}
    assert [alternative.label for alternative in prediction.alternatives] != []
    assert prediction.sector.label not in {alternative.label for alternative in prediction.alternatives}
    assert all(a.probability <= prediction.sector.probability for a in prediction.alternatives)


def test_no_texts_give_no_predictions(trained: TrainingResult) -> None:
    assert trained.classifier.predict([]) == []


def test_only_the_requested_candidate_is_cross_validated(trained: TrainingResult) -> None:
    assert [candidate.name for candidate in trained.candidates] == ["tfidf_word_char_logreg"]
    assert trained.chosen.name == "tfidf_word_char_logreg"


def test_cross_validation_on_learnable_data_scores_well(trained: TrainingResult) -> None:
    metrics = trained.chosen.metrics

    assert metrics["n"] == 60
    assert metrics["sector_accuracy"] >= 0.9
    assert metrics["themes_micro_f1"] >= 0.9


def test_out_of_fold_probabilities_cover_every_row(trained: TrainingResult, tiny_data: LabelledData) -> None:
    assert trained.chosen.sector_proba.shape == (len(tiny_data), 3)
    assert trained.chosen.theme_proba.shape == (len(tiny_data), 4)
    np.testing.assert_allclose(trained.chosen.sector_proba.sum(axis=1), 1.0)


def test_cross_validation_details_give_tables_a_confusion_matrix_and_errors(trained: TrainingResult) -> None:
    details = cross_validation_details(trained)

    assert [row["label"] for row in details["sector_table"]] == trained.classifier.sector_labels
    assert [row["label"] for row in details["theme_table"]] == trained.classifier.theme_labels
    assert details["confusion"].shape == (3, 3)
    assert details["confusion"].sum() == 60
    assert isinstance(details["most_confused"], list)


def test_cross_validation_details_give_reliability_tables_of_every_out_of_fold_probability(
    trained: TrainingResult,
) -> None:
    details = cross_validation_details(trained)

    assert sum(row["n"] for row in details["sector_reliability"]) == 60
    assert sum(row["n"] for row in details["theme_reliability"]) == 60 * 4


# --- the model card -----------------------------------------------------------------------------------


def test_the_card_holds_the_labels_and_the_taxonomy(trained: TrainingResult, taxonomy: Taxonomy) -> None:
    card = trained.classifier.card

    assert card["sector_labels"] == sorted(taxonomy.sector_ids)
    assert card["theme_labels"] == taxonomy.theme_ids
    assert Taxonomy.from_dict(card["taxonomy"]) == taxonomy


def test_the_card_holds_one_threshold_per_theme_as_the_model_applies_them(
    trained: TrainingResult,
) -> None:
    thresholds = trained.classifier.card["thresholds"]

    assert list(thresholds) == trained.classifier.theme_labels
    assert all(min(THRESHOLD_GRID) <= t <= max(THRESHOLD_GRID) for t in thresholds.values())
    assert list(thresholds.values()) == trained.classifier.themes_model.thresholds_.tolist()


def test_the_card_holds_the_review_thresholds_the_classifier_uses(trained: TrainingResult) -> None:
    review = trained.classifier.card["review_thresholds"]

    assert review == {"sector": trained.classifier.review.sector, "theme": trained.classifier.review.theme}
    assert all(0.0 < value < 1.0 for value in review.values())


def test_the_card_holds_the_calibration_of_the_out_of_fold_probabilities(trained: TrainingResult) -> None:
    calibration = trained.classifier.card["cross_validation"]["calibration"]

    assert set(calibration) == {"sector", "themes"}
    for scores in calibration.values():
        assert set(scores) == {"brier", "ece"}
        assert all(0.0 <= value <= 1.0 for value in scores.values())


def test_the_card_holds_the_share_of_out_of_fold_predictions_the_classifier_would_flag(
    trained: TrainingResult,
) -> None:
    review = trained.classifier.card["cross_validation"]["review"]
    _, _, flagged = trained.classifier.decide(trained.chosen.sector_proba, trained.chosen.theme_proba)

    assert review["flagged_share"] == pytest.approx(flagged.mean(), abs=1e-4)
    assert review["unflagged_sector_accuracy"] is None or review["unflagged_sector_accuracy"] >= 0.95


def test_the_card_holds_the_cross_validated_metrics(trained: TrainingResult) -> None:
    cross_validation = trained.classifier.card["cross_validation"]

    assert cross_validation["folds"] == 3
    assert cross_validation["chosen"] == trained.chosen.metrics
    assert set(cross_validation["chosen"]) == {
        "n",
        "sector_accuracy",
        "sector_macro_f1",
        "themes_micro_f1",
        "themes_macro_f1",
    }
    assert list(cross_validation["candidates"]) == ["tfidf_word_char_logreg"]
    assert trained.classifier.card["pipeline"] == "tfidf_word_char_logreg"


def test_the_card_holds_the_training_data_hash_libraries_and_seed(
    trained: TrainingResult, tiny_data: LabelledData, seed: int
) -> None:
    card = trained.classifier.card

    assert card["training_data_sha256"] == tiny_data.sha256()
    assert card["training_rows"] == len(tiny_data)
    assert card["seed"] == seed
    assert {"python", "scikit-learn", "skops", "numpy", "scipy"} <= set(card["libraries"])
    assert all(isinstance(version, str) and version for version in card["libraries"].values())


def test_the_card_is_plain_json(trained: TrainingResult) -> None:
    card = trained.classifier.card

    assert json.loads(json.dumps(card)) == card


# --- comparing the candidates -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def screened(tiny_data: LabelledData, taxonomy: Taxonomy, seed: int) -> TrainingResult:
    """All three candidates compared on 2 of 3 folds, the best then cross-validated on all 3."""
    return train(tiny_data, taxonomy, seed=seed, folds=3, screening_folds=2, jobs=1)


def test_every_candidate_is_compared_on_the_same_screening_folds(screened: TrainingResult) -> None:
    compared_rows = {candidate.metrics["n"] for candidate in screened.candidates}

    assert len(screened.candidates) == 3
    assert compared_rows == {40}
    assert screened.classifier.card["cross_validation"]["screening_folds"] == 2


def test_the_best_screened_candidate_is_chosen_and_cross_validated_on_every_fold(
    screened: TrainingResult, tiny_data: LabelledData
) -> None:
    best = max(screened.candidates, key=lambda candidate: candidate.selection_score)
    cross_validation = screened.classifier.card["cross_validation"]

    assert screened.chosen.name == best.name == screened.classifier.card["pipeline"]
    assert screened.chosen.metrics["n"] == len(tiny_data)
    assert screened.chosen.sector_proba.shape[0] == len(tiny_data)
    assert cross_validation["chosen"] == screened.chosen.metrics
    assert cross_validation["candidates"] == {c.name: c.metrics for c in screened.candidates}


def test_the_chosen_candidate_scores_as_it_does_when_cross_validated_alone(
    screened: TrainingResult, tiny_data: LabelledData, taxonomy: Taxonomy, seed: int
) -> None:
    (key,) = [key for key, make in CANDIDATES.items() if make(seed).name == screened.chosen.name]

    alone = train(tiny_data, taxonomy, seed=seed, folds=3, candidates=[key], jobs=1)

    assert alone.chosen.metrics == screened.chosen.metrics
    np.testing.assert_array_equal(alone.chosen.theme_proba, screened.chosen.theme_proba)
    np.testing.assert_array_equal(alone.chosen.thresholds, screened.chosen.thresholds)


def test_screening_on_as_many_folds_as_there_are_compares_on_every_fold(
    tiny_data: LabelledData, taxonomy: Taxonomy, seed: int
) -> None:
    result = train(
        tiny_data, taxonomy, seed=seed, folds=3, candidates=["cnb", "logreg"], screening_folds=5, jobs=1
    )

    assert {candidate.metrics["n"] for candidate in result.candidates} == {len(tiny_data)}
    assert result.chosen in result.candidates
    assert result.classifier.card["cross_validation"]["screening_folds"] == 3


def test_a_single_candidate_is_cross_validated_on_every_fold(trained: TrainingResult) -> None:
    assert trained.classifier.card["cross_validation"]["screening_folds"] == 3
    assert trained.candidates == [trained.chosen]


# --- too few rows to learn from -----------------------------------------------------------------------


def with_rows_of_sector(data: LabelledData, sector: str, count: int) -> LabelledData:
    """``data`` with only the first ``count`` rows of ``sector`` (each also carries the sector's theme)."""
    rows = [i for i, label in enumerate(data.sectors) if label == sector]
    return data.subset(sorted(set(range(len(data))) - set(rows[count:])))


def test_a_sector_and_a_theme_with_too_few_rows_are_refused_by_name_before_any_fitting(
    tiny_data: LabelledData, taxonomy: Taxonomy
) -> None:
    scarce = with_rows_of_sector(tiny_data, "immigration_borders", MIN_LABEL_EXAMPLES - 1)

    with pytest.raises(DataError) as refused:
        train(scarce, taxonomy, folds=3, jobs=1)

    message = str(refused.value)
    assert "sector 'immigration_borders' (9)" in message
    assert "theme 'immigration_status' (9)" in message
    assert f"at least {MIN_LABEL_EXAMPLES}" in message
    assert "tax_revenue" not in message


def test_rows_of_a_single_sector_are_refused(tiny_data: LabelledData, taxonomy: Taxonomy) -> None:
    hospital = [i for i, label in enumerate(tiny_data.sectors) if label == "nhs_hospital"]

    with pytest.raises(DataError, match="every row has the same sector"):
        train(tiny_data.subset(hospital), taxonomy, folds=3, jobs=1)


def test_every_candidate_trains_on_labels_with_the_fewest_rows_allowed(
    tiny_data: LabelledData, taxonomy: Taxonomy
) -> None:
    scarce = with_rows_of_sector(tiny_data, "immigration_borders", MIN_LABEL_EXAMPLES)

    result = train(scarce, taxonomy, folds=5, jobs=1)

    assert {candidate.name for candidate in result.candidates} == {
        "tfidf_word_char_logreg",
        "tfidf_word_char_svm_calibrated",
        "tfidf_word_complement_nb",
    }


def test_more_folds_than_the_minimum_need_a_row_per_fold() -> None:
    assert min_label_examples(5) == MIN_LABEL_EXAMPLES
    assert min_label_examples(MIN_LABEL_EXAMPLES + 5) == MIN_LABEL_EXAMPLES + 5


# --- reproducibility ----------------------------------------------------------------------------------


def test_the_same_data_and_seed_give_byte_identical_cross_validation(
    trained: TrainingResult, tiny_data: LabelledData, taxonomy: Taxonomy, seed: int
) -> None:
    again = train(tiny_data, taxonomy, seed=seed, folds=3, candidates=["logreg"], jobs=1)

    first = json.dumps(trained.classifier.card["cross_validation"], sort_keys=True)
    second = json.dumps(again.classifier.card["cross_validation"], sort_keys=True)
    assert first == second
    assert again.classifier.card["thresholds"] == trained.classifier.card["thresholds"]
    np.testing.assert_array_equal(again.chosen.theme_proba, trained.chosen.theme_proba)


# --- saving and loading -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saved_model(trained: TrainingResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trained classifier saved into a directory of its own."""
    directory = tmp_path_factory.mktemp("model")
    save_classifier(trained.classifier, directory)
    return directory


def test_saving_writes_the_skops_file_and_the_card(saved_model: Path, trained: TrainingResult) -> None:
    assert (saved_model / ESTIMATORS_FILE).is_file()
    assert json.loads((saved_model / CARD_FILE).read_text(encoding="utf-8")) == trained.classifier.card


def test_a_loaded_classifier_gives_identical_probabilities(
    saved_model: Path, trained: TrainingResult, tiny_data: LabelledData
) -> None:
    texts = [*tiny_data.texts, *UNSEEN_TEXTS.values()]

    loaded = load_classifier(saved_model)

    for original, reloaded in zip(
        trained.classifier.probabilities(texts), loaded.probabilities(texts), strict=True
    ):
        np.testing.assert_array_equal(original, reloaded)


def test_a_loaded_classifier_keeps_its_labels_review_thresholds_and_card(
    saved_model: Path, trained: TrainingResult
) -> None:
    loaded = load_classifier(saved_model)

    assert isinstance(loaded, ComplaintClassifier)
    assert loaded.sector_labels == trained.classifier.sector_labels
    assert loaded.theme_labels == trained.classifier.theme_labels
    assert loaded.review == trained.classifier.review
    assert loaded.card == trained.classifier.card
    texts = list(UNSEEN_TEXTS.values())
    assert [p.to_dict() for p in loaded.predict(texts)] == [
        p.to_dict() for p in trained.classifier.predict(texts)
    ]


def test_the_card_lists_the_types_in_the_skops_file_and_a_card_without_them_still_loads(
    tmp_path: Path, saved_model: Path
) -> None:
    card = json.loads((saved_model / CARD_FILE).read_text(encoding="utf-8"))
    assert sorted(sio.get_untrusted_types(file=saved_model / ESTIMATORS_FILE)) == card.pop("skops_types")
    (tmp_path / ESTIMATORS_FILE).write_bytes((saved_model / ESTIMATORS_FILE).read_bytes())
    (tmp_path / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")

    assert load_classifier(tmp_path).sector_labels == load_classifier(saved_model).sector_labels


def test_a_directory_without_a_card_is_refused(tmp_path: Path, saved_model: Path) -> None:
    (tmp_path / ESTIMATORS_FILE).write_bytes((saved_model / ESTIMATORS_FILE).read_bytes())

    with pytest.raises(ModelLoadError, match=CARD_FILE):
        load_classifier(tmp_path)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError):
        load_classifier(tmp_path / "nowhere")


def test_a_directory_with_a_card_but_no_estimators_is_refused(tmp_path: Path, saved_model: Path) -> None:
    (tmp_path / CARD_FILE).write_text((saved_model / CARD_FILE).read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(ModelLoadError, match=ESTIMATORS_FILE):
        load_classifier(tmp_path)


def test_a_card_that_is_not_json_is_refused(tmp_path: Path, saved_model: Path) -> None:
    (tmp_path / ESTIMATORS_FILE).write_bytes((saved_model / ESTIMATORS_FILE).read_bytes())
    (tmp_path / CARD_FILE).write_text("{not json", encoding="utf-8")

    with pytest.raises(ModelLoadError):
        load_classifier(tmp_path)


def test_a_skops_file_holding_an_untrusted_type_is_refused(
    tmp_path: Path, saved_model: Path, trained: TrainingResult
) -> None:
    bundle = {"features": Smuggled(), "sector": trained.classifier.sector_model, "themes": Smuggled()}
    sio.dump(bundle, tmp_path / ESTIMATORS_FILE)
    (tmp_path / CARD_FILE).write_text((saved_model / CARD_FILE).read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(ModelLoadError, match=r"Smuggled"):
        load_classifier(tmp_path)


@pytest.mark.parametrize("dangerous", [eval, exec, open], ids=["eval", "exec", "open"])
def test_a_skops_file_referring_to_a_dangerous_builtin_is_refused(
    tmp_path: Path, saved_model: Path, trained: TrainingResult, dangerous
) -> None:
    # A vectoriser calls its analyzer on every text it transforms: here that would run the complaint text.
    features = TfidfVectorizer(analyzer=dangerous)
    bundle = {
        "features": features,
        "sector": trained.classifier.sector_model,
        "themes": trained.classifier.themes_model,
    }
    sio.dump(bundle, tmp_path / ESTIMATORS_FILE)
    (tmp_path / CARD_FILE).write_text((saved_model / CARD_FILE).read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(ModelLoadError, match=dangerous.__name__):
        load_classifier(tmp_path)
