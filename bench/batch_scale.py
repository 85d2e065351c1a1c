"""The Spark engine against the local engine on 2 cores: rows/s, start-up and peak memory of `casework batch`.

    python bench/batch_scale.py [--rows 100000] [--anonymise-rows 5000] [--runs 3] [--jobs 2] [--master local[2]]

Complaints come from bench/batch_throughput.py's generator (sentences of two or three sample complaints).
Each engine (local with --jobs, Spark on --master) runs classify only on --rows complaints and classify +
anonymise on the first --anonymise-rows (fewer by default: anonymising runs at 25-90 rows/s on 2 cores, so
100,000 rows would take up to an hour per engine and run), as a separate process writing Parquet. Peak memory is the largest sum of
the resident sets of that process and all its descendants (Spark's JVM and Python workers included),
sampled every 0.2 s; also the largest single Python worker (one process with the models loaded).
Start-up is the same command on 50 rows (process start, Spark session, model load, a job's fixed cost);
the steady rate leaves it out. Spark also reports its own session and model-load times. Prints medians over
--runs; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_throughput import make_rows
from processes import family

CASEWORK = Path(sys.executable).with_name("casework")
STARTUP_ROWS = 50
TASKS = {"classify": "classify", "classify_anonymise": "classify,anonymise"}


def run(command: list[str]) -> dict:
    """Run one `casework batch`; wall time, its JSON summary, and peak memory (total, JVM, largest Python)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"total": 0.0, "jvm": 0.0, "python_max": 0.0}
    while process.poll() is None:
        members = family(process.pid)
        python = [rss for _, rss, args in members if "java" not in args.split(" ", 1)[0]]
        peak["total"] = max(peak["total"], sum(rss for _, rss, _ in members))
        peak["jvm"] = max(
            peak["jvm"], sum(rss for _, rss, args in members if "java" in args.split(" ", 1)[0])
        )
        peak["python_max"] = max(peak["python_max"], max(python, default=0.0))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    stdout, stderr = process.communicate()
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr[-2000:]}")
    return {"seconds": seconds, "summary": json.loads(stdout.strip().splitlines()[-1]), "peak": peak}


def command(source: Path, target: Path, tasks: str, engine: str, args: argparse.Namespace) -> list[str]:
    """The `casework batch` command line for one engine."""
    line = [str(CASEWORK), "batch", str(source), str(target), "--id-column", "case", "--tasks", tasks]
    line += ["--no-progress", "--engine", engine]
    if engine == "spark":
        return [*line, "--master", args.master]
    return [*line, "--jobs", str(args.jobs)]


def measure(work: Path, rows: int, tasks: str, engine: str, args: argparse.Namespace) -> dict:
    """Medians over --runs of one engine on one task set: rates, start-up, memory (and Spark's timings)."""
    source, small = work / f"in-{rows}.jsonl", work / "in-startup.jsonl"
    runs = []
    for number in range(args.runs):
        startup = run(command(small, work / f"s-{engine}-{number}.parquet", tasks, engine, args))
        full = run(command(source, work / f"o-{engine}-{number}.parquet", tasks, engine, args))
        runs.append((startup, full))
        print(
            f"  {engine:5} {tasks:18} run {number + 1}: {full['seconds']:.1f} s, start-up {startup['seconds']:.1f} s"
        )

    def median(values: list[float], digits: int = 1) -> float:
        return round(statistics.median(values), digits)

    seconds = [full["seconds"] for _, full in runs]
    startups = [startup["seconds"] for startup, _ in runs]
    result = {
        "rows": runs[0][1]["summary"]["rows_out"],
        "seconds": median(seconds),
        "rows_per_s": median([rows / s for s in seconds]),
        "startup_s": median(startups),
        "steady_rows_per_s": median(
            [rows / max(s - u, 1e-9) for s, u in zip(seconds, startups, strict=True)]
        ),
        "peak_rss_mb": round(statistics.median(full["peak"]["total"] for _, full in runs)),
        "largest_python_process_mb": round(statistics.median(full["peak"]["python_max"] for _, full in runs)),
    }
    if engine == "spark":
        timings = [full["summary"]["spark"] for _, full in runs]
        result["jvm_rss_mb"] = round(statistics.median(full["peak"]["jvm"] for _, full in runs))
        for key in ("session_s", "model_load_s", "read_s", "model_pass_s", "write_s"):
            result[key] = median([timing[key] for timing in timings], 2)
        result["partitions"] = timings[0]["partitions"]
        result["model_loads"] = timings[0]["model_loads"]
    return result


def main() -> None:
    """Generate the inputs, run both engines on both task sets, print the table and the JSON line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--anonymise-rows", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="local engine worker processes")
    parser.add_argument("--master", default="local[2]", help="Spark master")
    args = parser.parse_args()
    sizes = {"classify": args.rows, "classify_anonymise": min(args.anonymise_rows, args.rows)}
    print(
        f"classify on {sizes['classify']} rows; classify + anonymise on {sizes['classify_anonymise']} rows "
        "(fewer: anonymising is some 20 times slower than classifying; set --anonymise-rows for more); "
        f"local --jobs {args.jobs} vs Spark {args.master}; {args.runs} run(s) each"
    )
    report: dict = {"jobs": args.jobs, "master": args.master, "runs": args.runs}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = make_rows(args.rows)
        for count in {*sizes.values()}:
            (work / f"in-{count}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows[:count]))
        (work / "in-startup.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows[:STARTUP_ROWS]))
        for name, tasks in TASKS.items():
            local = measure(work, sizes[name], tasks, "local", args)
            spark = measure(work, sizes[name], tasks, "spark", args)
            report[name] = {
                "local": local,
                "spark": spark,
                "spark_time_over_local": round(spark["seconds"] / local["seconds"], 2),
                "spark_steady_time_over_local": round(
                    local["steady_rows_per_s"] / spark["steady_rows_per_s"], 2
                ),
            }
    for name in TASKS:
        entry = report[name]
        for engine in ("local", "spark"):
            row = entry[engine]
            print(
                f"{name:18} {engine:5} {row['rows']:7} rows {row['seconds']:7.1f} s = {row['rows_per_s']:7.1f} rows/s; "
                f"start-up {row['startup_s']:5.1f} s, steady {row['steady_rows_per_s']:7.1f} rows/s; "
                f"peak {row['peak_rss_mb']} MB (largest Python process {row['largest_python_process_mb']} MB)"
            )
        spark = entry["spark"]
        print(
            f"{name:18} Spark/local time {entry['spark_time_over_local']}x, without start-up "
            f"{entry['spark_steady_time_over_local']}x; Spark session {spark['session_s']} s, model load "
            f"{spark['model_load_s']} s per worker, JVM {spark['jvm_rss_mb']} MB"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
