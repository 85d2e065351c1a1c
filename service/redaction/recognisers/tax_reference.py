"""HMRC Unique Taxpayer References: ten digits near UTR wording."""

from __future__ import annotations

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer


class UtrRecognizer(ContextPatternRecognizer):
    """Ten-digit UTRs (also written 5 + 5, or with a trailing K) near "UTR" or "tax reference"."""

    ENTITY = "UK_UTR"
    PATTERNS = [Pattern("utr", r"(?<![\w-])\d{5}[ ]?\d{5}K?(?![\w-])", 0.3)]
    CONTEXT = (
        "utr",
        "unique taxpayer reference",
        "taxpayer reference",
        "tax reference",
        "self assessment",
        "sa reference",
        "self-assessment",
    )
    CONTEXT_REQUIRED = True
    BEFORE = 60
