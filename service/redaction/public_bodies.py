"""The allow-list: public bodies that published decisions keep named, and the deny-list of terms always redacted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service.redaction.trie import alternation

DATA_DIR = Path(__file__).parent / "data"
PUBLIC_BODIES_FILE = DATA_DIR / "public_bodies.txt"
ORGANISATION_WORDS = (
    "NHS Foundation Trust",
    "NHS Trust",
    "Foundation Trust",
    "Trust",
    "Integrated Care Board",
    "ICB",
    "CCG",
    "Clinical Commissioning Group",
    "Hospital",
    "Hospitals",
    "Infirmary",
    "Medical Centre",
    "Health Centre",
    "Medical Practice",
    "Practice",
    "Surgery",
    "Clinic",
    "Hospice",
    "Council",
    "Borough Council",
    "Tribunal",
    "Court",
    "Crown Court",
    "Magistrates' Court",
    "Magistrates Court",
    "Prison",
    "Agency",
    "Service",
    "Services",
    "Office",
    "Department",
    "Ministry",
    "Unit",
    "Centre",
    "Team",
    "Partnership",
    "University",
    "College",
    "School",
    "Academy",
    "Pharmacy",
    "Jobcentre",
    "Ambulance Service",
    "Police",
    "Constabulary",
    "Ombudsman",
    "Commission",
    "Authority",
    "Board",
    "Company",
    "Ltd",
    "Limited",
    "plc",
    "Association",
    "Society",
    "Charity",
)
CAPITALISED = r"(?:[A-Z][\w'’&.-]*|of|and|the|for|&|upon|on|in)"
GENERIC_BODY = re.compile(
    rf"\b(?:[A-Z][\w'’.-]*[ \t]+)(?:{CAPITALISED}[ \t]+){{0,6}}(?:{'|'.join(re.escape(w) for w in ORGANISATION_WORDS)})\b"
    rf"|\bHMP(?:[ \t]+[A-Z][\w'’-]+){{1,2}}|\bHM[ \t]+[A-Z][\w&' ]+?(?:Service|Office|Prison|Revenue & Customs)\b"
)


@dataclass(frozen=True)
class TermList:
    """Exact terms (case-insensitive, whole words) and, for public bodies, the generic organisation pattern."""

    terms: tuple[str, ...]
    include_generic: bool = False

    def regions(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of ``text`` that match a term (or the generic organisation pattern)."""
        found: list[tuple[int, int]] = []
        if self.terms:
            for match in self._pattern().finditer(text):
                found.append(match.span())
        if self.include_generic:
            found += [match.span() for match in GENERIC_BODY.finditer(text)]
        return found

    def extended(self, extra: Iterable[str]) -> TermList:
        """This list with ``extra`` terms added."""
        more = tuple(term.strip() for term in extra if term and term.strip())
        return TermList(self.terms + more, self.include_generic) if more else self

    def _pattern(self) -> re.Pattern[str]:
        return _compile(self.terms)


@lru_cache(maxsize=64)
def _compile(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + alternation(terms) + r"(?!\w)", re.IGNORECASE)


def read_terms(path: Path | None) -> tuple[str, ...]:
    """Terms from a text file, one per line; blank lines and ``#`` comments ignored; none for no path."""
    if path is None:
        return ()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def public_bodies(extra_file: Path | None = None) -> TermList:
    """The shipped allow-list of public bodies, plus the terms in ``extra_file``."""
    return TermList(read_terms(PUBLIC_BODIES_FILE) + read_terms(extra_file), include_generic=True)


def deny_list(file: Path | None = None) -> TermList:
    """Terms always redacted: those in ``file`` (none by default)."""
    return TermList(read_terms(file))
