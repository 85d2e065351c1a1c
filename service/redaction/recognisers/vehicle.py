"""Vehicle registration marks: current (AB12 CDE), prefix (A123 BCD) and suffix (ABC 123D) formats."""

from __future__ import annotations

from presidio_analyzer import Pattern, RecognizerResult

from service.redaction.recognisers.base import ContextPatternRecognizer

CURRENT = r"(?<![\w-])[A-HJ-PR-Y][A-HJ-PR-Y]\d{2}[ ]?[A-HJ-PR-Z]{3}(?![\w-])"
PREFIX = r"(?<![\w-])[A-HJ-NP-Y]\d{1,3}[ ]?[A-Z]{3}(?![\w-])"
SUFFIX = r"(?<![\w-])[A-Z]{3}[ ]?\d{1,3}[A-HJ-NP-Y](?![\w-])"


class VehicleRegistrationRecognizer(ContextPatternRecognizer):
    """Registration marks; the current format is found anywhere, older ones only near vehicle words."""

    ENTITY = "VEHICLE_REGISTRATION"
    PATTERNS = [
        Pattern("current_format", CURRENT, 0.6),
        Pattern("prefix_format", PREFIX, 0.2),
        Pattern("suffix_format", SUFFIX, 0.2),
    ]
    CONTEXT = (
        "registration",
        "reg",
        "reg no",
        "vehicle",
        "car",
        "van",
        "number plate",
        "plate",
        "v5c",
        "vrm",
        "motorbike",
        "motorcycle",
        "dvla",
        "parked",
        "parking",
        "motorhome",
        "lorry",
        "taxi",
        # common makes: "my old Land Rover, P412 LRW"
        "land rover",
        "range rover",
        "ford",
        "vauxhall",
        "volkswagen",
        "vw",
        "toyota",
        "nissan",
        "bmw",
        "audi",
        "mercedes",
        "honda",
        "peugeot",
        "renault",
        "kia",
        "hyundai",
        "skoda",
        "fiat",
        "citroen",
        "citroën",
        "volvo",
        "mini",
        "mazda",
        "seat",
        "tesla",
        "jaguar",
        "suzuki",
        "mitsubishi",
        "dacia",
        "lexus",
    )
    BEFORE = 60

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        """Current-format marks always; prefix and suffix marks (score 0.2) only when vehicle words near them
        raised their score, so a ward such as "AMU 3A" or a code such as "A123 BCD" is left alone."""
        return [
            result
            for result in super().analyze(text, entities, nlp_artifacts, regex_flags)
            if result.score >= 0.5
        ]
