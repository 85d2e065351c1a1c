"""Compile long lists of words into one regular expression that branches like a trie."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(terms: Iterable[str]) -> str:
    """A regex (non-capturing) matching exactly ``terms``, factored by common prefixes.

    Python's ``re`` tries every branch of a flat "a|b|c" alternation at each position; factoring the
    branches by their first characters makes a list of a thousand public bodies cheap to search.
    Longer terms are preferred where one term is a prefix of another.
    """
    trie: dict = {}
    for term in terms:
        if not term:
            continue
        node = trie
        for character in term:
            node = node.setdefault(character, {})
        node[""] = {}
    return _render(trie) if trie else "(?!)"


def _render(node: dict) -> str:
    ends_here = "" in node
    branches = [
        re.escape(character) + _render(child) for character, child in sorted(node.items()) if character
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body
