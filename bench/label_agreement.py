"""How consistent the sample labels are: three independent annotators, the shipped labels and a model.

    python bench/label_agreement.py [--skip-model]

Data: `data/samples/agreement/annotations.jsonl`, three annotators' sector and themes for 240 random
samples, each labelled from the text and the taxonomy alone (see that folder's README). Every pair of label
sources is compared on the same records: sector agreement, theme micro- and macro-F1 (symmetric, so
either side may be taken as the truth), and micro-F1 over the fifteen subject themes and over the five
process themes (communication, record keeping, delay, standard of care, complaint handling) apart.
Unless --skip-model, the chosen pipeline (the calibrated SVM) is trained on every other sample, as
`casework train` would, and its predictions join the comparison (about 2 minutes on 2 cores).
Each source's themes per record, and process themes per record, are printed too. The last line is one
JSON object: {"records", "sources": {name: {...}}, "pairs": [{"a", "b", "sector_agreement", ...}, ...]}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SAMPLES = REPO / "data" / "samples"
ANNOTATIONS = SAMPLES / "agreement" / "annotations.jsonl"
PROCESS_THEMES = [
    "communication",
    "record_keeping",
    "administrative_delay",
    "clinical_care_standard",
    "complaint_handling",
]

# One label source: each record's sector and themes, in the order of the annotated ids.
Labels = tuple[list[str], list[list[str]]]


def annotations(path: Path) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """Each annotator's (sector, themes) by sample id."""
    by_annotator: dict[str, dict[str, tuple[str, list[str]]]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_annotator[row["annotator"]][row["id"]] = (row["sector"], row["themes"])
    return dict(by_annotator)


def agreement(first: Labels, second: Labels, theme_ids: list[str]) -> dict[str, float]:
    """How far two label sources agree on the same records."""
    binarizer = MultiLabelBinarizer(classes=theme_ids)
    ours, theirs = binarizer.fit_transform(first[1]), binarizer.transform(second[1])
    process = [theme_ids.index(theme) for theme in PROCESS_THEMES]
    subject = [column for column in range(len(theme_ids)) if column not in process]
    present = (ours.sum(axis=0) + theirs.sum(axis=0)) > 0
    scores = {
        "sector_agreement": np.mean([a == b for a, b in zip(first[0], second[0], strict=True)]),
        "themes_micro_f1": f1_score(ours, theirs, average="micro"),
        "themes_macro_f1": f1_score(ours[:, present], theirs[:, present], average="macro"),
        "subject_micro_f1": f1_score(ours[:, subject], theirs[:, subject], average="micro"),
        "process_micro_f1": f1_score(ours[:, process], theirs[:, process], average="micro"),
    }
    return {name: round(float(value), 4) for name, value in scores.items()}


def label_counts(labels: Labels) -> dict[str, float]:
    """Themes per record, and process themes per record, in one label source."""
    themes = labels[1]
    process = [sum(theme in PROCESS_THEMES for theme in row) for row in themes]
    return {
        "themes_per_record": round(float(np.mean([len(row) for row in themes])), 3),
        "process_themes_per_record": round(float(np.mean(process)), 3),
    }


def model_labels(data, taxonomy, rows: list[int]) -> Labels:
    """Sectors and themes predicted for ``data``'s ``rows``, in that order, by the chosen pipeline trained
    on all its other rows."""
    from training.fit import train

    excluded = set(rows)
    keep = [row for row in range(len(data)) if row not in excluded]
    result = train(data.subset(keep), taxonomy, candidates=["svm"], progress=print)
    return predicted_labels(result.classifier.predict([data.texts[row] for row in rows]))


def predicted_labels(predictions) -> Labels:
    """The sectors and themes of a classifier's predictions, as a label source."""
    return [p.sector.label for p in predictions], [[theme.label for theme in p.themes] for p in predictions]


def main() -> None:
    """Compare every pair of label sources and print a table and one JSON line."""
    from models.taxonomy import Taxonomy
    from training.data import load_labelled

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--skip-model", action="store_true", help="only the annotators and the shipped labels"
    )
    args = parser.parse_args()

    taxonomy = Taxonomy.load(SAMPLES / "taxonomy.json")
    data = load_labelled(SAMPLES / "complaints.jsonl", taxonomy)
    by_annotator = annotations(ANNOTATIONS)
    held = sorted(set.intersection(*(set(labels) for labels in by_annotator.values())))
    position = {sample_id: row for row, sample_id in enumerate(data.ids)}
    rows = [position[sample_id] for sample_id in held]
    sources: dict[str, Labels] = {
        "shipped": ([data.sectors[r] for r in rows], [data.themes[r] for r in rows])
    }
    for name, labels in sorted(by_annotator.items()):
        sources[f"annotator {name}"] = ([labels[i][0] for i in held], [labels[i][1] for i in held])
    if not args.skip_model:
        sources["model"] = model_labels(data, taxonomy, rows)

    print(f"{len(held)} records, {len(sources)} label sources")
    counts = {name: label_counts(labels) for name, labels in sources.items()}
    for name, count in counts.items():
        print(f"  {name:12} " + "  ".join(f"{k} {v:.2f}" for k, v in count.items()))
    pairs = []
    for first, second in itertools.combinations(sources, 2):
        scores = agreement(sources[first], sources[second], taxonomy.theme_ids)
        pairs.append({"a": first, "b": second, **scores})
        print(f"  {first:12} vs {second:12} " + "  ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    print(json.dumps({"records": len(held), "sources": counts, "pairs": pairs}))


if __name__ == "__main__":
    main()
