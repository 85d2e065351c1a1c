"""Build character-offset annotations from the hand-marked PII documents.

The documents in ``source/*.jsonl`` were written with inline marks, ``[[TYPE|text]]`` for personal data
and ``[[KEEP|text]]`` for look-alikes that must survive redaction. This script strips the marks and writes
``documents.jsonl``: one object per document with the plain ``text``, the personal-data ``spans`` and the
``keep`` spans, each with ``start``/``end`` character offsets into ``text``.

Run: ``python data/samples/pii/build_annotations.py`` (checks the marks and exits non-zero on an error).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ENTITY_TYPES = frozenset(
    {
        "PERSON",
        "NHS_NUMBER",
        "UK_NINO",
        "UK_POSTCODE",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "STREET_ADDRESS",
        "DATE_OF_BIRTH",
        "AGE",
        "REFERENCE_NUMBER",
        "UK_PASSPORT",
        "UK_DRIVING_LICENCE",
        "SORT_CODE",
        "BANK_ACCOUNT",
        "VEHICLE_REGISTRATION",
        "UK_UTR",
        "IP_ADDRESS",
        "CREDIT_CARD",
    }
)
MARK = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]", re.DOTALL)
HERE = Path(__file__).parent


def strip_marks(marked: str) -> tuple[str, list[dict], list[dict]]:
    """Return the plain text and the PII and KEEP spans that the marks in ``marked`` denote."""
    text_parts: list[str] = []
    spans: list[dict] = []
    keep: list[dict] = []
    cursor = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[cursor : match.start()]
        text_parts.append(before)
        length += len(before)
        label, value = match.group(1), match.group(2)
        if label != "KEEP" and label not in ENTITY_TYPES:
            raise ValueError(f"unknown label {label!r}")
        if "[[" in value or "]]" in value:
            raise ValueError("nested mark")
        span = {"start": length, "end": length + len(value), "text": value}
        if label == "KEEP":
            keep.append(span)
        else:
            spans.append({"type": label, **span})
        text_parts.append(value)
        length += len(value)
        cursor = match.end()
    rest = marked[cursor:]
    if "[[" in rest or "]]" in rest:
        raise ValueError("unclosed or malformed mark")
    text_parts.append(rest)
    return "".join(text_parts), spans, keep


def main() -> int:
    """Convert every source file; print per-type counts; return a process exit code."""
    documents: list[dict] = []
    errors = 0
    for source in sorted((HERE / "source").glob("*.jsonl")):
        for line_number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            try:
                text, spans, keep = strip_marks(record["marked"])
            except ValueError as error:
                print(f"{source.name}:{line_number}: {error}", file=sys.stderr)
                errors += 1
                continue
            documents.append(
                {"id": record["id"], "style": record["style"], "text": text, "spans": spans, "keep": keep}
            )
    ids = [d["id"] for d in documents]
    if len(ids) != len(set(ids)):
        print("duplicate document ids", file=sys.stderr)
        errors += 1
    with (HERE / "documents.jsonl").open("w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for document in documents:
        for span in document["spans"]:
            counts[span["type"]] = counts.get(span["type"], 0) + 1
    print(f"{len(documents)} documents")
    for label, count in sorted(counts.items(), key=lambda item: -item[1]):
        print(f"{label:22} {count}")
    print(f"{'KEEP':22} {sum(len(d['keep']) for d in documents)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
