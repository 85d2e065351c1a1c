"""Documents per second for sector + themes prediction, in one process, on 1,000 sample texts.

    python bench/classify_speed.py [--model DIR] [--runs 5] [--n 1000]

Reports the median of --runs timed passes (after one warm-up); the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    """Time ``ComplaintClassifier.predict`` over n sample texts."""
    from models.locations import DEFAULT_MODEL_DIR
    from models.store import load_classifier

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()

    rows = [
        json.loads(line)
        for line in (REPO / "data/samples/complaints.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    texts = [rows[i % len(rows)]["text"] for i in range(args.n)]
    classifier = load_classifier(args.model)
    classifier.predict(texts[:50])
    seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        classifier.predict(texts)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    result = {
        "docs": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "runs": args.runs,
        "median_s": round(median, 4),
        "docs_per_s": round(len(texts) / median, 1),
        "model_version": classifier.version,
    }
    print(
        f"{result['docs_per_s']} docs/s (median of {args.runs} runs of {len(texts)} docs, {result['mean_chars']} chars each)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
