"""The model report: how the candidates were compared, in words a reader can check."""

from __future__ import annotations

from typing import Any

from training.report import candidates_section

METRICS = ["sector_accuracy", "sector_macro_f1", "themes_micro_f1", "themes_macro_f1"]


def scores(n: int, value: float) -> dict[str, Any]:
    return {"n": n, **dict.fromkeys(METRICS, value)}


def test_candidates_compared_on_every_fold_are_one_table() -> None:
    cross_validation = {
        "folds": 5,
        "screening_folds": 5,
        "chosen": scores(100, 0.9),
        "candidates": {"a": scores(100, 0.9)},
    }

    section = "\n".join(candidates_section(cross_validation, METRICS))

    assert "## Candidates (5-fold cross-validation" in section
    assert "| a | 0.9 | 0.9 | 0.9 | 0.9 |" in section
    assert "cross-validated on all" not in section


def test_candidates_screened_on_fewer_folds_are_shown_with_their_rows_and_the_chosen_one_on_every_fold() -> (
    None
):
    cross_validation = {
        "folds": 5,
        "screening_folds": 2,
        "chosen": scores(100, 0.91),
        "candidates": {"a": scores(40, 0.9), "b": scores(40, 0.8)},
    }

    section = "\n".join(candidates_section(cross_validation, METRICS))

    assert "## Candidates (compared on 2 of 5 cross-validation folds" in section
    assert "| a | 40 | 0.9 | 0.9 | 0.9 | 0.9 |" in section
    assert "| b | 40 | 0.8 | 0.8 | 0.8 | 0.8 |" in section
    assert "The chosen pipeline, cross-validated on all 5 folds:" in section
    assert "| 100 | 0.91 | 0.91 | 0.91 | 0.91 |" in section
