"""UK postcodes: full ones anywhere, an outward code alone only where an address puts it."""

from __future__ import annotations

from presidio_analyzer import Pattern, RecognizerResult

from service.redaction.recognisers.base import ContextPatternRecognizer

OUTWARD = r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
# A town as an address writes it: at the start of a line or after a comma ("14 High Street, Leeds LS1"),
# so a capitalised word in a sentence ("given Vitamin B12.") does not count.
TOWN = r"(?:^|,)[ \t]*[A-Z][a-z]+(?:[ \t-]+(?:upon|on|under|in|le|de|la|[A-Z][a-z]+)){0,3}"


class PostcodeRecognizer(ContextPatternRecognizer):
    """Full postcodes (with or without the space, any case) and outward codes after a town in an address."""

    ENTITY = "UK_POSTCODE"
    PATTERNS = [
        Pattern("postcode", rf"(?<![\w-])(?:{OUTWARD}[ \t]?{INWARD}|GIR[ ]?0AA)(?![\w-])", 0.7),
        Pattern("postcode_lower", rf"(?i)(?<![\w-])(?:{OUTWARD}[ \t]?{INWARD})(?![\w-])", 0.3),
        Pattern(
            "outward_code_after_town",
            rf"(?<={TOWN},?[ \t\n]){OUTWARD}(?=[ \t]*(?:$|[,.\n)]))",
            0.4,
        ),
    ]
    CONTEXT = (
        "postcode",
        "post code",
        "address",
        "lives at",
        "living at",
        "resides",
        "road",
        "street",
        "close",
        "avenue",
        "lane",
        "drive",
        "flat",
    )
    CONTEXT_SCORE = 0.85

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        """Upper-case full postcodes always; lower-case ones and lone outward codes only near address words."""
        return [
            result
            for result in super().analyze(text, entities, nlp_artifacts, regex_flags)
            if result.score >= 0.7
        ]
