"""The shipped samples: the default taxonomy, the labelled complaints, and the model trained on them."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from models.locations import DEFAULT_MODEL_DIR
from models.store import CARD_FILE
from models.taxonomy import Taxonomy
from training.cli import DEFAULT_DATA, DEFAULT_TAXONOMY
from training.data import load_labelled

SECTORS = [
    "nhs_hospital", "nhs_mental_health", "nhs_primary_care", "nhs_community_ambulance", "nhs_commissioning",
    "benefits_pensions", "child_maintenance", "tax_revenue", "immigration_borders", "consular_overseas",
    "justice_courts", "other_government",
]  # fmt: skip
THEMES = [
    "mental_health", "child_support", "cancer_care", "delayed_diagnosis", "maternity_care", "end_of_life_care",
    "medication", "discharge_planning", "clinical_care_standard", "safeguarding", "continuing_healthcare",
    "benefit_entitlement", "tax_and_credits", "immigration_status", "consular_support", "administrative_delay",
    "communication", "complaint_handling", "record_keeping", "reasonable_adjustments",
]  # fmt: skip

INDEPENDENT = DEFAULT_DATA.parent / "independent" / "complaints.jsonl"
MIN_ROWS = 720
MIN_PER_SECTOR = 45
MIN_PER_THEME = 30
MIN_WORDS, MAX_WORDS = 20, 400
MIN_MULTI_THEME_SHARE = 0.40
MIN_HARD_SHARE = 1 / 3
SHINGLE_WORDS = 8
MAX_RECORDS_PER_SHINGLE = 6


@pytest.fixture(scope="module")
def sample_taxonomy() -> Taxonomy:
    return Taxonomy.load(DEFAULT_TAXONOMY)


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    """Every line of the shipped complaints file, as written."""
    lines = DEFAULT_DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_sample_paths_are_the_training_defaults() -> None:
    root = Path(__file__).resolve().parents[2]

    assert root / "data" / "samples" / "complaints.jsonl" == DEFAULT_DATA
    assert root / "data" / "samples" / "taxonomy.json" == DEFAULT_TAXONOMY


# --- taxonomy -----------------------------------------------------------------------------------------


def test_the_taxonomy_has_the_twelve_sectors_in_order(sample_taxonomy: Taxonomy) -> None:
    assert sample_taxonomy.sector_ids == SECTORS


def test_the_taxonomy_has_the_twenty_themes_in_order(sample_taxonomy: Taxonomy) -> None:
    assert sample_taxonomy.theme_ids == THEMES


def test_every_label_is_described(sample_taxonomy: Taxonomy) -> None:
    assert all(label.description.strip() for label in (*sample_taxonomy.sectors, *sample_taxonomy.themes))


# --- complaints ---------------------------------------------------------------------------------------


def test_every_record_loads_with_valid_labels(
    records: list[dict[str, Any]], sample_taxonomy: Taxonomy
) -> None:
    data = load_labelled(DEFAULT_DATA, sample_taxonomy, strict=True)

    assert data.problems == []
    assert len(data) == len(records)
    for record in records:
        assert record["sector"] in SECTORS, record["id"]
        assert record["themes"], record["id"]
        assert set(record["themes"]) <= set(THEMES), record["id"]
        assert len(set(record["themes"])) == len(record["themes"]), record["id"]


def test_there_are_enough_records(records: list[dict[str, Any]]) -> None:
    assert len(records) >= MIN_ROWS


def test_ids_are_unique(records: list[dict[str, Any]]) -> None:
    repeated = [key for key, count in Counter(record["id"] for record in records).items() if count > 1]

    assert repeated == []


def test_every_sector_has_enough_records(records: list[dict[str, Any]]) -> None:
    counts = Counter(record["sector"] for record in records)

    assert {sector: counts[sector] for sector in SECTORS if counts[sector] < MIN_PER_SECTOR} == {}


def test_every_theme_has_enough_records(records: list[dict[str, Any]]) -> None:
    counts = Counter(theme for record in records for theme in record["themes"])

    assert {theme: counts[theme] for theme in THEMES if counts[theme] < MIN_PER_THEME} == {}


def test_every_text_has_between_20_and_400_words(records: list[dict[str, Any]]) -> None:
    lengths = {record["id"]: len(record["text"].split()) for record in records}

    assert {key: n for key, n in lengths.items() if not MIN_WORDS <= n <= MAX_WORDS} == {}


def test_about_half_the_records_have_two_or_more_themes(records: list[dict[str, Any]]) -> None:
    several = sum(len(record["themes"]) >= 2 for record in records)

    assert several / len(records) >= MIN_MULTI_THEME_SHARE


def test_at_least_a_third_of_the_records_are_marked_hard(records: list[dict[str, Any]]) -> None:
    hard = sum(record.get("hard") is True for record in records)

    assert hard / len(records) >= MIN_HARD_SHARE


def test_no_8_word_sequence_is_shared_by_more_than_6_records(records: list[dict[str, Any]]) -> None:
    holders: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for record in records:
        words = re.findall(r"[a-z0-9']+", record["text"].lower())
        for start in range(len(words) - SHINGLE_WORDS + 1):
            holders[tuple(words[start : start + SHINGLE_WORDS])].add(record["id"])

    overused = {
        " ".join(shingle): len(ids) for shingle, ids in holders.items() if len(ids) > MAX_RECORDS_PER_SHINGLE
    }

    assert overused == {}


# --- the annotators' labels of 240 samples (bench/label_agreement.py) ---------------------------------


def test_three_annotators_labelled_the_same_240_samples_with_valid_labels(
    records: list[dict[str, Any]], sample_taxonomy: Taxonomy
) -> None:
    path = DEFAULT_DATA.parent / "agreement" / "annotations.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    labelled: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        labelled[row["annotator"]].add(row["id"])
        assert row["sector"] in sample_taxonomy.sector_ids
        assert row["themes"] and set(row["themes"]) <= set(sample_taxonomy.theme_ids)

    assert sorted(labelled) == ["A", "B", "C"]
    assert labelled["A"] == labelled["B"] == labelled["C"]
    assert len(labelled["A"]) == len(rows) / 3 == 240
    assert labelled["A"] <= {record["id"] for record in records}


# --- themes the writers left out, added after review (data/samples/review/) ---------------------------


def test_every_added_theme_is_in_the_samples_and_was_tagged_by_the_independent_reader(
    records: list[dict[str, Any]], sample_taxonomy: Taxonomy
) -> None:
    review = DEFAULT_DATA.parent / "review"
    read = {
        row["id"]: row
        for row in map(json.loads, (review / "annotations.jsonl").read_text(encoding="utf-8").splitlines())
    }
    changes = [
        json.loads(line) for line in (review / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    themes_by_id = {record["id"]: record["themes"] for record in records}

    assert len(read) == 494 and len(changes) == 125
    for row in read.values():
        assert row["sector"] in sample_taxonomy.sector_ids
        assert row["themes"] and set(row["themes"]) <= set(sample_taxonomy.theme_ids)
    for change in changes:
        assert change["added"] in themes_by_id[change["id"]]
        assert change["added"] in read[change["id"]]["themes"]
        assert change["model_probability"] >= 0.95


# --- three reader passes over 1,800 samples (data/samples/relabel-pilot/, bench/relabel_pilot.py) ------


def test_three_reader_passes_labelled_the_same_1800_samples_with_their_own_themes(
    records: list[dict[str, Any]], sample_taxonomy: Taxonomy
) -> None:
    path = DEFAULT_DATA.parent / "relabel-pilot" / "annotations.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    process_themes = {
        "clinical_care_standard", "administrative_delay", "communication", "complaint_handling", "record_keeping",
    }  # fmt: skip
    allowed = {"process": process_themes, "process_strict": process_themes, "all_themes": set(THEMES)}
    labelled: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        labelled[row["pass"]].add(row["id"])
        assert set(row["themes"]) <= allowed[row["pass"]]
        assert row["themes"] or row["pass"] != "all_themes"

    assert set(labelled) == set(allowed)
    assert labelled["process"] == labelled["process_strict"] == labelled["all_themes"]
    assert len(labelled["process"]) == len(rows) / 3 == 1800
    assert labelled["process"] <= {record["id"] for record in records}


# --- the independently written test set (bench/independent_set.py) -----------------------------------


def test_the_independent_set_has_48_valid_records_by_each_of_six_writers(sample_taxonomy: Taxonomy) -> None:
    data = load_labelled(INDEPENDENT, sample_taxonomy, strict=True)

    writers = Counter(row_id.split("-")[1] for row_id in data.ids)
    assert writers == {f"w{number}": 48 for number in range(1, 7)}
    for writer in writers:
        sectors = Counter(s for i, s in zip(data.ids, data.sectors, strict=True) if f"-{writer}-" in i)
        assert sectors == dict.fromkeys(SECTORS, 4)


def test_the_independent_set_shares_no_id_or_text_with_the_training_samples(
    records: list[dict[str, Any]], sample_taxonomy: Taxonomy
) -> None:
    independent = load_labelled(INDEPENDENT, sample_taxonomy)

    assert not set(independent.ids) & {record["id"] for record in records}
    assert not set(independent.texts) & {record["text"] for record in records}


# --- the shipped model --------------------------------------------------------------------------------


def test_the_shipped_model_was_trained_on_the_shipped_data(sample_taxonomy: Taxonomy) -> None:
    card_path = DEFAULT_MODEL_DIR / CARD_FILE
    assert card_path.is_file(), f"no shipped model card at {card_path}: run `casework train`"
    card = json.loads(card_path.read_text(encoding="utf-8"))

    data = load_labelled(DEFAULT_DATA, sample_taxonomy)

    assert card["training_data_sha256"] == data.sha256(), (
        "the shipped model is stale: retrain it on the samples"
    )
    assert card["training_rows"] == len(data)
    assert card["theme_labels"] == sample_taxonomy.theme_ids
