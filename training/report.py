"""The human report written beside a model: per-label metrics, the confusion matrix as a PNG, common errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

CONFUSION_PNG = "sector_confusion.png"


def plot_confusion(confusion: np.ndarray, labels: list[str], path: Path) -> None:
    """Draw the sector confusion matrix (counts) to a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 8))
    axes.imshow(confusion, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel("predicted sector")
    axes.set_ylabel("true sector")
    axes.set_title("Sector confusion (cross-validation, out of fold)")
    peak = confusion.max() or 1
    for (row, column), count in np.ndenumerate(confusion):
        if count:
            colour = "white" if count > peak / 2 else "black"
            axes.text(column, row, str(count), ha="center", va="center", fontsize=7, color=colour)
    figure.tight_layout()
    figure.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(figure)


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A Markdown table of ``rows`` with ``columns``."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[column]) for column in columns) + " |" for row in rows]
    return "\n".join(lines)


def render_report(card: dict[str, Any], details: dict[str, Any], holdout: dict[str, Any] | None) -> str:
    """The Markdown report for a model: how it was chosen and how well it does, label by label."""
    cv = card["cross_validation"]
    metric_columns = ["sector_accuracy", "sector_macro_f1", "themes_micro_f1", "themes_macro_f1"]
    parts = [
        f"# Model report: {card['model_version']}",
        "",
        f"Trained on {card['training_rows']} rows (sha256 `{card['training_data_sha256'][:16]}…`), seed {card['seed']}, "
        f"{card['created']}. Chosen pipeline: **{card['pipeline']}**.",
        "",
        *candidates_section(cv, metric_columns),
    ]
    if holdout:
        parts += [
            "## Stratified hold-out",
            "",
            f"Retrained on the other rows and scored on {holdout['n']} held-out rows:",
            "",
            table([holdout], ["n", *metric_columns]),
            "",
        ]
    parts += [
        "## Sectors (out of fold)",
        "",
        table(details["sector_table"], ["label", "precision", "recall", "f1", "support"]),
        "",
        f"![sector confusion matrix]({CONFUSION_PNG})",
        "",
        "## Themes (out of fold, per-label thresholds)",
        "",
        table(
            [{**row, "threshold": card["thresholds"][row["label"]]} for row in details["theme_table"]],
            ["label", "precision", "recall", "f1", "support", "threshold"],
        ),
        "",
        "## The ten most frequent errors",
        "",
        table(details["most_confused"], ["kind", "true", "predicted", "count"]),
        "",
        *calibration_section(cv["calibration"], details),
        *review_section(card["review_thresholds"], cv["review"]),
    ]
    return "\n".join(parts)


def candidates_section(cv: dict[str, Any], metric_columns: list[str]) -> list[str]:
    """The candidates' cross-validated scores; where they were compared on fewer folds than the chosen one
    was cross-validated on (``screening_folds``), the chosen one's scores on all of them too."""
    candidates = [{"pipeline": name, **metrics} for name, metrics in cv["candidates"].items()]
    folds, screening = cv["folds"], cv["screening_folds"]
    if screening == folds:
        return [
            f"## Candidates ({folds}-fold cross-validation, theme thresholds tuned out of fold)",
            "",
            table(candidates, ["pipeline", *metric_columns]),
            "",
        ]
    return [
        f"## Candidates (compared on {screening} of {folds} cross-validation folds, theme thresholds tuned out of fold)",
        "",
        table(candidates, ["pipeline", "n", *metric_columns]),
        "",
        f"The chosen pipeline, cross-validated on all {folds} folds:",
        "",
        table([cv["chosen"]], ["n", *metric_columns]),
        "",
    ]


def calibration_section(calibration: dict[str, Any], details: dict[str, Any]) -> list[str]:
    """How far the probabilities can be read as confidence: scores and reliability tables, out of fold."""
    columns = ["probability", "n", "mean_probability", "observed"]
    sector, themes = calibration["sector"], calibration["themes"]
    return [
        "## Calibration (out of fold)",
        "",
        "Whether a stated probability can be read as the chance of being right: in each tenth of probability, "
        "the mean probability against the share observed. The expected calibration error (ECE) is their gap, "
        "weighted by count; the Brier score is the mean squared error of the probabilities. Both are 0 at best.",
        "",
        f"**Best sector** (observed: the sector was right): ECE {sector['ece']}, Brier {sector['brier']}.",
        "",
        table(details["sector_reliability"], columns),
        "",
        f"**Every theme of every complaint** (observed: the theme was labelled): ECE {themes['ece']}, "
        f"Brier {themes['brier']}.",
        "",
        table(details["theme_reliability"], columns),
        "",
    ]


def review_section(thresholds: dict[str, float], review: dict[str, Any]) -> list[str]:
    """When predictions are flagged for review, and what the flag separates, out of fold."""

    def percent(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}%"

    return [
        "## Review flags",
        "",
        f"A prediction `needs_review` when its sector probability is under {thresholds['sector']} "
        f"or its best theme's probability is under {thresholds['theme']}: the lowest thresholds at "
        "which out-of-fold predictions above them were right at least 95% of the time.",
        "",
        f"Out of fold, {percent(review['flagged_share'])} of complaints were flagged.",
        "",
        table(
            [
                {
                    "predictions": "not flagged",
                    "sector right": percent(review["unflagged_sector_accuracy"]),
                    "best theme right": percent(review["unflagged_best_theme_precision"]),
                },
                {
                    "predictions": "flagged",
                    "sector right": percent(review["flagged_sector_accuracy"]),
                    "best theme right": percent(review["flagged_best_theme_precision"]),
                },
            ],
            ["predictions", "sector right", "best theme right"],
        ),
        "",
    ]
