"""Personal UK phone numbers: mobiles and landlines, national or international format."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer, has_context

SEP = r"[ \t.-]?"
INTERNATIONAL = rf"(?:\+44|0044){SEP}(?:\(0\){SEP})?"
MOBILE = rf"7\d{{3}}{SEP}\d{{3}}{SEP}\d{{3}}|7\d{{3}}{SEP}\d{{6}}|7\d{{2}}{SEP}\d{{3}}{SEP}\d{{4}}"
LANDLINE = (
    rf"[12]\d{{3}}{SEP}\d{{3}}{SEP}\d{{3,4}}|[12]\d{{3}}{SEP}\d{{5,6}}|[12]\d{{2}}{SEP}\d{{3}}{SEP}\d{{4}}"
    rf"|2\d{SEP}\d{{4}}{SEP}\d{{4}}|1\d{{4}}{SEP}\d{{5,6}}"
)
BRACKETED = r"\(0[127]\d{2,4}\)[ \t]?\d{3,4}[ \t]?\d{3,4}"
NON_PERSONAL_CONTEXT = (
    "switchboard",
    "helpline",
    "help line",
    "enquiry line",
    "enquiries line",
    "contact centre",
    "reception",
    "main line",
    "main number",
    "freephone",
    "advice line",
    "textphone",
    "relay uk",
    "hotline",
    "single point of access",
)


class UkPhoneRecognizer(ContextPatternRecognizer):
    """UK mobiles (07…, +44 7…) and landlines (01…, 02…); organisations' published numbers are left alone.

    Non-geographic numbers (03, 08, 09) belong to organisations and never match; a landline or mobile with
    "switchboard", "helpline", "reception" and the like before it, or just after it ("(switchboard)"), is
    taken as an organisation's and left too.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern("uk_international", rf"(?<![\w+])(?:{INTERNATIONAL})(?:{MOBILE}|{LANDLINE})(?!\d)", 0.85),
        Pattern("uk_national", rf"(?<![\w+])0(?:{MOBILE}|{LANDLINE})(?![\d])", 0.75),
        Pattern("uk_bracketed", rf"(?<![\w+]){BRACKETED}(?!\d)", 0.75),
    ]
    CONTEXT = ("tel", "telephone", "phone", "mobile", "mob", "contact", "call", "ring", "number", "text")
    BLOCKERS = NON_PERSONAL_CONTEXT
    BLOCKERS_AFTER = 15

    def validate_result(self, pattern_text: str) -> bool | None:
        """A national number must have 10 digits after its 0 (11 in all): fewer or more is not a phone."""
        digits = re.sub(r"\D", "", pattern_text)
        if digits.startswith("0044"):
            digits = "0" + digits[4:]
        elif digits.startswith("44"):
            digits = "0" + digits[2:]
        if digits.startswith("00"):
            digits = digits[1:]
        return None if len(digits) == 11 else False


def organisation_phone(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` is an organisation's: a UK non-geographic number (03, 08,
    09) or one with switchboard, helpline or reception wording next to it."""
    digits = re.sub(r"\D", "", text[start:end])
    national = (
        "0" + digits[2:]
        if digits.startswith("44")
        else "0" + digits[4:]
        if digits.startswith("0044")
        else digits
    )
    if re.match(r"0[389]", national):
        return True
    return has_context(text, start, end, NON_PERSONAL_CONTEXT, 60, 0) or has_context(
        text, start, end, NON_PERSONAL_CONTEXT, 0, 15
    )
