"""Dates of birth (a date with birth wording before it) and ages."""

from __future__ import annotations

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
NUMERIC_DATE = r"(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})"
WORD_DATE = rf"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+{MONTHS},?[ \t]+\d{{4}}"
AMERICAN_DATE = rf"{MONTHS}[ \t]+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
ISO_DATE = r"(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"


class DateOfBirthRecognizer(ContextPatternRecognizer):
    """Dates written after birth wording ("DOB", "date of birth", "born"); other dates are events and stay.

    The wording must stand after any earlier date, so in "DOB 12/03/1975, admitted 14/03/2023" only the first
    date is a birth date. "b." is not birth wording: it is far more often "Mrs B." ending a sentence.
    """

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [
        Pattern(
            "date", rf"(?<![\w/.-])(?:{NUMERIC_DATE}|{WORD_DATE}|{AMERICAN_DATE}|{ISO_DATE})(?![\w/-])", 0.3
        ),
    ]
    CONTEXT = (
        "dob",
        "d.o.b",
        "d.o.b.",
        "date of birth",
        "born",
        "birth date",
        "birthdate",
        "birthday",
        "d/o/b",
    )
    CONTEXT_REQUIRED = True
    CONTEXT_STOPS_AT_PREVIOUS_MATCH = True
    CONTEXT_SCORE = 0.95
    BEFORE = 40
    AFTER = 0
    FLAGS = 2 | 8  # re.IGNORECASE | re.MULTILINE


NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?"
)
AGE_NUMBER = rf"(?:1[01]\d|120|\d{{1,2}}|{NUMBER_WORDS})"


class AgeRecognizer(ContextPatternRecognizer):
    """A person's age: "aged 47", "age: 47", "a 47-year-old", "47 years old", "47yo", "six year old"."""

    ENTITY = "AGE"
    PATTERNS = [
        Pattern("aged", rf"(?<![\w])(?:aged|age)[ \t]*[:-]?[ \t]*{AGE_NUMBER}(?![\w])", 0.85),
        Pattern(
            "year_old", rf"(?<![\w-]){AGE_NUMBER}[ \t-]*(?:years?|yrs?)[ \t-]*(?:old|of age)(?![\w])", 0.85
        ),
        Pattern("yo", r"(?<![\w-])\d{1,3}[ \t]?(?:yo|y/o|yrs old)(?![\w])", 0.85),
        Pattern(
            "turned_age",
            rf"(?<![\w])(?:turned|turn|turning|age of)[ \t]+{AGE_NUMBER}(?![\w%£$])(?![ \t]*(?:%|per|pounds|minutes|hours|days|weeks|months|years?(?! old)))",
            0.7,
        ),
        # "I'm 29 and...", "he is 20,", "she was 91 when": a pronoun, a number, then a clause break.
        Pattern(
            "pronoun_is_number",
            rf"(?<=\b(?:I am|I'm|Im|I’m|he is|she is|he's|she's|hes|shes|he was|she was|I was|who is|who was"
            rf"|is now|was then|am now)[ \t]+){AGE_NUMBER}"
            r"(?=[ \t]*(?:,|\.|;|\)|$|\n|[ \t](?:and|when|at|with|but|now|so|years? old|himself|herself)\b))",
            0.7,
        ),
    ]
    FLAGS = 2 | 8  # re.IGNORECASE | re.MULTILINE

    def validate_result(self, pattern_text: str) -> bool | None:
        """False for numeric ages over 120."""
        digits = "".join(c for c in pattern_text if c.isdigit())
        return False if digits and int(digits) > 120 else None
