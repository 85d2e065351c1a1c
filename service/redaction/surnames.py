"""Surnames of the origins most common in the UK, from Faker's person providers (MIT): a surname that is
also an English word ("Price", "Evans", "Hughes") still reads as a surname after a forename."""

from __future__ import annotations

import importlib
from functools import lru_cache

from service.redaction.recognisers.address import STREET_SUFFIXES

# Faker locales whose surname lists are read: British, Irish and other English-speaking origins, and many
# of the largest groups born abroad, or of heritage from abroad, in the 2021 census of England and Wales.
SURNAME_LOCALES = (
    "en_GB",
    "en_IE",
    "en_US",
    "en_IN",
    "en_PK",
    "en_NG",
    "hi_IN",
    "bn_BD",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "it_IT",
    "pt_PT",
    "es_ES",
    "tr_TR",
    "fa_IR",
    "ar_AA",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "sw",
)
# Surnames that also end the names of places ("Hatton Cross", "Shelly Park", "Eriksson Bridge") are not
# taken as evidence of a person: spaCy's organisations and facilities are full of them.
PLACE_ENDINGS = frozenset(
    {suffix.lower() for suffix in STREET_SUFFIXES}
    | {"cross", "bridge", "hall", "wood", "ford", "heath", "common", "moor", "mill", "mills", "farm", "lodge"}
    | {"manor", "castle", "abbey", "tower", "wells", "brook", "dale", "hurst", "marsh", "down", "downs"}
    | {"valley", "forest", "beach", "bay", "island", "point", "port", "haven", "village", "town", "city"}
)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """Every surname in the locales' lists, lower case."""
    found: set[str] = set()
    for locale in SURNAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("last_names", "last_names_male", "last_names_female"):
            found.update(name.lower() for name in getattr(provider, attribute, ()))
    return frozenset(found)


def known_surname(word: str) -> bool:
    """Whether lower-case ``word`` is a surname in the lists of ``SURNAME_LOCALES`` and does not also end
    place names (see ``PLACE_ENDINGS``)."""
    return word in _surnames() and word not in PLACE_ENDINGS
