"""`casework train` and `casework evaluate` on someone else's taxonomy: real CFPB consumer complaints.

    python bench/custom_taxonomy.py [--csv PATH] [--skip-peer]

What a user bringing their own data does, end to end through the command line: a CSV with its own column
names, a taxonomy file of their labels, `casework train` (all candidates, cross-validation, skops artefacts,
card and report), then `casework evaluate --json` on rows it never saw.

Data: ../shared/external/cfpb-complaints-sample/ziyuyan9_complaints_sample.csv (the US Consumer Financial
Protection Bureau's public complaints, human-written, labelled by the CFPB's own product and issue lists).
Rows without a narrative are dropped; the product is the sector, the issue the (single) theme; products and
issues with fewer than 15 examples are dropped, then rows left without one. Stratified 80/20 split by
product, seed 42. Out of our domain on purpose: it shows the pipeline on real writing, not on our samples.

Peer, same split and run: TfidfVectorizer() + LogisticRegression(max_iter=1000), scikit-learn's defaults,
fitted in process once for the product and once for the issue: the usual baseline for this data.
The last line is one JSON object {"ours": {...}, "peer": {...}}.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = (
    REPO.parent / "shared" / "external" / "cfpb-complaints-sample" / "ziyuyan9_complaints_sample.csv"
)
CASEWORK = Path(sys.executable).with_name("casework")
COLUMNS = {
    "text": "Consumer complaint narrative",
    "sector": "Product",
    "themes": "Issue",
    "id": "Complaint ID",
}
MIN_EXAMPLES = 15
SEED = 42


def load(path: Path) -> pd.DataFrame:
    """The rows kept by the filtering in the module docstring, with their original CFPB column names."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame[frame[COLUMNS["text"]].str.strip() != ""]
    while True:  # dropping a rare issue's rows can make a product rare, and the other way round
        kept = frame
        for column in (COLUMNS["sector"], COLUMNS["themes"]):
            counts = kept[column].value_counts()
            kept = kept[kept[column].isin(counts[counts >= MIN_EXAMPLES].index)]
        if len(kept) == len(frame):
            return frame[list(COLUMNS.values())].reset_index(drop=True)
        frame = kept


def taxonomy_of(frame: pd.DataFrame) -> dict:
    """A taxonomy file built from the labels present: products as sectors, issues as themes."""
    return {
        "name": "cfpb",
        "version": "1",
        "sectors": [{"id": label} for label in sorted(frame[COLUMNS["sector"]].unique())],
        "themes": [{"id": label} for label in sorted(frame[COLUMNS["themes"]].unique())],
    }


def casework(*arguments: str) -> str:
    """Run the casework command line; its standard output, or exit with its error output."""
    finished = subprocess.run([str(CASEWORK), *arguments], capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        sys.exit(f"casework {arguments[0]} failed ({finished.returncode}):\n{finished.stderr[-2000:]}")
    return finished.stdout


def column_options() -> list[str]:
    """The options that point casework at the CFPB's column names."""
    return [option for key, column in COLUMNS.items() for option in (f"--{key}-column", column)]


def run_ours(train: pd.DataFrame, test: pd.DataFrame, work: Path) -> dict:
    """Train through `casework train` on the training part and score it with `casework evaluate --json`."""
    taxonomy, train_csv, test_csv, model = (
        work / name for name in ("taxonomy.json", "train.csv", "test.csv", "model")
    )
    taxonomy.write_text(json.dumps(taxonomy_of(train)), encoding="utf-8")
    train.to_csv(train_csv, index=False)
    test.to_csv(test_csv, index=False)
    started = time.perf_counter()
    casework("train", str(train_csv), "--taxonomy", str(taxonomy), "--output", str(model), *column_options())
    seconds = time.perf_counter() - started
    chosen = json.loads((model / "model_card.json").read_text(encoding="utf-8"))["pipeline"]
    evaluated = casework("evaluate", str(test_csv), "--model", str(model), "--json", *column_options())
    metrics = json.loads(evaluated.splitlines()[-1])
    return {
        "product_accuracy": metrics["sector_accuracy"],
        "product_macro_f1": metrics["sector_macro_f1"],
        "issue_micro_f1": metrics["themes_micro_f1"],
        "issue_macro_f1": metrics["themes_macro_f1"],
        "train_s": round(seconds, 1),
        "pipeline": chosen,
    }


def run_peer(train: pd.DataFrame, test: pd.DataFrame) -> dict:
    """The baseline of the module docstring: one TF-IDF + logistic regression per label column."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.pipeline import make_pipeline

    started = time.perf_counter()
    predicted = {}
    for column in (COLUMNS["sector"], COLUMNS["themes"]):
        model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
        predicted[column] = model.fit(train[COLUMNS["text"]], train[column]).predict(test[COLUMNS["text"]])
    seconds = time.perf_counter() - started
    products, issues = test[COLUMNS["sector"]], test[COLUMNS["themes"]]
    return {
        "product_accuracy": round(accuracy_score(products, predicted[COLUMNS["sector"]]), 4),
        "product_macro_f1": round(f1_score(products, predicted[COLUMNS["sector"]], average="macro"), 4),
        # One issue per row, predicted and true: micro-F1 is the accuracy.
        "issue_micro_f1": round(accuracy_score(issues, predicted[COLUMNS["themes"]]), 4),
        "issue_macro_f1": round(f1_score(issues, predicted[COLUMNS["themes"]], average="macro"), 4),
        "train_s": round(seconds, 1),
    }


def main() -> None:
    """Split, run ours through the command line and the peer in process, and print them side by side."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--skip-peer", action="store_true", help="only ours")
    args = parser.parse_args()
    if not args.csv.exists():
        sys.exit(f"data not found: {args.csv} (the shared external data folder is not here)")
    from sklearn.model_selection import train_test_split

    frame = load(args.csv)
    train, test = train_test_split(frame, test_size=0.2, random_state=SEED, stratify=frame[COLUMNS["sector"]])
    print(
        f"{len(frame)} complaints, {frame[COLUMNS['sector']].nunique()} products, "
        f"{frame[COLUMNS['themes']].nunique()} issues; train {len(train)}, test {len(test)}"
    )
    result = {}
    with tempfile.TemporaryDirectory(prefix="casework-cfpb-") as work:
        result["ours"] = run_ours(train, test, Path(work))
    if not args.skip_peer:
        result["peer"] = run_peer(train, test)
    for name, scores in result.items():
        print(
            f"{name:5} product accuracy {scores['product_accuracy']:.4f}  macro-F1 {scores['product_macro_f1']:.4f}  "
            f"issue micro-F1 {scores['issue_micro_f1']:.4f}  macro-F1 {scores['issue_macro_f1']:.4f}  "
            f"train {scores['train_s']:.1f} s"
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
