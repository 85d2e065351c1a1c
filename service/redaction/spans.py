"""A detected span of personal data, and how overlapping detections are resolved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A detected entity: ``text[start:end]`` is of ``type``, found by ``recogniser`` with ``score``."""

    start: int
    end: int
    type: str
    score: float
    recogniser: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span offsets {self.start}..{self.end}")

    def check_within(self, text: str) -> Span:
        """Return self, or raise ValueError when the span does not lie inside ``text``."""
        if self.end > len(text):
            raise ValueError(f"span {self.start}..{self.end} outside a text of {len(text)} characters")
        return self

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Span:
        """The same span moved ``offset`` characters to the right."""
        return Span(self.start + offset, self.end + offset, self.type, self.score, self.recogniser)


def resolve_overlaps(spans: Iterable[Span], priority: dict[str, int] | None = None) -> list[Span]:
    """Non-overlapping spans covering every character any input span covers, in text order.

    Overlapping spans are merged into one that covers both (recall first: nothing detected is dropped);
    the merged span keeps the type of the preferred input: higher ``priority`` for its type, then the
    longer span, then the higher score.
    """
    priority = priority or {}

    def preference(span: Span) -> tuple[int, int, float]:
        return (priority.get(span.type, 0), span.end - span.start, span.score)

    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            previous = merged[-1]
            winner = max(previous, span, key=preference)
            merged[-1] = Span(
                previous.start,
                max(previous.end, span.end),
                winner.type,
                max(previous.score, span.score),
                winner.recogniser,
            )
        else:
            merged.append(span)
    return merged
