"""Rows per second and peak memory of `casework batch`, on complaints made by recombining data/samples.

    python bench/batch_throughput.py [--rows 20000] [--anonymise-rows 2000] [--jobs 2]

Generates a JSONL file of --rows complaints, each joining sentences of two or three sample complaints (so
no row repeats a sample), then times `casework batch` twice as a separate process: classify only on all
rows, and classify + anonymise on the first --anonymise-rows. Peak memory is the largest resident set of
the batch process and its workers (sampled every 0.2 s). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from processes import family_rss_mb

REPO = Path(__file__).resolve().parents[1]
CASEWORK = Path(sys.executable).with_name("casework")


def make_rows(count: int, seed: int = 7) -> list[dict]:
    """``count`` complaints of two or three recombined sample texts, with ids."""
    samples = [
        json.loads(line)["text"] for line in (REPO / "data/samples/complaints.jsonl").read_text().splitlines()
    ]
    sentences = [re.split(r"(?<=[.!?])\s+", text) for text in samples]
    generator = random.Random(seed)
    rows = []
    for number in range(count):
        parts = generator.sample(sentences, generator.choice((2, 3)))
        text = " ".join(" ".join(part[: max(1, len(part) // 2)]) for part in parts)
        rows.append({"case": f"B{number:07d}", "text": text})
    return rows


def run_batch(source: Path, target: Path, tasks: str, jobs: int) -> dict:
    """Time one `casework batch` run; its rows/s and peak memory."""
    command = [
        str(CASEWORK),
        "batch",
        str(source),
        str(target),
        "--id-column",
        "case",
        "--tasks",
        tasks,
        "--jobs",
        str(jobs),
        "--no-progress",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, family_rss_mb(process.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    summary = json.loads(process.stdout.read().strip().splitlines()[-1])
    return {
        "rows": summary["rows_out"],
        "failed": summary["rows_failed"],
        "seconds": round(seconds, 1),
        "rows_per_s": round(summary["rows_out"] / seconds, 1),
        "peak_rss_mb": round(peak),
    }


def main() -> None:
    """Generate the input, run both configurations, print the table and the JSON line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--anonymise-rows", type=int, default=2_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = make_rows(args.rows)
        everything, some = work / "all.jsonl", work / "some.jsonl"
        everything.write_text("".join(json.dumps(row) + "\n" for row in rows))
        some.write_text("".join(json.dumps(row) + "\n" for row in rows[: args.anonymise_rows]))
        report = {
            "jobs": args.jobs,
            "classify": run_batch(everything, work / "out1.parquet", "classify", args.jobs),
            "classify_anonymise": run_batch(some, work / "out2.parquet", "classify,anonymise", args.jobs),
        }
    for name in ("classify", "classify_anonymise"):
        row = report[name]
        print(
            f"{name:20} {row['rows']:7} rows in {row['seconds']:7.1f} s = {row['rows_per_s']:8.1f} rows/s, "
            f"peak {row['peak_rss_mb']} MB"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
