"""Personal data in formats from outside the UK: post codes, cards near card wording, premises, phones."""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from service.redaction.recognisers.base import ContextPatternRecognizer


class ZipCodeRecognizer(ContextPatternRecognizer):
    """Numeric post codes of other countries ("ZIP: 48750", "postal code 394 13", ", CO 80202")."""

    ENTITY = "ZIP_CODE"
    PATTERNS = [
        Pattern(
            "numeric_zip",
            r"(?<![\w.,£$-])\d{3}[ ]?\d{2}(?:-\d{4})?(?![\w,.-]\d)|(?<![\w.,£$-])\d{4}(?![\w.,-]?\d)",
            0.3,
        ),
        Pattern("state_zip", r"(?<=\b[A-Z]{2}[ \t])\d{5}(?:-\d{4})?(?!\d)", 0.6),
    ]
    CONTEXT = (
        "zip",
        "zip code",
        "zipcode",
        "postal code",
        "post code",
        "postcode",
        "plz",
        "cep",
        "code postal",
    )
    BEFORE = 20  # a bare number scores under the redaction threshold unless post-code wording is next to it


class CardNumberRecognizer(ContextPatternRecognizer):
    """Long card numbers (13 to 19 digits) next to card wording, whether or not the checksum passes."""

    ENTITY = "CREDIT_CARD"
    PATTERNS = [
        Pattern("card_number", r"(?<![\w-])\d{4}(?:[ -]?\d{3,4}){2,3}(?:[ -]?\d{1,4})?(?![\w-])", 0.3)
    ]
    CONTEXT = ("card", "credit card", "debit card", "card number", "card no", "visa", "mastercard", "amex")
    CONTEXT_REQUIRED = True
    BEFORE = 40


class PremisesRecognizer(ContextPatternRecognizer):
    """Flats, suites and boxes that belong to an address ("Apt. 864", "Suite 501", "PSC 0413, Box 8144"),
    and continental street forms ("Koskikatu 25", "Brucker Bundesstrasse 31", "Rua do Arenque 1634")."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        Pattern("apartment_or_suite", r"\b(?:Apt\.?|Apartment|Suite|Ste\.?)[ \t]+\d{1,5}[A-Z]?\b", 0.6),
        Pattern("military_box", r"\b(?:PSC|Unit|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{2,5}\b", 0.7),
        Pattern(
            "continental_street",
            r"\b(?:(?:Rua|Rue|Calle|Via|Avenida|Av\.|Viale|Piazza|Plaza|Carrer|Ulica|ul\.)(?:[ \t]+[\w'’-]+){1,3}"
            r"|[A-ZÀ-Þ][\w'’-]*(?:stra(?:ss|ß)e|str\.|gasse|weg|vej|vegen|veien|gatan|gata|katu|tie|laan|straat|"
            r"plein|utca|allee|platz|ring|damm|gränd|väg|vägen))[ \t]+\d{1,5}[A-Za-z]?\b",
            0.6,
        ),
    ]


class ContextPhoneRecognizer(ContextPatternRecognizer):
    """Phone numbers in any country's grouping (7 to 15 digits) where phone wording stands next to them."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern(
            "grouped_digits",
            r"(?<![\w+-])(?:\+\d{1,3}[ .-]?)?(?:\(0?\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w-]?\d)",
            0.2,
        )
    ]
    CONTEXT = (
        "phone",
        "telephone",
        "tel",
        "mobile",
        "mob",
        "cell",
        "fax",
        "desk",
        "call me",
        "call",
        "ring",
        "text me",
        "answering at",
        "messages to",
        "reach me",
        "contact number",
        "number is",
        "whatsapp",
    )
    CONTEXT_REQUIRED = True
    BEFORE = 30
    AFTER = 10

    def validate_result(self, pattern_text: str) -> bool | None:
        """Between 7 and 15 digits, as the ITU allows."""
        digits = sum(character.isdigit() for character in pattern_text)
        return None if 7 <= digits <= 15 else False


# Countries whose national phone formats are looked for; UK numbers are UkPhoneRecognizer's.
FOREIGN_PHONE_REGIONS = ("US", "CA", "DE", "FR", "IE", "IN", "BR", "IL", "AU")


class WindowedPhoneRecognizer(PhoneRecognizer):
    """Presidio's phone-number recogniser (python-phonenumbers, one pass per region), run only on the
    stretches of text around runs of at least ``MIN_DIGITS`` digits instead of the whole text.

    The matcher tries every digit group in the text once per region, dates and amounts included, which is
    most of the redaction time on a long complaint. Every phone number it can find (7 or more digits)
    lies inside such a run, and ``MARGIN`` characters either side keep the words the matcher looks at.
    Runs shaped like UK numbers (0 and ten more digits, or +44) are left to ``UkPhoneRecognizer``, which
    knows which of them to keep.
    """

    MIN_DIGITS = 7
    MARGIN = 24
    DIGIT_RUN = re.compile(r"\+?\d(?:[ \t\-./()]{0,3}\d)+")
    UK_NUMBER = re.compile(r"(?:\+44|0044|0)\d{10}")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """The results of ``PhoneRecognizer.analyze`` on each window, with offsets into ``text``."""
        results: list[RecognizerResult] = []
        for start, end in self.windows(text):
            for result in super().analyze(text[start:end], entities, nlp_artifacts):
                result.start += start
                result.end += start
                results.append(result)
        return EntityRecognizer.remove_duplicates(results)

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Merged (start, end) stretches around the digit runs long enough to be a phone number."""
        windows: list[tuple[int, int]] = []
        for run in self.DIGIT_RUN.finditer(text):
            number = re.sub(r"[^\d+]", "", run.group())
            if len(number.lstrip("+")) < self.MIN_DIGITS or self.UK_NUMBER.fullmatch(number):
                continue
            start, end = max(run.start() - self.MARGIN, 0), min(run.end() + self.MARGIN, len(text))
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows
