"""Personal data in formats from outside the UK: post codes, card numbers near card wording, premises."""

from __future__ import annotations

from presidio_analyzer import Pattern

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
