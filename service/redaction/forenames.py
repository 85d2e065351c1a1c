"""Forenames common enough to be evidence of a person: the list in ``data/forenames.txt``, and how it is built.

The list comes from the name data of nomquamgender (MIT; github.com/ianvanbuskirk/nomquamgender), which
counts given names across 36 sources of many countries, so it holds the Welsh, Scottish, Irish, South Asian,
African and Eastern European forenames that spaCy misses and Faker's lists lack ("Eilidh", "Aled",
"Sandeep", "Parveen", "Abdirahman", "Zofia"). The package itself is not a dependency (it brings GPL code,
Unidecode, and 4 MB of data); the list is built from its ``name_data.json`` once:

    python -m service.redaction.forenames path/to/nomquamgender/name_data.json > service/redaction/data/forenames.txt
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from models.features import fold

FORENAMES_FILE = Path(__file__).parent / "data" / "forenames.txt"
# A name is kept when its sources count it at least this often, in at least this many of them: "Parveen"
# (304 in 17) and "Aled" (999 in 14) are in. With 5 sources, surnames and places that are seldom forenames
# came in and were redacted in our PII samples ("Marston", "Gleason", "Radford", "Audi": 5 to 8 sources).
MIN_COUNT = 250
MIN_SOURCES = 10
NAME = re.compile(r"[a-z](?:[a-z'-]*[a-z])?")
LICENCE = """\
# Forenames seen at least {count} times in at least {sources} sources of nomquamgender's name data, lower
# case, one per line. Built by `python -m service.redaction.forenames name_data.json` (see forenames.py).
#
# nomquamgender: Copyright (c) 2022 Ian Van Buskirk, MIT licence:
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
# associated documentation files (the "Software"), to deal in the Software without restriction, including
# without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
# following conditions: The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
# LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
# EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
# IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
# THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


@lru_cache(maxsize=1)
def _forenames() -> frozenset[str]:
    """The names of ``FORENAMES_FILE`` (comment lines skipped)."""
    lines = FORENAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def known_forename(word: str) -> bool:
    """Whether ``word`` (any case; accents ignored, as the list spells "Siân" "sian") is a forename of the list."""
    return fold(word) in _forenames()


def common_forenames(name_data: dict[str, list]) -> list[str]:
    """The names of nomquamgender's ``name_data`` (name: [sources, count, ...]) counted at least MIN_COUNT
    times in at least MIN_SOURCES sources, made only of letters, hyphens and apostrophes, sorted."""
    return sorted(
        name
        for name, (sources, count, *_) in name_data.items()
        if count >= MIN_COUNT and sources >= MIN_SOURCES and NAME.fullmatch(name)
    )


def main(arguments: list[str]) -> None:
    """Print the forename list, with its licence, built from the ``name_data.json`` named in ``arguments``."""
    if len(arguments) != 1:
        sys.exit("usage: python -m service.redaction.forenames path/to/name_data.json")
    name_data = json.loads(Path(arguments[0]).read_text(encoding="utf-8"))
    sys.stdout.write(LICENCE.format(count=MIN_COUNT, sources=MIN_SOURCES))
    sys.stdout.write("".join(f"{name}\n" for name in common_forenames(name_data)))


if __name__ == "__main__":
    main(sys.argv[1:])
