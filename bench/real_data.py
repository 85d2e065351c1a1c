"""Our themes pipeline against the pxtextmining peer recipe on real NHS patient feedback (same split, same run).

    python bench/real_data.py [--csv PATH] [--skip-peer]

Data: ../shared/external/nhs-fft-pxtextmining/v6framework_230831.csv (NHS Friends and Family Test comments,
50 multi-label columns). Rows with empty text, "Did not answer" or the label "Labelling not possible" are
dropped; labels with fewer than 15 examples are dropped, then rows left with no label. 80/20 split, seed 42.

Ours: the word + character TF-IDF and one-vs-rest calibrated linear SVM of our training package, with
per-label thresholds tuned by 3-fold cross-validation on the training part (pooled as far as scores best on
rows they were not tuned on) and the top-1 fallback; its labels are fitted on 2 processes (`casework train`
also uses both cores by default). The peer recipe, as published, fits on one.
Peer: TfidfVectorizer() + MultiOutputClassifier(SVC(C=15, cache_size=1000, class_weight="balanced",
max_iter=1000, probability=True)), the pxtextmining project's current_best_model/final_svc.
The last line is one JSON object {"ours": {...}, "peer": {...}}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_CSV = REPO.parent / "shared" / "external" / "nhs-fft-pxtextmining" / "v6framework_230831.csv"
FIRST_LABEL_COLUMN = "Not assigned"
MIN_EXAMPLES = 15
SEED = 42


def load(path: Path) -> tuple[list[str], np.ndarray, list[str]]:
    """Texts, the 0/1 label matrix and the label names, after the documented filtering."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    labels = list(frame.columns[list(frame.columns).index(FIRST_LABEL_COLUMN) :])
    matrix = frame[labels].apply(lambda column: column.str.strip() == "1").astype(int)
    text = frame["FFT answer"].str.strip()
    keep = (text != "") & (text.str.lower() != "did not answer") & (matrix["Labelling not possible"] == 0)
    matrix = matrix.loc[keep].drop(columns=["Labelling not possible"])
    matrix = matrix.loc[:, matrix.sum() >= MIN_EXAMPLES]
    rows = matrix.sum(axis=1) > 0
    return text[keep][rows].tolist(), matrix[rows].to_numpy(), list(matrix.columns)


def fit_ours(train_texts: list[str], train_labels: np.ndarray):
    """Our themes pipeline: shared features, then the thresholded one-vs-rest calibrated linear SVM."""
    from sklearn.pipeline import make_pipeline

    from models.thresholds import ThresholdedMultiLabel
    from training.candidates import calibrated_svm

    candidate = calibrated_svm(SEED)
    themes = candidate.themes.set_params(n_jobs=2)  # labels fitted on both cores
    model = make_pipeline(candidate.features, ThresholdedMultiLabel(themes, cv=3))
    return model.fit(train_texts, train_labels)


def fit_peer(train_texts: list[str], train_labels: np.ndarray):
    """The pxtextmining project's published best model, as its summary describes it."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multioutput import MultiOutputClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    svc = SVC(C=15, cache_size=1000, class_weight="balanced", max_iter=1000, probability=True)
    return make_pipeline(TfidfVectorizer(), MultiOutputClassifier(svc)).fit(train_texts, train_labels)


def scores(model, texts: list[str], truth: np.ndarray, seconds: float) -> dict:
    """Micro- and macro-F1 on the test part, and the training time."""
    from sklearn.metrics import f1_score

    predicted = np.asarray(model.predict(texts))
    return {
        "micro_f1": round(float(f1_score(truth, predicted, average="micro", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "train_s": round(seconds, 1),
    }


def main() -> None:
    """Train both on the same split and print them side by side."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--skip-peer", action="store_true", help="only ours (the peer takes about 3 minutes)")
    args = parser.parse_args()
    if not args.csv.exists():
        sys.exit(f"data not found: {args.csv} (the shared external data folder is not here)")
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split

    # The peer recipe, as published, uses SVC(probability=True, max_iter=1000): keep its warnings out of the table.
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    texts, labels, names = load(args.csv)
    train_x, test_x, train_y, test_y = train_test_split(texts, labels, test_size=0.2, random_state=SEED)
    print(f"{len(texts)} comments, {len(names)} labels; train {len(train_x)}, test {len(test_x)}")
    result = {}
    for name, fit in (("ours", fit_ours), ("peer", fit_peer)):
        if name == "peer" and args.skip_peer:
            continue
        started = time.perf_counter()
        model = fit(train_x, train_y)
        result[name] = scores(model, test_x, test_y, time.perf_counter() - started)
        print(
            f"{name:5} micro-F1 {result[name]['micro_f1']:.4f}  macro-F1 {result[name]['macro_f1']:.4f}  "
            f"train {result[name]['train_s']:.1f} s",
            flush=True,
        )
    if "peer" in result:
        print(
            f"ours trains {result['peer']['train_s'] / result['ours']['train_s']:.1f}x faster than the peer"
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
