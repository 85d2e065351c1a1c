"""A model on the independently written complaints it never trained on, by writer, style and kind of theme.

    python bench/independent_set.py [--model DIR]

Data: `data/samples/independent/complaints.jsonl`, 288 complaints written by six writers who never saw the
training samples (see that folder's README). The model (default: the shipped one) labels every text; the
writers' labels are the truth. Printed for all of them, for each writer, each style and the hard ones:
sector accuracy, theme micro- and macro-F1, micro-F1 over the fifteen subject themes and over the five
process themes apart, and themes (and process themes) per record by the writers and by the model; then the
most frequent errors. The last line is one JSON object {"all": {...}, "writer": {...}, "style": {...},
"hard": {...}}.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from label_agreement import Labels, agreement, label_counts, predicted_labels

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
INDEPENDENT = REPO / "data" / "samples" / "independent" / "complaints.jsonl"


def scores(truth: Labels, predicted: Labels, rows: list[int], theme_ids: list[str]) -> dict:
    """Agreement and themes per record on ``rows``."""

    def pick(labels: Labels) -> Labels:
        return [labels[0][row] for row in rows], [labels[1][row] for row in rows]

    return {
        "n": len(rows),
        **agreement(pick(truth), pick(predicted), theme_ids),
        "writers": label_counts(pick(truth)),
        "model": label_counts(pick(predicted)),
    }


def most_frequent_errors(truth: Labels, predicted: Labels, count: int = 12) -> list[tuple[str, int]]:
    """The commonest wrong sectors and missed or added themes."""
    errors: Counter[str] = Counter()
    for true_sector, true_themes, sector, themes in zip(*truth, *predicted, strict=True):
        if sector != true_sector:
            errors[f"sector {true_sector} read as {sector}"] += 1
        errors.update(f"theme missed: {theme}" for theme in set(true_themes) - set(themes))
        errors.update(f"theme added: {theme}" for theme in set(themes) - set(true_themes))
    return errors.most_common(count)


def main() -> None:
    """Label the independent set with the model and print its scores by group."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, help="model directory (default: the shipped one)")
    args = parser.parse_args()
    from models.locations import DEFAULT_MODEL_DIR
    from models.store import load_classifier

    classifier = load_classifier(args.model or DEFAULT_MODEL_DIR)
    records = [json.loads(line) for line in INDEPENDENT.read_text(encoding="utf-8").splitlines()]
    predictions = classifier.predict([record["text"] for record in records])
    truth = [record["sector"] for record in records], [record["themes"] for record in records]
    predicted = predicted_labels(predictions)
    theme_ids = classifier.theme_labels
    groups = {"all": {"all": list(range(len(records)))}, "writer": {}, "style": {}, "hard": {}}
    for row, record in enumerate(records):
        groups["writer"].setdefault(record["id"].split("-")[1], []).append(row)
        groups["style"].setdefault(record["style"], []).append(row)
        if record["hard"]:
            groups["hard"].setdefault("hard", []).append(row)
    result = {
        kind: {name: scores(truth, predicted, rows, theme_ids) for name, rows in sorted(members.items())}
        for kind, members in groups.items()
    }
    print(f"{'group':18} {'n':>4} sector micro  macro  subject process  themes/record (writers, model)")
    for kind, members in result.items():
        for name, score in members.items():
            print(
                f"{name if kind in ('all', 'hard') else f'{kind} {name}':18} {score['n']:4} {score['sector_agreement']:.3f}  "
                f"{score['themes_micro_f1']:.3f}  {score['themes_macro_f1']:.3f}  {score['subject_micro_f1']:.3f}   "
                f"{score['process_micro_f1']:.3f}    {score['writers']['themes_per_record']:.2f} "
                f"({score['writers']['process_themes_per_record']:.2f} process), "
                f"{score['model']['themes_per_record']:.2f} ({score['model']['process_themes_per_record']:.2f})"
            )
    print(
        "most frequent errors: "
        + "; ".join(f"{error} ({n})" for error, n in most_frequent_errors(truth, predicted))
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
