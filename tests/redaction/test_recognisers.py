"""Table-driven tests for the UK recognisers: each is called directly on realistic sentences.

A valid example names the exact span the recogniser must find, with a score the service would redact at;
an invalid one must yield nothing of that entity, at any score. NHS numbers and NI numbers below were checked
against the Modulus 11 and HMRC prefix rules when the tables were written.
"""

from __future__ import annotations

import random

import pytest
from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from service.redaction.recognisers import build_uk_recognisers
from service.redaction.recognisers.international import FOREIGN_PHONE_REGIONS, WindowedPhoneRecognizer

# The default of Settings.score_threshold: the service redacts spans scoring at least this.
REDACTION_THRESHOLD = 0.4

RECOGNISERS: dict[str, EntityRecognizer] = {
    recogniser.supported_entities[0]: recogniser for recogniser in build_uk_recognisers()
}


def found(entity: str, text: str, min_score: float = 0.0) -> list[str]:
    """The texts of the spans, scoring at least ``min_score``, that the recogniser for ``entity`` finds."""
    recogniser = RECOGNISERS[entity]
    results = recogniser.analyze(text, [recogniser.supported_entities[0]], None)
    return [
        text[result.start : result.end]
        for result in results
        if result.entity_type == entity and result.score >= min_score
    ]


def redacted(entity: str, text: str) -> list[str]:
    """The spans of ``entity`` in ``text`` that score high enough for the service to redact them."""
    return found(entity, text, REDACTION_THRESHOLD)


def test_every_uk_entity_has_exactly_one_recogniser() -> None:
    assert sorted(RECOGNISERS) == sorted(
        [
            "NHS_NUMBER",
            "UK_NINO",
            "UK_POSTCODE",
            "PHONE_NUMBER",
            "UK_PASSPORT",
            "UK_DRIVING_LICENCE",
            "SORT_CODE",
            "BANK_ACCOUNT",
            "VEHICLE_REGISTRATION",
            "UK_UTR",
            "DATE_OF_BIRTH",
            "AGE",
            "REFERENCE_NUMBER",
            "STREET_ADDRESS",
        ]
    )
    assert len(build_uk_recognisers()) == len(RECOGNISERS)


# --- NHS_NUMBER -----------------------------------------------------------------------------------------

NHS_NUMBER_VALID = [
    ("Mrs A's NHS number is 943 476 5919.", "943 476 5919"),
    ("NHS No: 0830166130", "0830166130"),
    ("NHS number 186-091-3903 was on the referral letter.", "186-091-3903"),
    ("The discharge letter quoted 996 030 8243 as his NHS number.", "996 030 8243"),
    ("The patient (NHS 628 194 8211) was reviewed by the registrar.", "628 194 8211"),
    ("Her records, NHS num. 9935181901, could not be found.", "9935181901"),
    ("Name: Mr B\nNHS number: 937 865 7974\nGP: Dr C", "937 865 7974"),
    ("Her NHS number (543 231 9489) appears on every page of the notes.", "543 231 9489"),
    ("Mr B | NHS number 252-760-1898 | Ward 12", "252-760-1898"),
    ("NHS number:5559797111.", "5559797111"),
]

NHS_NUMBER_WRONG_CHECK_DIGIT = [
    "Mrs A's NHS number is 943 476 5910.",
    "NHS No: 0830166131",
    "NHS number 186-091-3904 was on the referral letter.",
    "The discharge letter quoted 996 030 8244 as his NHS number.",
]

NHS_NUMBER_INVALID = [
    pytest.param("NHS number 658 948 1130", id="check value of 10 never valid"),
    pytest.param("NHS number 111 111 1111", id="one repeated digit"),
    pytest.param("NHS number 943 476 591", id="nine digits"),
    pytest.param("NHS number 943 476 59190", id="eleven digits"),
    pytest.param("Please call her on 0161 496 0123.", id="landline"),
    pytest.param("The Trust refunded £1,234.56 on 12/03/2023.", id="amount and date"),
    pytest.param("He was detained under section 117 of the Mental Health Act 1983.", id="statute"),
    pytest.param("Invoice 9434765919-A was paid.", id="part of a longer code"),
]


@pytest.mark.parametrize(("text", "expected"), NHS_NUMBER_VALID)
def test_nhs_number_with_a_valid_check_digit_is_found(text: str, expected: str) -> None:
    assert expected in redacted("NHS_NUMBER", text)


@pytest.mark.parametrize("text", NHS_NUMBER_WRONG_CHECK_DIGIT)
def test_nhs_number_with_a_wrong_check_digit_is_not_found(text: str) -> None:
    assert found("NHS_NUMBER", text) == []


@pytest.mark.parametrize("text", NHS_NUMBER_INVALID)
def test_ten_digit_lookalike_of_an_nhs_number_is_not_found(text: str) -> None:
    assert found("NHS_NUMBER", text) == []


# --- UK_NINO ---------------------------------------------------------------------------------------------

NINO_VALID = [
    ("Her National Insurance number is AB 12 34 56 C.", "AB 12 34 56 C"),
    ("NI number: JG103759A", "JG103759A"),
    ("NINO ce123456d was on the claim form.", "ce123456d"),
    ("His NI no. SK 934821 B was wrong on the award letter.", "SK 934821 B"),
    ("DWP held his national insurance number as NY826104.", "NY826104"),
    ("WL 57 30 92 D appears on the P60.", "WL 57 30 92 D"),
    ("Nat Ins: PZ 64 82 19", "PZ 64 82 19"),
    ("HMRC wrote quoting her NI number (AE 45 67 89 A).", "AE 45 67 89 A"),
    ("Mr B's national insurance number, tx 61 22 45 b, was recorded.", "tx 61 22 45 b"),
    ("N.I. number: RA 10 20 30", "RA 10 20 30"),
]

NINO_INVALID = [
    pytest.param("Her National Insurance number is GB 12 34 56 A.", id="prefix GB not allocated"),
    pytest.param("National insurance number NK 12 34 56 A", id="prefix NK not allocated"),
    pytest.param("The guidance uses QQ 12 34 56 C as its example NI number.", id="first letter Q"),
    pytest.param("NI number DA 12 34 56 B", id="first letter D"),
    pytest.param("NI number AO 12 34 56 B", id="second letter O"),
    pytest.param("NI number FV123456A", id="first letter F and second letter V"),
    pytest.param("Invoice AB123456 was paid in full.", id="no suffix and no NI wording"),
    pytest.param("Form AB123456E was returned.", id="suffix E"),
    pytest.param("His car, AB12 CDE, was clamped.", id="vehicle registration"),
]


@pytest.mark.parametrize(("text", "expected"), NINO_VALID)
def test_national_insurance_number_is_found(text: str, expected: str) -> None:
    assert expected in redacted("UK_NINO", text)


@pytest.mark.parametrize("text", NINO_INVALID)
def test_national_insurance_number_with_a_bad_prefix_or_suffix_is_not_found(text: str) -> None:
    assert found("UK_NINO", text) == []


# --- UK_POSTCODE -----------------------------------------------------------------------------------------

POSTCODE_VALID = [
    ("She lives at 10 Downing Street, London SW1A 2AA.", "SW1A 2AA"),
    ("Postcode: M1 1AE", "M1 1AE"),
    ("His flat is in Birmingham B33 8TH.", "B33 8TH"),
    ("The letter went to CR2 6XH by mistake.", "CR2 6XH"),
    ("HMRC's address ends DN55 1PT.", "DN55 1PT"),
    ("Address: 1 Queen Street, Leeds, ls1 4ap", "ls1 4ap"),
    ("The form gave EC1A1BB as her postcode.", "EC1A1BB"),
    ("Mr C moved to Glasgow G2 3DQ in 2020.", "G2 3DQ"),
    ("Her address is 14 High Street, Leeds LS1.", "LS1"),
    ("He lives at 2 Mill Lane\nHeaton, Newcastle NE6\n", "NE6"),
    ("The Trust wrote to her at 5 Antrim Road, Belfast BT15 2AA.", "BT15 2AA"),
]

POSTCODE_INVALID = [
    pytest.param("Her postcode was given as QA1 1AA.", id="first letter Q"),
    pytest.param("Her postcode was given as VX1 2AB.", id="first letter V"),
    pytest.param("Her postcode was given as SW1A 1CA.", id="inward letter C"),
    pytest.param("The form code ls1 4ap was wrong.", id="lower case without address wording"),
    pytest.param("The conference was held in Leeds LS1.", id="outward code without an address"),
    pytest.param("He was kept under close observation and given Vitamin B12.", id="vitamin"),
    pytest.param("She drove from Leeds M62 every day.", id="motorway"),
    pytest.param("He was detained under section 117 of the Mental Health Act 1983.", id="statute"),
    pytest.param("She was moved to Ward 12 at 14:30 and given 20 mg of sertraline.", id="ward time and dose"),
]


@pytest.mark.parametrize(("text", "expected"), POSTCODE_VALID)
def test_postcode_is_found(text: str, expected: str) -> None:
    assert expected in redacted("UK_POSTCODE", text)


@pytest.mark.parametrize("text", POSTCODE_INVALID)
def test_postcode_lookalike_or_outward_code_outside_an_address_is_not_found(text: str) -> None:
    assert found("UK_POSTCODE", text) == []


# --- PHONE_NUMBER ----------------------------------------------------------------------------------------

PHONE_VALID = [
    ("Her mobile number is 07700 900123.", "07700 900123"),
    ("Call him on +44 7700 900456.", "+44 7700 900456"),
    ("tel: 07700900789", "07700900789"),
    ("His landline is 0161 496 0123.", "0161 496 0123"),
    ("She can be reached on 020 7946 0958.", "020 7946 0958"),
    ("Phone: +44 (0)20 7946 0321", "+44 (0)20 7946 0321"),
    ("Her home number is (0113) 496 0000.", "(0113) 496 0000"),
    ("Mr B gave 01632 960123 as his daytime number.", "01632 960123"),
    ("From abroad she used 0044 7911 123456.", "0044 7911 123456"),
    ("mobile 07700-900-123", "07700-900-123"),
    ("Her Belfast number is 028 9018 0123.", "028 9018 0123"),
    ("text +447700900123 with updates", "+447700900123"),
]

PHONE_INVALID = [
    pytest.param("Contact the ombudsman on 0345 015 4033.", id="non-geographic 03"),
    pytest.param("The Trust's PALS line is 0300 123 4567.", id="non-geographic 0300"),
    pytest.param("Call NHS 111 or 0800 123 4567 free.", id="freephone 08"),
    pytest.param("The Trust's switchboard is 0113 243 3144.", id="switchboard"),
    pytest.param("She called the helpline on 0161 496 0999.", id="helpline"),
    pytest.param("Ring reception on 020 7946 0000 to rebook.", id="reception"),
    pytest.param("Call 0113 496 0000 (switchboard) for an appointment.", id="switchboard after the number"),
    pytest.param("The single point of access on 0161 496 0555 did not answer.", id="single point of access"),
    pytest.param("She rang the passport hotline on 020 7946 0000 daily.", id="hotline"),
    pytest.param("His landline is 0161 496 012.", id="too few digits"),
    pytest.param("Her mobile number is 07700 9001234.", id="too many digits"),
    pytest.param("The Trust refunded £1,234.56 on 12/03/2023 at 14:30.", id="amount date and time"),
    pytest.param("His NHS number is 943 476 5919.", id="NHS number"),
]


@pytest.mark.parametrize(("text", "expected"), PHONE_VALID)
def test_personal_uk_phone_number_is_found(text: str, expected: str) -> None:
    assert expected in redacted("PHONE_NUMBER", text)


@pytest.mark.parametrize("text", PHONE_INVALID)
def test_organisation_number_or_non_phone_is_not_found(text: str) -> None:
    assert found("PHONE_NUMBER", text) == []


# --- UK_PASSPORT -----------------------------------------------------------------------------------------

PASSPORT_VALID = [
    ("Her passport number is 533401372.", "533401372"),
    ("Passport no. 925076473 (expired)", "925076473"),
    ("A copy of his UK passport, 107185703, was sent to the Home Office.", "107185703"),
    ("passport: PA1234567", "PA1234567"),
    ("HMPO records show document 801234567 was issued in 2019.", "801234567"),
    ("His passport (number 512345678) was retained by the Home Office.", "512345678"),
    ("Passport number\n123456780", "123456780"),
    ("Travel document number 650012345 was cancelled.", "650012345"),
    ("Her old passport, no. AB7654321, expired in 2015.", "AB7654321"),
]

PASSPORT_INVALID = [
    pytest.param("Reference 533401372 was quoted on the letter.", id="no passport wording"),
    pytest.param("Her passport number is 12345678.", id="eight digits"),
    pytest.param("Her passport number is 1234567890.", id="ten digits"),
    pytest.param("Her passport, ABC1234567, was lost.", id="three letters"),
    pytest.param("The passport fee of £1,234.56 was refunded.", id="amount"),
    pytest.param("Her passport application was made on 12/03/2023 at 14:30.", id="date and time"),
    pytest.param("The Passport Office helpline is 0300 222 0000.", id="helpline"),
]


@pytest.mark.parametrize(("text", "expected"), PASSPORT_VALID)
def test_passport_number_near_passport_wording_is_found(text: str, expected: str) -> None:
    assert expected in redacted("UK_PASSPORT", text)


@pytest.mark.parametrize("text", PASSPORT_INVALID)
def test_passport_lookalike_or_number_without_passport_wording_is_not_found(text: str) -> None:
    assert found("UK_PASSPORT", text) == []


# --- UK_DRIVING_LICENCE ----------------------------------------------------------------------------------

DRIVING_LICENCE_VALID = [
    ("Driving licence number MORGA753116SM9IJ", "MORGA753116SM9IJ"),
    ("The DVLA record for JONES810298AB9CD was updated.", "JONES810298AB9CD"),
    ("licence: BROWN 507094 JT9HK", "BROWN 507094 JT9HK"),
    ("Her licence, SMITH861050AJ9XY, was revoked.", "SMITH861050AJ9XY"),
    ("Licence LI999662157J99AB (short surname padded with 9s)", "LI999662157J99AB"),
    ("DVLA wrote to WILLI651313PJ9AB in error.", "WILLI651313PJ9AB"),
    ("His licence number is MC999904301D99QR.", "MC999904301D99QR"),
    ("Driving licence PATEL712250RK9LM was suspended.", "PATEL712250RK9LM"),
    ("Her driving licence (OCONN 402011 MA9ZZ) was returned.", "OCONN 402011 MA9ZZ"),
]

DRIVING_LICENCE_INVALID = [
    pytest.param("Driving licence number JONES813298AB9CD", id="month 13"),
    pytest.param("Driving licence number JONES863298AB9CD", id="month 63"),
    pytest.param("Driving licence number JONES800298AB9CD", id="month 00"),
    pytest.param("Driving licence number JONES850298AB9CD", id="month 50"),
    pytest.param("Driving licence number JONES810328AB9CD", id="day 32"),
    pytest.param("Driving licence number JONES810008AB9CD", id="day 00"),
    pytest.param("Driving licence number 99999810298AB9CD", id="surname field all 9s"),
    pytest.param("Driving licence number JONES81029AB9CD", id="fifteen characters"),
    pytest.param("The DVLA fined him £1,234.56 on 12/03/2023.", id="amount and date"),
]


@pytest.mark.parametrize(("text", "expected"), DRIVING_LICENCE_VALID)
def test_dvla_driving_licence_number_is_found(text: str, expected: str) -> None:
    assert expected in redacted("UK_DRIVING_LICENCE", text)


@pytest.mark.parametrize("text", DRIVING_LICENCE_INVALID)
def test_driving_licence_with_an_impossible_month_or_day_is_not_found(text: str) -> None:
    assert found("UK_DRIVING_LICENCE", text) == []


# --- SORT_CODE -------------------------------------------------------------------------------------------

SORT_CODE_VALID = [
    ("Her sort code is 20-00-00.", "20-00-00"),
    ("Sort code: 40 47 84", "40 47 84"),
    ("sort code 309634", "309634"),
    ("Bank: Barclays, sort code 20-45-77, account 12345678", "20-45-77"),
    ("Payments went to her building society (07-00-93).", "07-00-93"),
    ("The bank details were 11-22-33 / 41302586.", "11-22-33"),
    ("a/c 60-83-71 12345678", "60-83-71"),
    ("Her account at Lloyds, sort code 30 99 50, was frozen.", "30 99 50"),
]

SORT_CODE_INVALID = [
    pytest.param("Ticket 12-34-56 was issued at the car park.", id="no banking words"),
    pytest.param("Her bank account number is 12345678.", id="eight digit account number"),
    pytest.param("The bank refunded £1,234.56.", id="amount"),
    pytest.param("The bank wrote to her on 12/03/2023.", id="event date"),
    pytest.param("The account was opened at 14:30.", id="time"),
    pytest.param("The bank reference was 1234567.", id="seven digits"),
    pytest.param("The bank's phone number is 0161 496 0123.", id="phone number"),
    pytest.param("The bank relied on section 117 of the Consumer Credit Act 1974.", id="statute"),
]


@pytest.mark.parametrize(("text", "expected"), SORT_CODE_VALID)
def test_sort_code_near_banking_words_is_found(text: str, expected: str) -> None:
    assert expected in redacted("SORT_CODE", text)


@pytest.mark.parametrize("text", SORT_CODE_INVALID)
def test_six_digits_without_banking_words_or_other_numbers_are_not_sort_codes(text: str) -> None:
    assert found("SORT_CODE", text) == []


# --- BANK_ACCOUNT ----------------------------------------------------------------------------------------

BANK_ACCOUNT_VALID = [
    ("Her account number is 12345678.", "12345678"),
    ("Account no. 4130 2586", "4130 2586"),
    ("a/c 31926819", "31926819"),
    ("Bank: Barclays, sort code 20-45-77, account 55779911", "55779911"),
    ("Building society account 87654321 was closed.", "87654321"),
    ("The refund was paid into her bank account, number 41302586.", "41302586"),
    ("Acct: 00012345", "00012345"),
    ("The bank details were 20-00-00 / 73849201.", "73849201"),
]

BANK_ACCOUNT_INVALID = [
    pytest.param("Her account number is 1234567.", id="seven digits"),
    pytest.param("Her account number is 123456789.", id="nine digits"),
    pytest.param("The account was credited with £1,234.56.", id="amount"),
    pytest.param("The account was closed on 12/03/2023 at 14:30.", id="date and time"),
    pytest.param("Customer 12345678 complained about the delay.", id="no account wording"),
    pytest.param("The bank quoted her NHS number 943 476 5919.", id="NHS number"),
    pytest.param("The bank's phone number is 0161 496 0123.", id="phone number"),
]


@pytest.mark.parametrize(("text", "expected"), BANK_ACCOUNT_VALID)
def test_bank_account_number_near_account_wording_is_found(text: str, expected: str) -> None:
    assert expected in redacted("BANK_ACCOUNT", text)


@pytest.mark.parametrize("text", BANK_ACCOUNT_INVALID)
def test_number_that_is_not_an_eight_digit_account_near_account_wording_is_not_found(text: str) -> None:
    assert found("BANK_ACCOUNT", text) == []


# --- VEHICLE_REGISTRATION --------------------------------------------------------------------------------

VEHICLE_VALID = [
    ("His car, registration AB12 CDE, was clamped.", "AB12 CDE"),
    ("The van (BD51SMR) was parked on the verge.", "BD51SMR"),
    ("Reg YK68 HFP", "YK68 HFP"),
    ("The council fined the vehicle MA70 TVB twice.", "MA70 TVB"),
    ("LN19 XYZ was caught by the camera on the bridge.", "LN19 XYZ"),
    ("He owned a car registered K447 FLU.", "K447 FLU"),
    ("Reg no. P123 ABC", "P123 ABC"),
    ("The van (reg HGF 442N) was towed away.", "HGF 442N"),
    ("The number plate ABC 123D was cloned.", "ABC 123D"),
]

VEHICLE_INVALID = [
    pytest.param("She was transferred to ward AMU 3A overnight.", id="ward name"),
    pytest.param("The code A123 BCD was printed on the invoice.", id="prefix format without vehicle words"),
    pytest.param("The car's registration was shown as QA12 ABC.", id="letter Q in the area code"),
    pytest.param("He was detained under section 117 of the Mental Health Act 1983.", id="statute"),
    pytest.param("He drove on the M62 near Leeds.", id="motorway"),
    pytest.param("The car park charge was £1,234.56.", id="amount"),
    pytest.param("Her car was towed on 12/03/2023 at 14:30.", id="date and time"),
]


@pytest.mark.parametrize(("text", "expected"), VEHICLE_VALID)
def test_vehicle_registration_mark_is_found(text: str, expected: str) -> None:
    assert expected in redacted("VEHICLE_REGISTRATION", text)


@pytest.mark.parametrize("text", VEHICLE_INVALID)
def test_registration_lookalike_or_old_format_without_vehicle_words_is_not_found(text: str) -> None:
    assert found("VEHICLE_REGISTRATION", text) == []


# --- UK_UTR ----------------------------------------------------------------------------------------------

UTR_VALID = [
    ("Her UTR is 1234567890.", "1234567890"),
    ("Unique Taxpayer Reference: 12345 67890", "12345 67890"),
    ("HMRC quoted his self assessment UTR 9876543210K.", "9876543210K"),
    ("Tax reference 5566778899 was wrong on the letter.", "5566778899"),
    ("Her self-assessment reference, 1029384756, was reissued.", "1029384756"),
    ("UTR:\n6677889900", "6677889900"),
    ("The SA reference 24680 13579 belonged to her late husband.", "24680 13579"),
    ("HMRC wrote to him about the taxpayer reference 3141592653.", "3141592653"),
]

UTR_INVALID = [
    pytest.param("Customer number 1234567890 was quoted.", id="no UTR wording"),
    pytest.param("Her UTR is 123456789.", id="nine digits"),
    pytest.param("Her UTR is 12345678901.", id="eleven digits"),
    pytest.param("The self assessment penalty of £1,234.56 was cancelled.", id="amount"),
    pytest.param("The UTR letter was sent on 12/03/2023 at 14:30.", id="date and time"),
    pytest.param("The self assessment helpline is 0300 200 3310.", id="helpline"),
    pytest.param("His UTR was quoted with NHS number 943 476 5919.", id="NHS number"),
]


@pytest.mark.parametrize(("text", "expected"), UTR_VALID)
def test_unique_taxpayer_reference_near_utr_wording_is_found(text: str, expected: str) -> None:
    assert expected in redacted("UK_UTR", text)


@pytest.mark.parametrize("text", UTR_INVALID)
def test_ten_digits_without_utr_wording_or_other_numbers_are_not_utrs(text: str) -> None:
    assert found("UK_UTR", text) == []


# --- DATE_OF_BIRTH ---------------------------------------------------------------------------------------

DATE_OF_BIRTH_VALID = [
    ("DOB: 12/03/1975", "12/03/1975"),
    ("Her date of birth is 3 March 1976.", "3 March 1976"),
    ("He was born on 3rd of March 1976 in Leeds.", "3rd of March 1976"),
    ("Mr B (born 14.02.1988) complained.", "14.02.1988"),
    ("D.O.B. 1985-07-21", "1985-07-21"),
    ("She was born on March 3, 1976.", "March 3, 1976"),
    ("Mrs X (born 5 Jan 1950) complained about her care.", "5 Jan 1950"),
    ("Date of Birth: 21 Sept 1962", "21 Sept 1962"),
    ("DOB 01-12-60", "01-12-60"),
    ("d.o.b. 7/8/1990", "7/8/1990"),
]

DATE_OF_BIRTH_INVALID = [
    pytest.param("She was admitted on 12/03/2023.", id="admission date"),
    pytest.param("The complaint was made on 3 March 2023.", id="complaint date"),
    pytest.param("We received the file on 2023-03-12.", id="ISO event date"),
    pytest.param("Between 1 April 2022 and 31 March 2023 the Trust missed three deadlines.", id="period"),
    pytest.param(
        "The Trust did not reply to Mrs B. On 12 March 2023 she complained to us.", id="after Mrs B."
    ),
    pytest.param("Her birth plan was discussed on 12 March 2023.", id="birth plan"),
    pytest.param("The call was logged at 14:30 on 12.03.2023.", id="time and date"),
    pytest.param("He was detained under section 117 of the Mental Health Act 1983.", id="statute"),
]


@pytest.mark.parametrize(("text", "expected"), DATE_OF_BIRTH_VALID)
def test_date_after_birth_wording_is_found(text: str, expected: str) -> None:
    assert expected in redacted("DATE_OF_BIRTH", text)


@pytest.mark.parametrize("text", DATE_OF_BIRTH_INVALID)
def test_event_date_is_not_a_date_of_birth(text: str) -> None:
    assert found("DATE_OF_BIRTH", text) == []


def test_event_date_after_a_date_of_birth_is_not_found() -> None:
    assert found("DATE_OF_BIRTH", "Mr C (DOB 12/03/1975) was admitted on 14/03/2023.") == ["12/03/1975"]


# --- AGE -------------------------------------------------------------------------------------------------

AGE_VALID = [
    ("Mr D, aged 47, complained about his care.", "aged 47"),
    ("A 47-year-old man attended A&E.", "47-year-old"),
    ("Her six year old son was not seen.", "six year old"),
    ("He is 82 years old.", "82 years old"),
    ("The patient (34yo) attended the clinic.", "34yo"),
    ("Mrs E, aged eighty-two, fell on the ward.", "aged eighty-two"),
    ("Age: 64", "Age: 64"),
    ("A 3 year old boy was sent home.", "3 year old"),
    ("She was twenty-one years of age at the time.", "twenty-one years of age"),
    ("Mrs F, aged 101, was discharged at night.", "aged 101"),
    ("Her 16-year-old daughter was excluded from school.", "16-year-old"),
]

AGE_INVALID = [
    pytest.param("He waited 2 years for a decision.", id="waiting time in years"),
    pytest.param("She had been on the waiting list for two years.", id="waiting time in words"),
    pytest.param("The complaint took 18 months to resolve.", id="months"),
    pytest.param("At stage 2 of the complaints process the Trust apologised.", id="stage number"),
    pytest.param("See page 12 of the report.", id="page number"),
    pytest.param("He was detained under section 117 of the Mental Health Act 1983.", id="statute"),
    pytest.param("She was moved to Ward 12 at 14:30 and given 20 mg of sertraline.", id="ward time and dose"),
    pytest.param("The council set out a 5-year plan in 2019.", id="plan length"),
]


@pytest.mark.parametrize(("text", "expected"), AGE_VALID)
def test_persons_age_is_found(text: str, expected: str) -> None:
    assert expected in redacted("AGE", text)


@pytest.mark.parametrize("text", AGE_INVALID)
def test_duration_or_other_number_is_not_an_age(text: str) -> None:
    assert found("AGE", text) == []


# --- REFERENCE_NUMBER ------------------------------------------------------------------------------------

REFERENCE_VALID = [
    ("Her hospital number RTX1234567 was on the wristband.", "RTX1234567"),
    ("MRN K1234567", "K1234567"),
    ("Her visa application GWF012345678 was refused.", "GWF012345678"),
    ("His prison number A1234BC was on the form.", "A1234BC"),
    ("The tribunal appeal SC242/23/01234 was allowed.", "SC242/23/01234"),
    ("Our ref: PHSO-0012345", "PHSO-0012345"),
    ("Complaint reference C-2023-00123 was closed.", "C-2023-00123"),
    ("Your ref 12345/23", "12345/23"),
    ("CMS case number 1234 5678 9012", "1234 5678 9012"),
    ("Claim reference 8AB12CD34 was rejected.", "8AB12CD34"),
    ("Customer number 123456789 was quoted on the bill.", "123456789"),
    ("Case ID: 20231234", "20231234"),
    ("Her hospital number is RBX 4410 2291 and she was seen in clinic.", "RBX 4410 2291"),
    ("His hospital number is KGH 4471902.", "KGH 4471902"),
    ("In its final response (its reference NWAS-COM-23-11872) the Trust apologised.", "NWAS-COM-23-11872"),
    ("The Trust's reference GHT/PALS/23/1187 was on the letter.", "GHT/PALS/23/1187"),
    ("Our references for the two complaints are C-2023-048812 and C-2023-048813.", "C-2023-048813"),
    ("He reported the theft to the police, crime reference 14/55210/24.", "14/55210/24"),
    ("Application reference: 6190-4427-3815-0026", "6190-4427-3815-0026"),
    ("A falls investigation was opened (Datix W204417).", "W204417"),
    ("The Land Registry title number is WYK774310.", "WYK774310"),
    ("Claim number: M7QX42B9", "M7QX42B9"),
    ("The dispatch record (incident number 2301150932) shows the delay.", "2301150932"),
    ("Submission ID: WEB-24-70215", "WEB-24-70215"),
]

REFERENCE_INVALID = [
    pytest.param("The Trust paid £1,234.56 with reference to the delay.", id="amount"),
    pytest.param(
        "With reference to section 117 of the Mental Health Act 1983, aftercare is free.", id="statute"
    ),
    pytest.param("The reference period ran from 12/03/2023 to 14/03/2023.", id="event dates"),
    pytest.param("HMRC's reference to the 2022/23 tax year was wrong.", id="tax year"),
    pytest.param("Our reference letter of 2023-03-12 was late.", id="ISO date"),
    pytest.param("Item ABC-12345 was delivered late.", id="no reference wording"),
    pytest.param("On 12/03/2023 the reference was updated.", id="event date near reference wording"),
    pytest.param("The reference rates for 2022/2023 and 2023-24 were published.", id="financial years"),
    pytest.param("The case notes record 500mg of paracetamol at 14:30 on Ward 12.", id="dose time and ward"),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCE_VALID)
def test_reference_number_near_its_wording_is_found(text: str, expected: str) -> None:
    assert expected in redacted("REFERENCE_NUMBER", text)


@pytest.mark.parametrize("text", REFERENCE_INVALID)
def test_amount_date_statute_or_unreferenced_code_is_not_a_reference_number(text: str) -> None:
    assert found("REFERENCE_NUMBER", text) == []


# --- STREET_ADDRESS --------------------------------------------------------------------------------------

STREET_ADDRESS_VALID = [
    (
        "He lives at 12 Acacia Avenue, Little Snoring, Norwich NR21 0AB.",
        "12 Acacia Avenue, Little Snoring, Norwich",
    ),
    (
        "Flat 3, 27 Mill Lane\nHeaton\nNewcastle upon Tyne\nNE6 5AB",
        "Flat 3, 27 Mill Lane\nHeaton\nNewcastle upon Tyne",
    ),
    ("Rose Cottage, 3 Church Lane, Thirsk YO7 1AA", "Rose Cottage, 3 Church Lane, Thirsk"),
    ("She moved to 14B Station Road, Shipley, in 2020.", "14B Station Road, Shipley"),
    ("The council wrote to 1 High Street, Bristol BS1 2AW.", "1 High Street, Bristol"),
    ("Apartment 12, 45 Queen's Road, Clifton, Bristol", "Apartment 12, 45 Queen's Road, Clifton, Bristol"),
    ("He lives at 4 Elm Road. His neighbour complained about the noise.", "4 Elm Road"),
    ("The property at 22 St John's Wood Road, London NW8 7HA was sold.", "22 St John's Wood Road, London"),
    ("The address on file was 7 The Green, Ashby-de-la-Zouch, LE65 1AA.", "7 The Green, Ashby-de-la-Zouch"),
    ("10-12 Market Place\nLeeds\nLS1 6AA", "10-12 Market Place\nLeeds"),
    ("Address: 9 Kings Court, Harrogate HG1 2AB", "9 Kings Court, Harrogate"),
    (
        "Flat 9, Beaumont House, 41 Coldharbour Lane, London\nPostcode: SE5 9NR",
        "Flat 9, Beaumont House, 41 Coldharbour Lane, London",
    ),
    ("She rents flat 6, 41 Cromwell Road, Eccles.", "flat 6, 41 Cromwell Road, Eccles"),
    ("Rose Cottage\n2 Mill Lane\nCockermouth\nCA13 9AB", "Rose Cottage\n2 Mill Lane\nCockermouth"),
    ("They live at Unit 3 Quarry Yard Cottages, Ashburton.", "Unit 3 Quarry Yard Cottages, Ashburton"),
    (
        "Address: 27 Ashgrove Road\nSeacroft\nLeeds\nDate of birth: 22/08/1991",
        "27 Ashgrove Road\nSeacroft\nLeeds",
    ),
]

STREET_ADDRESS_INVALID = [
    pytest.param("The Trust paid £1,234.56 to the Park Road surgery.", id="amount"),
    pytest.param("He was detained under section 117 of the Mental Health Act 1983.", id="statute"),
    pytest.param("In 2019 Court proceedings began.", id="year before a capitalised word"),
    pytest.param("On 12 March 2023 Leeds Crown Court dismissed the claim.", id="event date before a court"),
    pytest.param("She was moved to Ward 12 on 12/03/2023.", id="ward number"),
    pytest.param("She was given 20 mg of sertraline at 14:30.", id="dose and time"),
    pytest.param("He waited 2 years for the Hospital to reply.", id="duration"),
    pytest.param("On 19 April 2022 Dr Amrit Sandhu saw her in clinic.", id="year before a doctor"),
]


@pytest.mark.parametrize(("text", "expected"), STREET_ADDRESS_VALID)
def test_street_address_is_found_up_to_the_postcode(text: str, expected: str) -> None:
    assert expected in redacted("STREET_ADDRESS", text)


@pytest.mark.parametrize("text", STREET_ADDRESS_INVALID)
def test_number_before_capitalised_words_that_is_not_an_address_is_not_found(text: str) -> None:
    assert found("STREET_ADDRESS", text) == []


# --- Everything together -----------------------------------------------------------------------------------

NOT_PERSONAL_DATA = [
    pytest.param("The Trust refunded £1,234.56 to her bank account.", id="amount"),
    pytest.param("He was admitted on 12/03/2023 and discharged on 14.03.2023.", id="event dates"),
    pytest.param(
        "The complaint was received on 3 March 2023 and answered on 2023-04-17.", id="written dates"
    ),
    pytest.param("She was detained under section 117 of the Mental Health Act 1983.", id="statute"),
    pytest.param(
        "Regulation 12 of the Health and Social Care Act 2008 (Regulated Activities) Regulations 2014.",
        id="regulation",
    ),
    pytest.param("He was moved to Ward 12 and then to Ward 7.", id="ward numbers"),
    pytest.param("She was given 20 mg of sertraline and 500mg paracetamol twice daily.", id="drug doses"),
    pytest.param("The call was logged at 14:30 and returned at 09.15.", id="times"),
    pytest.param(
        "The Trust's switchboard is 0113 243 3144 and its helpline is 0300 123 4567.",
        id="organisation numbers",
    ),
]


@pytest.mark.parametrize("entity", sorted(RECOGNISERS))
@pytest.mark.parametrize("text", NOT_PERSONAL_DATA)
def test_amounts_event_dates_statutes_wards_doses_times_and_helplines_are_never_found(
    entity: str, text: str
) -> None:
    assert found(entity, text) == []


def adversarial_text(size: int = 200_000) -> str:
    """Long runs of digits, capitalised words, spaces, separators and half-formed addresses."""
    generator = random.Random(20240601)
    blocks = [
        "1" * 5000,
        " " * 5000,
        "Capitalised " * 800,
        "12 " + "Acacia " * 800 + "Road",
        "12 Acacia Road, " + "Little Snoring, " * 600,
        "12 Acacia Road\n" + "Town\n" * 800,
        "-".join(["12"] * 2000),
        " ".join(["12"] * 2000),
        "AB" * 3000 + "12" * 3000,
        "Flat 1, " * 800,
        "Rose Cottage\n" * 500 + "Label Words Here: " * 300,
        ", Newcastle upon Tyne" * 500 + " LS1",
        "AB 12 34 56 " * 500,
        "1234 5678 " * 800,
        "DOB " + "12/03/" * 800,
        "aged " * 1000,
        "A" * 5000 + "1" * 5000,
        ", ".join(str(generator.randint(0, 10**12)) for _ in range(600)),
        "".join(generator.choice("0123456789 -/.ABCDEFGHIJKLMNOPQRSTUVWXYZ\n") for _ in range(5000)),
    ]
    text = "\n".join(blocks)
    return (text * (size // len(text) + 1))[:size]


@pytest.mark.parametrize("entity", sorted(RECOGNISERS))
def test_recogniser_processes_a_200_kb_adversarial_text(entity: str) -> None:
    text = adversarial_text()
    recogniser = RECOGNISERS[entity]
    results = recogniser.analyze(text, [recogniser.supported_entities[0]], None)
    assert all(0 <= result.start < result.end <= len(text) for result in results)


# Presidio's phone recogniser, run only around long digit runs: it must find what it finds on the whole text.
FOREIGN_PHONE_TEXTS = [
    "On 12/03/2023 I paid £1,250.00 and then rang the embassy in Madrid on +34 912 345 678 twice.",
    "My brother's American number is (202) 555-0143; he was detained on 4 May 2024, case 2024/118.",
    "Ring her in Dublin on 087 123 4567 or her office in Paris, 01 42 68 53 00, after 5pm.",
    "Claim 4860469284 was closed; my Melbourne number is 0412 345 678 and my son's is +91 98765 43210.",
]


@pytest.mark.parametrize("text", FOREIGN_PHONE_TEXTS)
def test_phone_numbers_are_found_around_digit_runs_as_on_the_whole_text(text: str) -> None:
    whole = PhoneRecognizer(supported_regions=FOREIGN_PHONE_REGIONS).analyze(text, ["PHONE_NUMBER"])
    windowed = WindowedPhoneRecognizer(supported_regions=FOREIGN_PHONE_REGIONS).analyze(
        text, ["PHONE_NUMBER"]
    )
    assert sorted((r.start, r.end, r.score) for r in windowed) == sorted(
        (r.start, r.end, r.score) for r in whole
    )
    assert windowed


def test_only_runs_of_seven_or_more_digits_not_shaped_like_uk_numbers_are_looked_at() -> None:
    text = (
        "Paid £61.08 on 28/01/2023 after calling 07700 900251 and +44 20 7946 0958 many times over the "
        "following weeks. Later the consulate in Boston rang me from (617) 555-0199."
    )
    windows = [text[start:end] for start, end in WindowedPhoneRecognizer().windows(text)]
    assert len(windows) == 2
    assert "28/01/2023" in windows[0] and "(617) 555-0199" in windows[1]
    assert not any(uk in window for window in windows for uk in ("900251", "7946"))
