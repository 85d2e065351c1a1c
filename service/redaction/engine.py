"""The redaction engine: detect personal data in complaint text and anonymise it for publication."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UsSsnRecognizer,
)
from spacy.tokens import Doc

from service.redaction.entities import DENY_LIST, ENTITY_TYPES, PERSON
from service.redaction.nlp import chunk_bounds, load_spacy
from service.redaction.operators import Operator, make_operator
from service.redaction.people import (
    NAME_LIKE_LABELS,
    PersonCueRecognizer,
    ages_after_birth_dates,
    ages_after_people,
    assign_letters,
    cluster_people,
    coordinated_names,
    extend_names,
    is_anonymised_mention,
    lone_forenames,
    name_like_entity,
    plausible_name,
    propagate_mentions,
    split_names,
    with_titles,
    without_possessive,
)
from service.redaction.public_bodies import deny_list, public_bodies
from service.redaction.recognisers import build_general_recognisers, build_uk_recognisers
from service.redaction.recognisers.international import FOREIGN_PHONE_REGIONS, WindowedPhoneRecognizer
from service.redaction.recognisers.phone import organisation_phone
from service.redaction.spans import Span, resolve_overlaps
from service.settings import Settings

# Types a public-body name can hide inside ("Queen Elizabeth Hospital" is not a person or an address).
ALLOW_LIST_TYPES = frozenset({PERSON, "STREET_ADDRESS"})
# When detections overlap, the merged span takes the more specific type.
TYPE_PRIORITY = {
    "REFERENCE_NUMBER": -1,
    "STREET_ADDRESS": 1,
    "DATE_OF_BIRTH": 2,
    "NHS_NUMBER": 3,
    "UK_NINO": 3,
    DENY_LIST: 4,
}
NER_BATCH = 32
# Shared mailboxes of organisations are published contact details, not personal data.
ORGANISATION_MAILBOX = re.compile(
    r"^[^@]*\b(?:complaints?|enquiries|enquiry|pals|dpo|info|contact|admin|office|reception|feedback|foi|help"
    r"|helpdesk|support|team|service|services|customerservices|noreply|no-reply|correspondence|casework"
    r"|generalenquiries|privacy|dataprotection|communications|press|media)\b[^@]*@",
    re.IGNORECASE,
)

# Presidio's e-mail and URL checks use tldextract, which would fetch the suffix list on first use:
# use the snapshot bundled with tldextract so an air-gapped start never waits on the network.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class RawTextContext(ContextAwareEnhancer):
    """Presidio's lemma-based context step, switched off: our recognisers check context on the raw text."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0,
            min_score_with_context_similarity=0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        """The results unchanged."""
        return raw_results


@dataclass(frozen=True)
class RedactionOptions:
    """What to look for and how to replace it, for one request.

    ``mode`` applies to people; identifiers become typed tags unless ``mode`` is "hash" (then hashed).
    ``modes`` sets a mode per entity type and wins over both. ``entities`` limits the types looked for.
    """

    mode: str = "letters"
    modes: dict[str, str] = field(default_factory=dict)
    entities: tuple[str, ...] | None = None
    score_threshold: float | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    letters_start: str | None = None

    def mode_for(self, entity_type: str) -> str:
        """The mode that applies to ``entity_type``."""
        if entity_type in self.modes:
            return self.modes[entity_type]
        if entity_type == PERSON or self.mode == "hash":
            return self.mode
        return "tag"


@dataclass(frozen=True)
class RedactedSpan:
    """One replacement: where it was in the original text, what it was, who found it, what replaced it."""

    type: str
    start: int
    end: int
    score: float
    recogniser: str
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        """The API's JSON form of the span."""
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "recogniser": self.recogniser,
            "replacement": self.replacement,
        }


@dataclass(frozen=True)
class Redaction:
    """The anonymised text and every replacement made, with offsets into the original."""

    text: str
    spans: list[RedactedSpan]
    engine_version: str


class RedactionEngine:
    """Detects and replaces personal data; build once (it loads spaCy), then call from any thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = load_spacy(settings.spacy_model)
        nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": self.nlp.meta["name"]}])
        nlp_engine.nlp = {"en": self.nlp}
        registry = RecognizerRegistry(supported_languages=["en"])
        extra_patterns = None
        if settings.reference_patterns_file:
            extra_patterns = json.loads(settings.reference_patterns_file.read_text(encoding="utf-8"))
        for recogniser in [
            PersonCueRecognizer(),
            EmailRecognizer(),
            IpRecognizer(),
            CreditCardRecognizer(),
            IbanRecognizer(),
            UsSsnRecognizer(),
            # Phones in other countries' formats; UK numbers are the UK recogniser's (it knows which to keep).
            WindowedPhoneRecognizer(supported_regions=FOREIGN_PHONE_REGIONS),
            *build_uk_recognisers(extra_patterns),
            *build_general_recognisers(),
        ]:
            registry.add_recognizer(recogniser)
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=RawTextContext(),
        )
        self.pattern_entities = frozenset(self.analyzer.get_supported_entities("en"))
        self.allow_list = public_bodies(settings.allow_list_file)
        self.deny_list = deny_list(settings.deny_list_file)
        versions = f"presidio-analyzer {metadata.version('presidio-analyzer')}"
        self.version = (
            f"casework-redaction {metadata.version('casework-nlp')} ({self.nlp.meta['lang']}_{self.nlp.meta['name']} "
            f"{self.nlp.meta['version']}, {versions}, {len(registry.recognizers)} recognisers)"
        )

    def detect_many(
        self, texts: Sequence[str], options: RedactionOptions = RedactionOptions()
    ) -> list[list[Span]]:
        """Personal-data spans for each text (non-overlapping, in order); NER batched over all texts."""
        bounds = [list(chunk_bounds(text)) if text.strip() else [] for text in texts]
        chunks = [text[start:end] for text, spans in zip(texts, bounds, strict=True) for start, end in spans]
        docs = iter(self.nlp.pipe(chunks, batch_size=NER_BATCH))
        detected = []
        for text, windows in zip(texts, bounds, strict=True):
            raw: list[Span] = []
            for start, end in windows:
                raw += [
                    span.shifted(start) for span in self._detect_chunk(text[start:end], next(docs), options)
                ]
            detected.append(self._finish(text, raw, options))
        return detected

    def redact_many(
        self, texts: Sequence[str], options: RedactionOptions = RedactionOptions()
    ) -> list[Redaction]:
        """The anonymised form of each text with its replacements."""
        operators: dict[str, Operator] = {}
        key = self.settings.hash_key.get_secret_value() if self.settings.hash_key else None
        for entity_type in ENTITY_TYPES:
            operators[entity_type] = make_operator(options.mode_for(entity_type), key)
        letters_start = options.letters_start or self.settings.letters_start
        return [
            self._replace(text, spans, operators, letters_start)
            for text, spans in zip(texts, self.detect_many(texts, options), strict=True)
        ]

    def redact(self, text: str, options: RedactionOptions = RedactionOptions()) -> Redaction:
        """The anonymised form of one text with its replacements."""
        return self.redact_many([text], options)[0]

    def _detect_chunk(self, chunk: str, doc: Doc, options: RedactionOptions) -> list[Span]:
        wanted = list(options.entities or ENTITY_TYPES)
        threshold = (
            self.settings.score_threshold if options.score_threshold is None else options.score_threshold
        )
        people = [entity for entity in doc.ents if entity.label_ == PERSON]
        artifacts = NlpArtifacts(
            entities=people,
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lower_ for token in doc],
            nlp_engine=self.analyzer.nlp_engine,
            language="en",
            scores=[0.85] * len(people),
        )
        results: list[RecognizerResult] = self.analyzer.analyze(
            chunk,
            language="en",
            entities=[entity for entity in wanted if entity in self.pattern_entities],
            nlp_artifacts=artifacts,
            score_threshold=threshold,
        )
        spans = [
            Span(
                r.start,
                r.end,
                r.entity_type,
                r.score,
                r.recognition_metadata.get("recognizer_name", "unknown"),
            )
            for r in results
        ]
        if PERSON in wanted and threshold <= 0.85:
            spans += [
                Span(
                    e.start_char,
                    e.start_char + len(without_possessive(e.text)),
                    PERSON,
                    0.85,
                    "SpacyRecognizer",
                )
                for e in people
            ]
            # spaCy often calls an unfamiliar name an organisation, a facility or a law ("Ravil G Yefimov
            # concert", "In 2021 Shane Cottrell was sent to prison"), above all in the possessive ("the
            # landlord's response to Hamza Doherty’s reports").
            if threshold <= 0.6:
                for entity in doc.ents:
                    name = without_possessive(entity.text)
                    if entity.label_ in NAME_LIKE_LABELS and name_like_entity(
                        name, self.nlp.vocab.has_vector
                    ):
                        end = entity.start_char + len(name)
                        spans.append(Span(entity.start_char, end, PERSON, 0.6, "SpacyNameLikeEntity"))
                spans += [Span(start, end, PERSON, 0.6, "SpacySplitName") for start, end in split_names(doc)]
                spans += [Span(start, end, PERSON, 0.6, "LoneForename") for start, end in lone_forenames(doc)]
        return spans

    def _finish(self, text: str, raw: list[Span], options: RedactionOptions) -> list[Span]:
        allowed = self.allow_list.extended(options.allow).regions(text)

        def keep(span: Span) -> bool:
            if span.type in ALLOW_LIST_TYPES and any(a <= span.start and span.end <= b for a, b in allowed):
                return False
            value = text[span.start : span.end]
            if span.type == PERSON:
                return not is_anonymised_mention(value) and plausible_name(value)
            if span.type == "EMAIL_ADDRESS":
                return not ORGANISATION_MAILBOX.match(value)
            if span.type == "PHONE_NUMBER":
                return not organisation_phone(text, span.start, span.end)
            return True

        spans = [span for span in raw if keep(span)]
        people = extend_names(text, [span for span in spans if span.type == PERSON])
        spans = [span for span in spans if span.type != PERSON]
        if people:
            people += coordinated_names(text, people)
            people += propagate_mentions(text, people)
            people = [m for m in people if not any(a <= m.start and m.end <= b for a, b in allowed)]
        spans += people
        if not options.entities or "AGE" in options.entities:
            spans += ages_after_people(text, people)
            spans += ages_after_birth_dates(text, [span for span in spans if span.type == "DATE_OF_BIRTH"])
        if not options.entities or DENY_LIST in options.entities:
            denied = self.deny_list.extended(options.deny).regions(text)
            spans += [Span(a, b, DENY_LIST, 1.0, "DenyList") for a, b in denied]
        return [span.check_within(text) for span in resolve_overlaps(with_titles(text, spans), TYPE_PRIORITY)]

    def _replace(
        self, text: str, spans: list[Span], operators: dict[str, Operator], letters_start: str
    ) -> Redaction:
        people = dict(cluster_people(text, [span for span in spans if span.type == PERSON]))
        assign_letters(dict.fromkeys(people.values()), letters_start)
        pieces, redacted, cursor = [], [], 0
        for span in spans:
            value = text[span.start : span.end]
            replacement = operators[span.type].replace(value, span.type, people.get(span))
            pieces += [text[cursor : span.start], replacement]
            cursor = span.end
            redacted.append(
                RedactedSpan(span.type, span.start, span.end, span.score, span.recogniser, replacement)
            )
        pieces.append(text[cursor:])
        return Redaction("".join(pieces), redacted, self.version)
