"""Street addresses: a number or flat, a street with its suffix, then localities and town, across lines."""

from __future__ import annotations

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer

STREET_SUFFIXES = (
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Drive",
    "Way",
    "Court",
    "Crescent",
    "Terrace",
    "Place",
    "Grove",
    "Gardens",
    "Walk",
    "Rise",
    "Mews",
    "Row",
    "Hill",
    "Park",
    "Square",
    "Green",
    "View",
    "Vale",
    "Parade",
    "Fold",
    "Croft",
    "Chase",
    "Gate",
    "Wynd",
    "Brow",
    "Bank",
    "Meadow",
    "Meadows",
    "Heights",
    "Boulevard",
    "Approach",
    "Yard",
    "Hollow",
    "Side",
    "End",
    "Field",
    "Fields",
    "Garth",
    "Lea",
    "Mount",
    "Path",
    "Quay",
    "Wharf",
    "Embankment",
    "Circus",
    "Broadway",
    "Estate",
    "Cottages",
    "Villas",
    "Buildings",
    "House",
    "Dene",
    "Ridge",
    "Orchard",
    "Copse",
)
# Abbreviated suffixes: only these may carry a full stop ("Rd."), so a sentence's full stop stays outside.
ABBREVIATED_SUFFIXES = ("Rd", "St", "Ave", "Ln", "Dr", "Ct", "Cres", "Pl", "Gdns", "Sq")
# A capitalised word that ends where the word ends ("NR" of "NR21" is not a word).
WORD = r"[A-Z][A-Za-z'’-]+(?!\w)"
# A comma (and perhaps a line break), a line break, or spaces that do not follow a full stop.
SEPARATOR = r"(?:[ \t]*,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*|(?<!\.)[ \t]+)"
FLAT = r"(?i:flat|apartment|apt|unit|room)"
# "Flat 3, ", "Rose Cottage\n", or a flat word that the house number itself follows ("Unit 3 Quarry Yard").
PREMISES = (
    rf"(?:{FLAT}[ \t]+\d+[A-Za-z]?{SEPARATOR})?"
    rf"(?:{WORD}[ \t]+(?:House|Court|Lodge|Cottage|Farm){SEPARATOR})?"
    rf"(?:{FLAT}[ \t]+)?"
)
# A house number, but not a year ("In 2019 Court proceedings began").
NUMBER = r"(?!(?:19|20)\d\d(?!\d))\d{1,4}[A-Za-z]?(?:-\d{1,4})?,?"
STREET = (
    rf"(?:{WORD}[ \t]+){{0,3}}"
    rf"(?:(?:{'|'.join(sorted(STREET_SUFFIXES, key=len, reverse=True))})\b"
    rf"|(?:{'|'.join(sorted(ABBREVIATED_SUFFIXES, key=len, reverse=True))})\b\.?)"
)
# A locality is neither a postcode ("NR21") nor a label on the next line ("Postcode:", "Date of birth:").
NOT_POSTCODE_OR_LABEL = r"(?![A-Z]{1,2}\d)(?![A-Z][A-Za-z'’ \t-]*:)"
LOCALITY = (
    rf"{SEPARATOR}{NOT_POSTCODE_OR_LABEL}(?:{WORD})(?:[ \t]+(?:(?:upon|on|under|in|le|de)[ \t]+)?{WORD})*"
)


HOUSE_NAME_WORDS = (
    "Forge",
    "Cottage",
    "Cottages",
    "House",
    "Farm",
    "Farmhouse",
    "Lodge",
    "Barn",
    "Mill",
    "Rectory",
    "Vicarage",
    "Grange",
    "Hall",
    "Manor",
    "Bungalow",
    "Croft",
    "Orchard",
    "Stables",
    "Chapel",
    "Villa",
    "Schoolhouse",
    "Coach House",
    "Old School",
    "Smithy",
    "Granary",
    "Oast",
    "Byre",
    "Steading",
)
NAMED_HOUSE = rf"(?:The[ \t]+)?(?:{WORD}[ \t]+){{0,2}}(?:{'|'.join(HOUSE_NAME_WORDS)})\b"


class StreetAddressRecognizer(ContextPatternRecognizer):
    """House number + street + suffix, with up to three following localities (stops before a postcode)."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        Pattern(
            "street_address", rf"(?<![\w£$.,-]){PREMISES}{NUMBER}[ \t]+{STREET}(?:{LOCALITY}){{0,3}}", 0.7
        ),
        # "The Old Forge, Church Lane, Little Hadham, Ware": a named house, then an unnumbered street.
        Pattern(
            "named_house_address",
            rf"(?<![\w£$.,-]){NAMED_HOUSE}(?:[ \t]*,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*){STREET}(?:{LOCALITY}){{1,3}}",
            0.7,
        ),
    ]
    CONTEXT = ("address", "lives at", "living at", "resides", "moved to", "flat", "home")


class AddressAfterCueRecognizer(ContextPatternRecognizer):
    """Whatever follows "lives at", "address:", "moved to"… when it starts with a house number, up to the end
    of the line or sentence: addresses in any country's format ("lives at 255 hersnapvej 18, københavn k")."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        Pattern(
            "address_after_cue",
            r"(?i:(?<=\b(?:lives at|living at|live at|resides at|residing at|moved to|moving to|address(?: is)?:?"
            r"|address to|sent to\??|deliver(?:ed)? to|drops? you off at|staying at)[ \t]))"
            r"(?:[Uu]ser:[ \t]*)?(?:the corner of[ \t]+)?\d{1,6}[A-Za-z]?[ ,]+"
            # up to the end of the sentence or line, stopping before a UK postcode (its own entity)
            r"(?:(?![ ,]*[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b)[^\n.;!?]){2,100}?(?=\.(?:\s|$)|[\n;!?]|$|[ ,]*[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b)",
            0.6,
        )
    ]
