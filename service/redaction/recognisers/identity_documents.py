"""Identity documents: UK passports and DVLA driving licences."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer


class UkPassportRecognizer(ContextPatternRecognizer):
    """UK passport numbers near the word "passport": nine digits (current) or two letters and seven digits.

    Presidio's own UK pattern is only the older letters-and-digits form, so it misses current passports.
    """

    ENTITY = "UK_PASSPORT"
    PATTERNS = [
        Pattern("passport_digits", r"(?<![\w-])\d{9}(?![\w-])", 0.4),
        Pattern("passport_letters", r"(?<![\w-])[A-Z]{2}\d{7}(?![\w-])", 0.4),
    ]
    CONTEXT = ("passport", "passport no", "passport number", "travel document", "hmpo")
    CONTEXT_REQUIRED = True
    BEFORE = 150


DRIVING_LICENCE = (
    r"(?<![\w])[A-Z9]{5}[ ]?\d[0156]\d[0-3]\d\d[ ]?[A-Z9]{2}\d[ ]?[A-Z]{2}(?:[ ]?\d{2})?(?![\w])"
)


def licence_fields_ok(value: str) -> bool:
    """Whether the birth-month (01-12, or 51-62 for women) and day (01-31) fields of a DVLA number are real."""
    compact = re.sub(r"\s", "", value)
    month, day = int(compact[6:8]), int(compact[8:10])
    return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31 and compact[0] != "9"


class UkDrivingLicenceRecognizer(ContextPatternRecognizer):
    """DVLA driving licence numbers (16 characters, optional spaces and issue digits)."""

    ENTITY = "UK_DRIVING_LICENCE"
    PATTERNS = [Pattern("dvla_licence", DRIVING_LICENCE, 0.8)]
    CONTEXT = ("driving licence", "driver's licence", "licence number", "licence no", "dvla", "licence")

    def validate_result(self, pattern_text: str) -> bool | None:
        """False when the month or day field is impossible."""
        return None if licence_fields_ok(pattern_text) else False
