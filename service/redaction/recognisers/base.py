"""A pattern recogniser whose context words are checked on the raw text, not on spaCy lemmas."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult


def has_context(
    text: str, start: int, end: int, words: tuple[str, ...], before: int = 50, after: int = 20
) -> bool:
    """Whether one of ``words`` (case-insensitive, whole words or phrases, also with a plural "s": "our
    references") stands within the window around ``text[start:end]``: up to ``before`` characters before it
    or ``after`` characters after it."""
    if not words:
        return False
    window = text[max(0, start - before) : start] + " " + text[end : end + after]
    return _context_pattern(words).search(window) is not None


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _context_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    if words not in _PATTERNS:
        alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
        _PATTERNS[words] = re.compile(rf"(?<![a-z0-9])(?:{alternatives})s?(?![a-z0-9])", re.IGNORECASE)
    return _PATTERNS[words]


class ContextPatternRecognizer(PatternRecognizer):
    """Regex patterns plus context words looked for in the raw text around each match.

    With ``CONTEXT_REQUIRED`` a match counts only when a context word is near; otherwise context raises its
    score to at least ``CONTEXT_SCORE``. ``BLOCKERS`` are words that, near a match, veto it. With
    ``CONTEXT_STOPS_AT_PREVIOUS_MATCH`` the context looked for before a match does not reach back past the
    previous match, so wording that belongs to one match is not lent to the next. Subclasses set
    ``ENTITY``, ``PATTERNS`` and the word lists, and may override ``validate_result`` (a checksum).
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    CONTEXT_REQUIRED: ClassVar[bool] = False
    CONTEXT_SCORE: ClassVar[float] = 0.85
    BLOCKERS: ClassVar[tuple[str, ...]] = ()
    BLOCKERS_BEFORE: ClassVar[int] = 60
    BLOCKERS_AFTER: ClassVar[int] = 0
    CONTEXT_STOPS_AT_PREVIOUS_MATCH: ClassVar[bool] = False
    BEFORE: ClassVar[int] = 50
    AFTER: ClassVar[int] = 20
    FLAGS: ClassVar[int] = re.MULTILINE

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=self.PATTERNS,
            name=type(self).__name__,
            supported_language="en",
            global_regex_flags=self.FLAGS,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None
    ) -> list[RecognizerResult]:
        """Pattern matches that pass validation and the context rules."""
        results = []
        previous_end = 0
        matches = super().analyze(text, entities, nlp_artifacts=None, regex_flags=self.FLAGS)
        for result in sorted(matches, key=lambda match: (match.start, match.end)):
            before = self.BEFORE
            if self.CONTEXT_STOPS_AT_PREVIOUS_MATCH:
                before = min(before, max(0, result.start - previous_end))
                previous_end = max(previous_end, result.end)
            near = has_context(text, result.start, result.end, self.CONTEXT, before, self.AFTER)
            if self.CONTEXT_REQUIRED and not near:
                continue
            if self.BLOCKERS and has_context(
                text, result.start, result.end, self.BLOCKERS, self.BLOCKERS_BEFORE, self.BLOCKERS_AFTER
            ):
                continue
            if near:
                result.score = max(result.score, self.CONTEXT_SCORE)
            results.append(result)
        return results
