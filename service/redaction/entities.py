"""The personal-data entity types we detect, and the tag each becomes."""

from __future__ import annotations

PERSON = "PERSON"
DENY_LIST = "DENY_LIST"

TAGS: dict[str, str] = {
    PERSON: "[NAME]",
    "NHS_NUMBER": "[NHS NUMBER]",
    "UK_NINO": "[NI NUMBER]",
    "UK_POSTCODE": "[POSTCODE]",
    "STREET_ADDRESS": "[ADDRESS]",
    "PHONE_NUMBER": "[PHONE]",
    "EMAIL_ADDRESS": "[EMAIL]",
    "DATE_OF_BIRTH": "[DATE OF BIRTH]",
    "AGE": "[AGE]",
    "REFERENCE_NUMBER": "[REFERENCE]",
    "UK_PASSPORT": "[PASSPORT NUMBER]",
    "UK_DRIVING_LICENCE": "[DRIVING LICENCE]",
    "SORT_CODE": "[SORT CODE]",
    "BANK_ACCOUNT": "[ACCOUNT NUMBER]",
    "VEHICLE_REGISTRATION": "[VEHICLE REGISTRATION]",
    "UK_UTR": "[UTR]",
    "IP_ADDRESS": "[IP ADDRESS]",
    "CREDIT_CARD": "[CARD NUMBER]",
    "ZIP_CODE": "[POSTCODE]",
    "IBAN_CODE": "[IBAN]",
    "US_SSN": "[SSN]",
    DENY_LIST: "[REDACTED]",
}
ENTITY_TYPES: tuple[str, ...] = tuple(TAGS)
