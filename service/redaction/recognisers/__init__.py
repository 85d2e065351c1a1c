"""Personal-data recognisers, one per kind of identifier, each a Presidio recogniser: UK formats first."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import EntityRecognizer

from service.redaction.recognisers.address import AddressAfterCueRecognizer, StreetAddressRecognizer
from service.redaction.recognisers.banking import BankAccountRecognizer, SortCodeRecognizer
from service.redaction.recognisers.identity_documents import UkDrivingLicenceRecognizer, UkPassportRecognizer
from service.redaction.recognisers.international import (
    CardNumberRecognizer,
    ContextPhoneRecognizer,
    PremisesRecognizer,
    ZipCodeRecognizer,
)
from service.redaction.recognisers.nhs_number import NhsNumberRecognizer
from service.redaction.recognisers.nino import NinoRecognizer
from service.redaction.recognisers.personal_details import AgeRecognizer, DateOfBirthRecognizer
from service.redaction.recognisers.phone import UkPhoneRecognizer
from service.redaction.recognisers.postcode import PostcodeRecognizer
from service.redaction.recognisers.references import ReferenceNumberRecognizer, load_reference_patterns
from service.redaction.recognisers.tax_reference import UtrRecognizer
from service.redaction.recognisers.vehicle import VehicleRegistrationRecognizer


def build_uk_recognisers(
    extra_reference_patterns: list[dict[str, Any]] | None = None,
) -> list[EntityRecognizer]:
    """One instance of every UK recogniser; reference numbers use the bundled patterns plus any extras."""
    return [
        NhsNumberRecognizer(),
        NinoRecognizer(),
        PostcodeRecognizer(),
        UkPhoneRecognizer(),
        UkPassportRecognizer(),
        UkDrivingLicenceRecognizer(),
        SortCodeRecognizer(),
        BankAccountRecognizer(),
        VehicleRegistrationRecognizer(),
        UtrRecognizer(),
        DateOfBirthRecognizer(),
        AgeRecognizer(),
        StreetAddressRecognizer(),
        ReferenceNumberRecognizer(load_reference_patterns(extra_reference_patterns)),
    ]


def build_general_recognisers() -> list[EntityRecognizer]:
    """Recognisers for personal data in any country's format, found by the wording around it."""
    return [
        ZipCodeRecognizer(),
        CardNumberRecognizer(),
        PremisesRecognizer(),
        ContextPhoneRecognizer(),
        AddressAfterCueRecognizer(),
    ]
