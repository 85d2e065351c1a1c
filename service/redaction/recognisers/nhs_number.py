"""NHS numbers: ten digits (3-3-4) that pass the Modulus 11 check."""

from __future__ import annotations

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer


def nhs_checksum_ok(value: str) -> bool:
    """Whether the ten digits of ``value`` pass the NHS Modulus 11 check (a check value of 10 never does)."""
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


class NhsNumberRecognizer(ContextPatternRecognizer):
    """NHS numbers spaced, hyphenated or run together; the checksum decides."""

    ENTITY = "NHS_NUMBER"
    PATTERNS = [Pattern("nhs_number", r"(?<![\w-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w-])", 0.5)]
    CONTEXT = ("nhs", "nhs no", "nhs number", "nhs num")

    def validate_result(self, pattern_text: str) -> bool:
        """True only for a valid Modulus 11 check digit."""
        return nhs_checksum_ok(pattern_text)
