"""Text features shared by training and prediction."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CHAR_NGRAM_SIZES = (3, 4)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _without_combining(match: re.Match[str]) -> str:
    character = match.group()
    return "" if unicodedata.combining(character) else character


def fold(document: str) -> str:
    """Lower-cased with accents stripped: exactly scikit-learn's ``lowercase`` then
    ``strip_accents_unicode``, but only the non-ASCII characters are looked at one by one."""
    lowered = document.lower()
    if lowered.isascii():
        return lowered
    return _NON_ASCII.sub(_without_combining, unicodedata.normalize("NFKD", lowered))


@lru_cache(maxsize=262_144)
def word_char_ngrams(word: str) -> tuple[str, ...]:
    """The character n-grams of one word, padded with a space each side (memoised)."""
    padded = f" {word} "
    grams: list[str] = []
    for size in CHAR_NGRAM_SIZES:
        if len(padded) <= size:
            grams.append(padded)
            break
        grams += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return tuple(grams)


def char_wb_ngrams(document: str) -> list[str]:
    """Character 3- and 4-grams inside word boundaries, accents folded and lower-cased.

    The same n-grams as scikit-learn's ``analyzer="char_wb"`` with ``ngram_range=(3, 4)``, but memoised
    per word, which makes it several times faster on complaint text, where words repeat.
    """
    grams: list[str] = []
    for word in words(document):
        grams += word_char_ngrams(word)
    return grams


def words(document: str) -> list[str]:
    """The words ``char_wb_ngrams`` takes n-grams of: accents folded, lower-cased, split on white space."""
    return fold(document).split()
