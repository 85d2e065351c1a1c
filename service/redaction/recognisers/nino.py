"""National Insurance numbers, with HMRC's rules on prefixes."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer, has_context

INVALID_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def nino_valid(value: str) -> bool:
    """Whether ``value`` is a well-formed NI number: allowed prefix letters, six digits, suffix A-D or none."""
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]?", compact):
        return False
    first, second = compact[0], compact[1]
    return first not in "DFIQUV" and second not in "DFIOQUV" and compact[:2] not in INVALID_PREFIXES


class NinoRecognizer(ContextPatternRecognizer):
    """NI numbers in any spacing and case; without the suffix letter only near NI wording."""

    ENTITY = "UK_NINO"
    PATTERNS = [
        Pattern("nino", r"(?<![\w])[A-Za-z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-Da-d](?![\w])", 0.6),
        Pattern("nino_no_suffix", r"(?<![\w])[A-Za-z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}(?![\w])", 0.3),
    ]
    CONTEXT = ("national insurance", "ni number", "ni no", "nino", "nat ins", "n.i.", "ni")
    CONTEXT_SCORE = 0.9

    def validate_result(self, pattern_text: str) -> bool:
        """True when prefix and suffix follow HMRC's rules."""
        return nino_valid(pattern_text)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Suffixed numbers always; unsuffixed ones (score 1.0 after validation) only with NI context."""
        results = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            has_suffix = text[result.end - 1].isalpha()
            if has_suffix or has_context(
                text, result.start, result.end, self.CONTEXT, self.BEFORE, self.AFTER
            ):
                results.append(result)
        return results
