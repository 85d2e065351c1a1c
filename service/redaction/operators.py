"""Anonymisation modes: each a small operator class, made by name through ``make_operator``."""

from __future__ import annotations

import hashlib
import hmac
import re
from abc import ABC, abstractmethod
from typing import ClassVar

from presidio_anonymizer.operators import Mask, Redact, Replace

from service.redaction.entities import PERSON, TAGS
from service.redaction.modes import MODES
from service.redaction.people import Person


class ModeError(ValueError):
    """An unknown mode, or a mode that cannot run as configured (hash without a key)."""


class Operator(ABC):
    """Turns one detected value into its replacement."""

    name: ClassVar[str]

    @abstractmethod
    def replace(self, value: str, entity_type: str, person: Person | None) -> str:
        """The replacement for ``value`` (of ``entity_type``; ``person`` set for PERSON mentions)."""


class TagOperator(Operator):
    """A typed tag such as "[NAME]" or "[NHS NUMBER]" (presidio-anonymizer's ``replace``)."""

    name = "tag"

    def replace(self, value: str, entity_type: str, person: Person | None) -> str:
        """The tag of ``entity_type``."""
        return Replace().operate(value, {"new_value": TAGS.get(entity_type, f"[{entity_type}]")})


class RemoveOperator(Operator):
    """Nothing at all (presidio-anonymizer's ``redact``)."""

    name = "remove"

    def replace(self, value: str, entity_type: str, person: Person | None) -> str:
        """The empty string."""
        return Redact().operate(value, {})


class MaskOperator(Operator):
    """Asterisks for all but the last four characters (presidio-anonymizer's ``mask``)."""

    name = "mask"
    keep = 4

    def replace(self, value: str, entity_type: str, person: Person | None) -> str:
        """``value`` with every character but the last four masked."""
        params = {"masking_char": "*", "chars_to_mask": max(len(value) - self.keep, 0), "from_end": False}
        return Mask().operate(value, params)


class HashOperator(Operator):
    """A keyed HMAC-SHA256 of the normalised value, so records link without the value being seen.

    Every mention of one person hashes their fullest name, so "Mrs Okafor" and "Janet Okafor" agree.
    """

    name = "hash"
    digits = 16

    def __init__(self, key: str | None) -> None:
        if not key:
            raise ModeError("mode 'hash' needs a deployment secret: set CASEWORK_HASH_KEY")
        self._key = key.encode("utf-8")

    def replace(self, value: str, entity_type: str, person: Person | None) -> str:
        """ "[TAG digest]" where digest is the first 16 hex digits of the HMAC."""
        canonical = " ".join(person.words) if person else value
        normalised = re.sub(r"[\s.-]+", "", canonical).casefold()
        digest = hmac.new(self._key, f"{entity_type}:{normalised}".encode(), hashlib.sha256).hexdigest()
        tag = TAGS.get(entity_type, f"[{entity_type}]")
        return f"{tag[:-1]} {digest[: self.digits]}]"


class LettersOperator(Operator):
    """The publication convention: a person becomes their title and a letter ("Mrs B"), or a bare letter."""

    name = "letters"

    def replace(self, value: str, entity_type: str, person: Person | None) -> str:
        """ "Title Letter" for a person with a known title, "Letter" without; other types get their tag."""
        if entity_type != PERSON or person is None:
            return TagOperator().replace(value, entity_type, person)
        return f"{person.title} {person.letter}" if person.title else person.letter


def make_operator(mode: str, hash_key: str | None) -> Operator:
    """The operator for ``mode``; ModeError for an unknown mode or hash without a key."""
    if mode == "hash":
        return HashOperator(hash_key)
    operators: dict[str, type[Operator]] = {
        operator.name: operator for operator in (TagOperator, RemoveOperator, MaskOperator, LettersOperator)
    }
    if mode not in operators:
        raise ModeError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    return operators[mode]()
