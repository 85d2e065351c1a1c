"""Reference numbers (case, claim, hospital, prison, tribunal...) from configurable patterns with context words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult

from service.redaction.recognisers.base import ContextPatternRecognizer

BUNDLED_PATTERNS = Path(__file__).parent.parent / "data" / "reference_patterns.json"


class ReferencePatternError(ValueError):
    """A reference pattern definition is malformed."""


class ReferencePatternRecognizer(ContextPatternRecognizer):
    """One configured reference pattern with its own context words."""

    ENTITY = "REFERENCE_NUMBER"
    BEFORE = 40

    def __init__(self, pattern: Pattern, context: tuple[str, ...], context_required: bool) -> None:
        self.PATTERNS = [pattern]
        self.CONTEXT = context
        self.CONTEXT_REQUIRED = context_required
        super().__init__()
        self.name = ReferenceNumberRecognizer.__name__


class ReferenceNumberRecognizer(EntityRecognizer):
    """Reference numbers: each pattern matches only near one of its own context words, unless it says
    ``"context_required": false`` (formats distinctive enough alone, such as GWF numbers).

    Each pattern is its own recogniser, so where two patterns match the same characters each is judged by
    its own context (Presidio would otherwise keep one of the two before the context is looked at).
    """

    def __init__(self, definitions: list[dict[str, Any]]) -> None:
        self.parts = []
        for position, definition in enumerate(definitions):
            try:
                name, regex = str(definition["name"]), str(definition["regex"])
            except (KeyError, TypeError) as error:
                raise ReferencePatternError(
                    f"reference pattern {position} needs 'name' and 'regex'"
                ) from error
            pattern = Pattern(name, regex, float(definition.get("score", 0.85)))
            context = tuple(str(word) for word in definition.get("context", []))
            self.parts.append(
                ReferencePatternRecognizer(pattern, context, bool(definition.get("context_required", True)))
            )
        super().__init__(
            supported_entities=["REFERENCE_NUMBER"], name=type(self).__name__, supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled on first use."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        """Matches of every pattern that have that pattern's context near them (or need none)."""
        results = [result for part in self.parts for result in part.analyze(text, entities)]
        for result in results:  # Presidio looks results up by the identifier of the recogniser it called
            result.recognition_metadata[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY] = self.id
        return results


def load_reference_patterns(extra: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The bundled reference patterns followed by ``extra`` ones."""
    bundled = json.loads(BUNDLED_PATTERNS.read_text(encoding="utf-8"))
    return [*bundled, *(extra or [])]
