"""Request and response bodies of the HTTP API, with the examples shown in the OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.redaction.modes import Mode

EXAMPLE_TEXT = (
    "Mrs Janet Okafor (NHS number 943 476 5919) complained that Leeds Teaching Hospitals NHS Trust did not "
    "tell her about her scan results for three months. Her daughter Amy rang 07700 900123 many times."
)


class ClassifyRequest(BaseModel):
    """One complaint as ``text``, or up to the batch limit as ``texts``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": EXAMPLE_TEXT}]}, extra="forbid")

    text: str | None = None
    texts: list[str] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ClassifyRequest:
        if (self.text is None) == (self.texts is None):
            raise ValueError("give exactly one of 'text' or 'texts'")
        return self


class LabelProbability(BaseModel):
    """A label and its calibrated probability."""

    label: str
    probability: float


class Sector(LabelProbability):
    """The predicted sector and the next most likely ones."""

    alternatives: list[LabelProbability]


class Classification(BaseModel):
    """Sector and themes of one complaint; ``needs_review`` when a person should check them."""

    sector: Sector
    themes: list[LabelProbability]
    needs_review: bool


class ClassifyResponse(Classification):
    """The classification of a single ``text``."""

    model_version: str


class ClassifyBatchResponse(BaseModel):
    """Classifications of ``texts``, in order."""

    results: list[Classification]
    model_version: str


class AnonymiseRequest(BaseModel):
    """A text to anonymise and how."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": EXAMPLE_TEXT},
                {
                    "text": EXAMPLE_TEXT,
                    "mode": "tag",
                    "modes": {"PHONE_NUMBER": "mask"},
                    "allow_list": ["Amy"],
                },
            ]
        },
    )

    text: str
    mode: Mode = Field("letters", description="for people; identifiers become tags unless 'hash'")
    modes: dict[str, Mode] = Field(
        default_factory=dict, description="mode per entity type, e.g. {'PHONE_NUMBER': 'mask'}"
    )
    entities: list[str] | None = Field(None, description="only these entity types (default: all)")
    score_threshold: float | None = Field(None, ge=0.0, le=1.0)
    allow_list: list[str] = Field(
        default_factory=list, description="terms never redacted, added to the shipped list"
    )
    deny_list: list[str] = Field(default_factory=list, description="terms always redacted")
    letters_start: str | None = Field(None, pattern="^[A-Za-z]$")


class SpanOut(BaseModel):
    """One replacement, with offsets into the original text."""

    type: str
    start: int
    end: int
    score: float
    recogniser: str
    replacement: str


class AnonymiseResponse(BaseModel):
    """The anonymised text and every replacement made."""

    text: str
    spans: list[SpanOut]
    engine_version: str


class AnalyseResponse(BaseModel):
    """Classification of the original text and its anonymised form."""

    classification: Classification
    anonymised: AnonymiseResponse
    model_version: str


class ErrorResponse(BaseModel):
    """An error: what was wrong, never the text that was sent."""

    detail: str | list[dict]
    request_id: str
