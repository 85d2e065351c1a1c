"""Would relabelling the samples the way independent readers label them make the models better?

    python bench/relabel_pilot.py

Data: `data/samples/relabel-pilot/annotations.jsonl`, three passes of independent readers over the same
1,800 random samples (see that folder's README): `process` and `process_strict` tag only the five process
themes (under two briefs), `all_themes` tags every theme. For each label version of those 1,800 records
(the shipped labels; each process pass on top of the shipped subject themes; the readers' themes alone),
the chosen pipeline (the calibrated SVM) is cross-validated on the 1,800 as `casework train` would, and then,
fitted on all 1,800, scored on the independently written set of `data/samples/independent/` (labelled by
its own writers, never trained on). Printed per version: themes and process themes per record, agreement
with the shipped labels, the cross-validated theme micro- and macro-F1 against the version's own labels,
and the independent set's scores. About 2 minutes on 2 cores. The last line is one JSON object
{version: {...}}.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from label_agreement import PROCESS_THEMES, agreement, label_counts, predicted_labels

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SAMPLES = REPO / "data" / "samples"
PILOT = SAMPLES / "relabel-pilot" / "annotations.jsonl"
INDEPENDENT = SAMPLES / "independent" / "complaints.jsonl"


def reader_themes(path: Path) -> dict[str, dict[str, list[str]]]:
    """Each pass's themes by sample id."""
    by_pass: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_pass[row["pass"]][row["id"]] = row["themes"]
    return dict(by_pass)


def with_process_themes(shipped: list[str], process: list[str]) -> list[str]:
    """The shipped subject themes with a reader's process themes in place of the shipped ones; the shipped
    themes unchanged when that would leave none."""
    subject = [theme for theme in shipped if theme not in PROCESS_THEMES]
    return subject + sorted(process) or shipped


def label_versions(
    shipped: list[list[str]], by_pass: dict[str, dict[str, list[str]]], ids: list[str]
) -> dict[str, list[list[str]]]:
    """The themes of ``ids`` in each version: ``shipped`` (theirs, in the same order), each process pass
    over the shipped, and the all-themes pass alone."""
    versions = {"shipped": shipped}
    for name, themes in sorted(by_pass.items()):
        if name == "all_themes":
            versions[name] = [themes[sample_id] for sample_id in ids]
        else:
            versions[name] = [
                with_process_themes(own, themes[sample_id])
                for own, sample_id in zip(shipped, ids, strict=True)
            ]
    return versions


def main() -> None:
    """Train on every label version of the pilot records and print how each does."""
    from models.taxonomy import Taxonomy
    from training.data import load_labelled
    from training.fit import train

    taxonomy = Taxonomy.load(SAMPLES / "taxonomy.json")
    data = load_labelled(SAMPLES / "complaints.jsonl", taxonomy)
    independent = load_labelled(INDEPENDENT, taxonomy)
    by_pass = reader_themes(PILOT)
    ids = sorted(set.intersection(*(set(themes) for themes in by_pass.values())))
    position = {sample_id: row for row, sample_id in enumerate(data.ids)}
    pilot = data.subset([position[sample_id] for sample_id in ids])
    versions = label_versions(pilot.themes, by_pass, ids)
    truth = (independent.sectors, independent.themes)
    print(f"{len(ids)} pilot records; independent set {len(independent)} records")
    results = {}
    for name, themes in versions.items():
        result = train(replace(pilot, themes=themes), taxonomy, candidates=["svm"])
        cross_validated = result.chosen.metrics
        predicted = predicted_labels(result.classifier.predict(independent.texts))
        scored = agreement(truth, predicted, taxonomy.theme_ids)
        results[name] = {
            **label_counts((pilot.sectors, themes)),
            "process_agreement_with_shipped": agreement(
                (pilot.sectors, versions["shipped"]), (pilot.sectors, themes), taxonomy.theme_ids
            )["process_micro_f1"],
            "cv_themes_micro_f1": cross_validated["themes_micro_f1"],
            "cv_themes_macro_f1": cross_validated["themes_macro_f1"],
            "independent_themes_micro_f1": scored["themes_micro_f1"],
            "independent_themes_macro_f1": scored["themes_macro_f1"],
            "independent_process_micro_f1": scored["process_micro_f1"],
        }
        print(f"  {name:15} " + "  ".join(f"{key} {value:.3f}" for key, value in results[name].items()))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
