"""People beyond spaCy's NER: names after titles and other cues, every further mention, and who is who."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from service.redaction.entities import PERSON
from service.redaction.forenames import known_forename
from service.redaction.nlp import dictionary_word, verb_or_adverb
from service.redaction.spans import Span
from service.redaction.surnames import known_surname
from service.redaction.trie import alternation

TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Master",
    "Dr",
    "Doctor",
    "Prof",
    "Professor",
    "Nurse",
    "Sister",
    "Matron",
    "Rev",
    "Revd",
    "Reverend",
    "Fr",
    "Father",
    "Sir",
    "Dame",
    "Lady",
    "Lord",
    "Cllr",
    "Councillor",
    "Judge",
    "Sgt",
    "Sergeant",
    "PC",
    "DC",
    "DS",
    "DI",
    "Midwife",
    "Officer",
    "Inspector",
    "Captain",
)
CANONICAL_TITLE = {title.lower(): title for title in TITLES}
TITLE = r"(?:" + "|".join(TITLES) + r")\.?"
# Honorifics mark a name in any case ("mrs smith"); "nurse", "sister" or "officer" in lower case are just nouns.
HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?"
UPPER = r"A-ZÀ-ÖØ-ÞĀ-Žḃ-ỿ"
LOWER = r"a-zß-öø-ÿā-žḁ-ỹ"
# A name word: Okafor, O'Neill, McDonald, Okonkwo-Bell, Ní, DAVID; and an initial: J or J.
NAME_WORD = rf"(?:[{UPPER}](?:[{LOWER}]+|[{UPPER}]+)?(?:['’-][{UPPER}{LOWER}][{LOWER}{UPPER}]+)*(?![\w]))"
INITIAL = rf"(?:[{UPPER}]\.?)"
PARTICLE = r"(?:de|da|del|van|von|der|le|la|bin|binti|al|el|ni|nic|mac|ap|ter)"
CAPITALISED_NAME = (
    rf"(?:{INITIAL}\s+)*{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)?(?:{NAME_WORD}|{INITIAL}(?=\s)))*"
)
LOWER_WORD = rf"[{LOWER}][{LOWER}'’-]+"

RELATIONS = (
    "son",
    "daughter",
    "husband",
    "wife",
    "partner",
    "mother",
    "mum",
    "mom",
    "father",
    "dad",
    "brother",
    "sister",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "nan",
    "nana",
    "grandma",
    "grandad",
    "gran",
    "baby",
    "child",
    "nephew",
    "niece",
    "aunt",
    "auntie",
    "uncle",
    "cousin",
    "stepson",
    "stepdaughter",
    "stepfather",
    "stepmother",
    "fiance",
    "fiancée",
    "fiancé",
    "ex",
    "ex-partner",
    "ex-husband",
    "ex-wife",
    "carer",
    "friend",
    "neighbour",
    "boyfriend",
    "girlfriend",
    "twin",
    "sibling",
    "kid",
    "toddler",
    "grandchild",
    "grandpa",
    "granddad",
    "stepdad",
    "stepmum",
    "stepbrother",
    "stepsister",
    "flatmate",
    "housemate",
    "lodger",
    "colleague",
    "social worker",
    "key worker",
    "advocate",
    "caseworker",
    "case worker",
    "MP",
)
# After these a lower-case dictionary word is no name: "my kids play", and "sons" and "daughters" are often
# possessives written without the apostrophe ("my sons football subs", "my daughters place").
PLURAL_RELATIONS = ("kids", "children", "sons", "daughters", "grandchildren", "twins")
CUE_WORDS = (
    "Dear",
    "Hi",
    "Hello",
    "Name",
    "Patient",
    "Patient name",
    "Claimant",
    "Complainant",
    "Signed",
    "Yours sincerely",
    "Yours faithfully",
    "Kind regards",
    "Regards",
    "Best wishes",
    "Many thanks",
    "Thanks",
    "From",
    "To",
    "Cc",
    "Contact",
    "Next of kin",
    "NOK",
    "Caller",
    "Applicant",
    "Surname",
    "Forename",
    "Forenames",
    "First name",
    "Full name",
    "Child",
    "Appellant",
    "Deputy",
    "Attorney",
    "Prisoner",
    "Resident",
    "Tenant",
    "Spoke to",
    "spoke with",
    "named",
    "called",
    "c/o",
)
# Words that never stand in a person's name: organisations, schemes, jobs and forms of address.
NOT_PERSON_WORDS = frozenset(
    {
        "st",  # St Luke's, St Thomas'
        "saint",
        "women",  # Women's Aid
        "men",
        "allowance",
        "benefit",
        "benefits",
        "credit",
        "credits",
        "scheme",
        "office",
        "service",
        "services",
        "trust",
        "team",
        "unit",
        "centre",
        "center",
        "council",
        "complaints",
        "governance",
        "department",
        "directorate",
        "track",
        "jobcentre",
        "hospital",
        "hospitals",
        "surgery",
        "practice",
        "clinic",
        "board",
        "agency",
        "court",
        "tribunal",
        "prison",
        "llp",
        "ltd",
        "limited",
        "plc",
        "haulage",
        "society",
        "group",
        "company",
        "association",
        "quality",
        "relations",
        "executive",
        "director",
        "officer",
        "manager",
        "chief",
        "senior",
        "assistant",
        "clinical",
        "medical",
        "nursing",
        "customer",
        "information",
        "protection",
        "safeguarding",
        "regards",
        "sincerely",
        "faithfully",
        "sirs",
        "madam",
        "nhs",
        "ombudsman",
        "commission",
        "authority",
        "university",
        "foundation",
        "compensation",
        "healthcare",
        "health",
        "care",
        "support",
        "policy",
        "investigation",
        "caseworker",
        "coordinator",
        "co-ordinator",
        "adviser",
        "advisor",
        "consultant",
        "registrar",
        "practitioner",
        "nurse",
        "midwife",
        "paramedic",
        "receptionist",
        "diolch",
        "church",
        "chapel",
        "mosque",
        "temple",
        "synagogue",
        "station",
        "school",
        "college",
        "library",
        "easter",
        "christmas",
        "thu",
        "tue",
        "wed",
        "fri",
        "sat",
        "mon",
        "sun",
    }
)
ROLES = (
    "caseworker",
    "case worker",
    "case officer",
    "case manager",
    "adviser",
    "advisor",
    "officer",
    "coordinator",
    "co-ordinator",
    "receptionist",
    "dietitian",
    "dietician",
    "nurse",
    "doctor",
    "consultant",
    "manager",
    "worker",
    "midwife",
    "assessor",
    "clerk",
    "agent",
    "handler",
    "call handler",
    "therapist",
    "psychiatrist",
    "psychologist",
    "surgeon",
    "registrar",
    "paramedic",
    "health visitor",
    "solicitor",
    "supervisor",
    "director",
    "practitioner",
    "pharmacist",
    "GP",
    "keyworker",
    "mentor",
    "interpreter",
    "physio",
    "physiotherapist",
    "optometrist",
    "optician",
    "dentist",
    "hygienist",
    "technician",
    "porter",
    "HCA",
    "dispatcher",
    "operator",
    "chaplain",
    "investigator",
    "reviewer",
    "chair",
    "governor",
    "teacher",
    "lawyer",
    "barrister",
    "magistrate",
    "caller",
    "complainant",
    "claimant",
    "applicant",
    "appellant",
    "colleague",
    "administrator",
    "secretary",
    "deputy",
    "attorney",
    "executor",
    "representative",
    "sonographer",
    "radiographer",
    "anaesthetist",
    "matron",
    "sister",
    "carer",
    "student",
    "volunteer",
    "friend",
    "neighbour",
    "landlord",
    "employer",
    "tenant",
)
NOT_NAMES = frozenset(
    {
        *STOP_WORDS,
        *(relation.lower() for relation in RELATIONS + PLURAL_RELATIONS),
        *(role.lower() for role in ROLES),
        "sir",
        "madam",
        "team",
        "all",
        "colleagues",
        "ombudsman",
        "trust",
        "nhs",
        "manager",
        "officer",
        "department",
        "complaints",
        "complaint",
        "patient",
        "doctor",
        "nurse",
        "consultant",
        "gp",
        "unit",
        "service",
        "services",
        "hospital",
        "practice",
        "surgery",
        "council",
        "board",
        "re",
        "subject",
        "date",
        "ref",
        "reference",
        "number",
        "address",
        "telephone",
        "tel",
        "phone",
        "mobile",
        "email",
        "dob",
        "postcode",
        "yes",
        "no",
        "n/a",
        "unknown",
        "tbc",
        "the",
        "practitioner",
        "specialist",
        "lead",
        "support",
        "today",
        "yesterday",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "please",
        "thank",
        "thanks",
        "sorry",
        "hello",
        "hi",
        "dear",
    }
)
PERSON_CUES = [
    (re.compile(rf"\b(?:(?i:{HONORIFIC})|{TITLE}|{TITLE.upper()})[ \t]+({CAPITALISED_NAME})"), 0.9),
    (re.compile(rf"\b(?i:{HONORIFIC})[ \t]+({LOWER_WORD}(?:[ \t]+{LOWER_WORD})?)"), 0.6),
    (
        re.compile(
            rf"\b(?i:(?:my|his|her|their|our|your|the patient's|the claimant's)[ \t]+"
            rf"(?:(?:late|first|second|third|eldest|oldest|youngest|older|younger|little|baby|new-born|newborn|twin)"
            rf"[ \t]+)?"
            rf"(?:{alternation(RELATIONS + PLURAL_RELATIONS)}))[ \t]*,?[ \t]+({CAPITALISED_NAME}|{LOWER_WORD})"
        ),
        0.75,
    ),
    (
        re.compile(
            rf"(?:^|\n)[ \t]*(?i:{alternation(CUE_WORDS)})[ \t]*[:,-]?[ \t]*(?:(?i:{TITLE})[ \t]+)?"
            rf"({CAPITALISED_NAME}(?:,[ \t]*{CAPITALISED_NAME})?)"
        ),
        0.8,
    ),
    (re.compile(rf"\b(?:Dear|Hi|Hello|named|called)[ \t]+(?:(?i:{TITLE})[ \t]+)?({CAPITALISED_NAME})"), 0.8),
    (
        re.compile(
            rf"(?:^|\n)[ \t]*(?:Yours[ \t]+(?:sincerely|faithfully)|(?:Kind|Best|Warm)[ \t]+regards|Regards|"
            rf"Many thanks|Thanks|Thank you|Best wishes),?[ \t]*\n+[ \t]*({CAPITALISED_NAME}|{LOWER_WORD})"
        ),
        0.85,
    ),
    (re.compile(r"([\w'’.-]+(?:[ \t]+[\w'’.-]+){0,3})[ \t]*<[^>\s]+@[^>\s]+>"), 0.85),
    (
        re.compile(
            rf"\b(?:[Mm]y name is|[Mm]y name's|I am called|[Cc]all me|[Tt]his is|I'm|I am|[Ss]aid|[Aa]sked|[Tt]old)"
            rf"[ \t]+({CAPITALISED_NAME})"
        ),
        0.7,
    ),
    (
        re.compile(
            rf"\b(?i:children|kids|sons|daughters|grandchildren|twins)[ \t]*(?:,|:|\(|-|–)[ \t]*({CAPITALISED_NAME})"
        ),
        0.75,
    ),
]
LABELS = (
    "name",
    "names",
    "name(s)",
    "forename",
    "forenames",
    "forename(s)",
    "first name",
    "first names",
    "first name(s)",
    "given name",
    "given names",
    "surname",
    "family name",
    "last name",
    "full name",
    "assigned to",
    "allocated to",
    "taken by",
    "recorded by",
    "completed by",
    "prepared by",
    "reviewed by",
    "signed by",
    "signed",
    "authorised by",
    "approved by",
    "written by",
    "handled by",
    "seen by",
    "in records",
    "attendees",
    "present",
    "cc",
    "from",
    "to",
    "contact",
    "next of kin",
    "nok",
    "child",
    "children",
    "name of claimant",
    "name of patient",
    "name of applicant",
    "name of child",
    "name of complainant",
)
PERSON_CUES += [
    (re.compile(rf"\b(?i:{alternation(ROLES)})s?[ \t]*(?:,|:|\(|–|-)?[ \t]*({CAPITALISED_NAME})"), 0.7),
    (
        re.compile(rf"\b(?i:{alternation(LABELS)})[ \t]*:[ \t]*(?:(?i:{TITLE})[ \t]+)?({CAPITALISED_NAME})"),
        0.8,
    ),
    (
        re.compile(
            rf"\b(?:signed|written|sent|seen|examined|reviewed|assessed|visited|treated|taken|recorded|completed|"
            rf"authorised|approved|countersigned|prepared|handled|dealt with|reply|letter|email|e-mail|call|message|"
            rf"visit|response)[ \t]+(?:by|from):?[ \t]+(?:(?i:{TITLE})[ \t]+)?({CAPITALISED_NAME})"
        ),
        0.75,
    ),
]
COORDINATED_AFTER = re.compile(
    rf"(?:,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*)({NAME_WORD}(?:[ \t]+{NAME_WORD})?)"
)
COORDINATED_BEFORE = re.compile(rf"({NAME_WORD})(?:,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*)$")
AGE_AFTER_PERSON = re.compile(
    r"(?:,[ \t]*|[ \t]*\([ \t]*|,?[ \t]+(?:who|which)[ \t]+(?:is|was)[ \t]+(?:now[ \t]+|then[ \t]+|only[ \t]+)?"
    r"|,?[ \t]+(?:is|was|aged|turned|(?:is|was)[ \t]+(?:now|then|only))[ \t]+)"
    r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:[ \t]*(?:yrs?|years?)(?:[ \t]+old)?)?(?=[ \t]*(?:\)|,|\.|;|\n|$|[ \t]and\b|[ \t]when\b|[ \t]at\b|[ \t]with\b))"
)
TITLE_AT_END = re.compile(rf"(?i:\b{TITLE})[ \t]*$")


def name_words(value: str) -> list[str]:
    """The words of a name without titles or initials: "Mrs J. O'Neill" -> ["O'Neill"]."""
    words = re.findall(rf"[{UPPER}{LOWER}][{UPPER}{LOWER}'’-]*", value)
    return [word for word in words if len(word) > 1 and word.lower().rstrip(".") not in CANONICAL_TITLE]


POSSESSIVE = re.compile(r"['’]s?$")


def without_possessive(value: str) -> str:
    """``value`` without a closing possessive: "Zofia Bhatt’s" -> "Zofia Bhatt", "Mr Jones'" -> "Mr Jones"."""
    return POSSESSIVE.sub("", value)


# spaCy labels under which a person's whole name may hide (see name_like_entity). Places (GPE, LOC) are left
# out: on Presidio's synthetic set they added as many places taken for people ("Los Angeles") as names found.
NAME_LIKE_LABELS = frozenset({"ORG", "FAC", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP"})


def name_like_entity(value: str, has_vector: Callable[[str], bool]) -> bool:
    """Whether an entity spaCy labelled other than a person (an organisation, a law...) reads like a name.

    Two to four capitalised name words or initials, none a common, organisation or job word, and one of: an
    initial among them ("Ravil G Yefimov"); a word spaCy has no vector for (``has_vector`` false for its
    lower case, as for "Nishiyama"); or a first word that is no English dictionary word and a last word that
    is none either ("Marek Davies", whose words have vectors as common names do) or is a known surname
    ("Keisha Evans": WordNet has "evans"). That keeps "National Insurance", "Royal Mail", "Thakkar
    Associates" and "Hatton Cross" out.
    """
    parts = value.split()
    if not 2 <= len(parts) <= 4 or not plausible_name(value):
        return False
    if not all(
        re.fullmatch(rf"{NAME_WORD}|{INITIAL}", part) and not (part.isupper() and len(part) > 2)
        for part in parts
    ):
        return False
    lowered = [part.lower() for part in parts]
    # An initial is evidence only inside a name: "E Church" may be a publication letter before a noun.
    return (
        any(len(part.rstrip(".")) == 1 and position > 0 for position, part in enumerate(parts))
        or not all(map(has_vector, lowered))
        or forename_and_surname(lowered[0], lowered[-1])
    )


def forename_and_surname(first: str, last: str) -> bool:
    """Whether lower-case ``first`` and ``last`` read as a forename and a surname rather than words: the
    first no English dictionary word, the last none either or a known surname ("keisha", "evans")."""
    return not (dictionary_word(first) or (dictionary_word(last) and not known_surname(last)))


def capitalised_name_word(word: str, shortest: int) -> bool:
    """Whether ``word`` is a capitalised name word (``NAME_WORD``) of at least ``shortest`` letters and not in
    capitals; the cheap tests first, since most words fail them."""
    return (
        len(word) >= shortest
        and word[0].isupper()
        and not word.isupper()
        and re.fullmatch(NAME_WORD, word) is not None
    )


def split_name(value: str) -> bool:
    """Whether a two-word candidate of ``split_names`` reads like a name: two capitalised name words of two
    letters or more, neither in capitals ("Leeds I", "Veszprém VE" are not), that pass ``plausible_name`` and
    ``forename_and_surname`` ("Sandeep Yildiz", but not "La Picota"). Stricter than ``name_like_entity``,
    because half of the candidate is a word spaCy did not take for part of any entity."""
    parts = value.split()
    return (
        len(parts) == 2
        and all(capitalised_name_word(part, 2) for part in parts)
        and plausible_name(value)
        and forename_and_surname(parts[0].lower(), parts[1].lower())
    )


# spaCy labels under which one word of a name may stand on its own, the rest of the name left beside it
# ("Sandeep" NORP, then "Price"; "Callum" GPE, then "Singh" GPE). Places are in: split_name is strict.
SPLIT_NAME_LABELS = NAME_LIKE_LABELS | {"GPE"}


def one_word_entity(doc: Doc, token: Token) -> bool:
    """Whether ``token`` is the whole of a one-word entity of ``doc``."""
    return token.ent_iob_ == "B" and (token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I")


def split_names(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of names that spaCy split in two: a one-word entity under SPLIT_NAME_LABELS, a single
    space, then a capitalised word that is outside any entity or a one-word entity itself, the two reading
    like a name (``split_name``)."""
    names = []
    for entity in doc.ents:
        if len(entity) != 1 or entity.label_ not in SPLIT_NAME_LABELS or entity.end >= len(doc):
            continue
        following = doc[entity.end]
        alone = following.ent_iob_ == "O" or one_word_entity(doc, following)
        end = following.idx + len(following.text)
        if entity[0].whitespace_ == " " and alone and split_name(doc.text[entity.start_char : end]):
            names.append((entity.start_char, end))
    return names


# Abbreviated months and days, forenames too ("Jun", "Jan", "Sat"), which intake notes are full of.
CALENDAR_ABBREVIATIONS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
)
# Words before which a lone forename is part of a place or a thing: articles ("the Tian Shan mountains") and
# prepositions of place ("in Melton", "at Hadley").
NOT_BEFORE_LONE_FORENAMES = frozenset(
    {"the", "a", "an"} | {"in", "at", "near", "from", "around", "outside", "via"}
)
# Nouns after which a possessive forename is an eponym ("Addison's disease").
EPONYM_NOUNS = frozenset({"disease", "syndrome", "palsy", "lymphoma", "sarcoma", "ulcer", "cyst", "law"})


def lone_forename(doc: Doc, token: Token) -> bool:
    """Whether ``token`` is a forename standing alone that spaCy took for no person ("Zac was not examined",
    "Regards, Ifeoma"): a capitalised name word of three letters or more, outside any entity or a one-word
    entity under NAME_LIKE_LABELS (never a place), a known forename that is no English dictionary word,
    nor an abbreviated month or day; not after an article or a preposition of place, nor an eponym."""
    text = token.text
    if not capitalised_name_word(text, 3):
        return False
    alone = token.ent_iob_ == "O" or (token.ent_type_ in NAME_LIKE_LABELS and one_word_entity(doc, token))
    before = doc[token.i - 1].lower_ if token.i > 0 else ""
    after = [next_token.lower_ for next_token in doc[token.i + 1 : token.i + 3]]
    return (
        alone
        and before not in NOT_BEFORE_LONE_FORENAMES
        and not (len(after) == 2 and after[0] in ("'s", "’s") and after[1] in EPONYM_NOUNS)
        and text.lower() not in CALENDAR_ABBREVIATIONS
        and known_forename(text)
        and not dictionary_word(text.lower())
        and plausible_name(text)
    )


def lone_forenames(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the ``lone_forename`` tokens of ``doc``."""
    return [(token.idx, token.idx + len(token.text)) for token in doc if lone_forename(doc, token)]


def trim_candidate(value: str) -> str:
    """``value`` without trailing punctuation and trailing common or job words ("Ciarán Devlin Date")."""
    value = value.rstrip(" \t,")
    while True:
        match = re.search(r"[ \t]+([\w'’.-]+)$", value)
        if not match or match.group(1).lower().strip(".") not in NOT_NAMES | NOT_PERSON_WORDS:
            return value
        value = value[: match.start()].rstrip(" \t,")


# Signs no name holds. Not "€": mis-decoded dashes ("â€“") can end a name spaCy found.
NOT_IN_NAMES = frozenset("+=/\\|%£$#@<>[]{}")


def plausible_name(value: str) -> bool:
    """Whether a candidate looks like a person's name.

    Not when it holds a digit (doses, forms) or a sign no name has ("abdo pain + vomiting", "w/ HMLR"), an
    organisation or job word ("Officer", "Trust", "Allowance"), when its first or last word is a common word,
    or when it is a short upper-case abbreviation ("ED", "GWF").
    """
    words = name_words(value)
    if not words or any(character.isdigit() or character in NOT_IN_NAMES for character in value):
        return False
    lowered = [word.lower().strip("'’") for word in words]
    if (
        any(word in NOT_PERSON_WORDS for word in lowered)
        or lowered[0] in NOT_NAMES
        or lowered[-1] in NOT_NAMES
    ):
        return False
    return not (len(words) == 1 and words[0].isupper() and len(words[0]) <= 4)


def lower_case_holding(value: str, is_word: Callable[[str], bool]) -> bool:
    """Whether a lower-case candidate holds a word that ``is_word`` accepts. With ``verb_or_adverb``, "went"
    in "my son went to the clinic" or "recently" in "my son recently moved" is no name, though "jamie" in "my
    son jamie" is; with ``dictionary_word``, "play" in "my kids play outside"."""
    return value.islower() and any(is_word(word) for word in value.split())


def after_plural_relation(cue: str) -> bool:
    """Whether the text of a cue before its candidate ends with a plural relation: "my kids", "our sons,"."""
    words = cue.lower().replace(",", " ").split()
    return bool(words) and words[-1] in PLURAL_RELATIONS


class PersonCueRecognizer(EntityRecognizer):
    """Names after a title (any case), a relation ("my son jamie"), a salutation, sign-off or form label."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[PERSON], name="PersonCueRecognizer", supported_language="en")

    def load(self) -> None:
        """Nothing to load: the cues are compiled at import."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        """Every cue-introduced name in ``text`` that passes ``plausible_name``."""
        results = []
        for pattern, score in PERSON_CUES:
            for match in pattern.finditer(text):
                start = match.start(1)
                trimmed = trim_candidate(match.group(1))
                if (
                    not plausible_name(trimmed)
                    or lower_case_holding(trimmed, verb_or_adverb)
                    or (
                        after_plural_relation(text[match.start() : start])
                        and lower_case_holding(trimmed, dictionary_word)
                    )
                ):
                    continue
                results.append(
                    RecognizerResult(
                        PERSON,
                        start,
                        start + len(trimmed),
                        score,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results


def title_before(text: str, start: int) -> tuple[int, str | None]:
    """If a title stands right before ``start`` ("Mrs "), its start offset and canonical form."""
    match = TITLE_AT_END.search(text, max(0, start - 16), start)
    if not match or (start - match.end()) > 2:
        return start, None
    title = match.group(0).strip().rstrip(".")
    return match.start(), CANONICAL_TITLE.get(title.lower(), title.title())


def with_titles(text: str, spans: Iterable[Span]) -> list[Span]:
    """Person spans extended to take in a title written right before them ("Mrs" + "Jane Okafor")."""
    extended = []
    for span in spans:
        if span.type == PERSON:
            start, _ = title_before(text, span.start)
            span = Span(start, span.end, span.type, span.score, span.recogniser)
        extended.append(span)
    return extended


def is_anonymised_mention(value: str) -> bool:
    """A mention that is already a publication letter ("Mrs B", "B", "Dr K"): nothing left to redact."""
    return not name_words(value)


def propagate_mentions(text: str, people: list[Span]) -> list[Span]:
    """Every further mention of a found person's names (full, surname or forename alone) in ``text``.

    Capitalised and upper-case forms are matched anywhere; the lower-case form only when the person was
    found written in lower case ("my son jamie"), so that "Will" or "Grace" never spreads to "will", "grace".
    """
    words: set[str] = set()
    for span in people:
        for word in name_words(text[span.start : span.end]):
            if plausible_name(word):
                words.add(word)
    forms: set[str] = set()
    for word in words:
        forms |= {word, word.upper(), word[:1].upper() + word[1:]}
        if word.islower():
            forms.add(word.lower())
    if not forms:
        return []
    pattern = re.compile(r"(?<![\w'’-])" + alternation(forms) + r"(?![\w’-])")
    return [Span(m.start(), m.end(), PERSON, 0.8, "MentionPropagation") for m in pattern.finditer(text)]


FEMALE_TITLES = frozenset({"Mrs", "Ms", "Miss"})
GENDERED_TITLES = frozenset({"Mr", "Mx", "Master", *FEMALE_TITLES})


@dataclass(eq=False)
class Person:
    """One person in a document: the name words seen for them, their title, and the letter they become."""

    forename: str | None = None
    surname: str | None = None
    title: str | None = None
    letter: str = ""

    @property
    def words(self) -> list[str]:
        """Their known name words, forename first."""
        return [word for word in (self.forename, self.surname) if word]

    def title_fits(self, title: str | None) -> bool:
        """Whether a mention with ``title`` can be this person (Mr and Mrs Okafor are two people)."""
        if not title or not self.title or title == self.title:
            return True
        if title in GENDERED_TITLES and self.title in GENDERED_TITLES:
            return title in FEMALE_TITLES and self.title in FEMALE_TITLES
        return True


def cluster_people(text: str, spans: list[Span]) -> list[tuple[Span, Person]]:
    """Assign each person mention to a person, in order of first mention.

    A full name joins the person with that surname and the same (or no known) forename; a titled single
    name ("Mr Okafor") is a surname; an untitled single name is a forename first, then a surname. A
    mention that fits nobody starts a new person. Titles must agree: Mr and Mrs Okafor stay two people.
    """
    people: list[Person] = []
    assigned: list[tuple[Span, Person]] = []
    for span in sorted(spans):
        mention = text[span.start : span.end]
        title = title_before(text, span.start)[1] or _leading_title(mention)
        words = [word.casefold() for word in name_words(mention)]
        forename = words[0] if len(words) > 1 or (words and not title) else None
        surname = words[-1] if len(words) > 1 or (words and title) else None
        person = _find(people, forename, surname, title)
        if person is None:
            person = Person(forename=forename, surname=surname, title=title)
            people.append(person)
        else:
            person.forename = person.forename or forename
            person.surname = person.surname or surname
            person.title = person.title or title
        assigned.append((span, person))
    return assigned


def _leading_title(mention: str) -> str | None:
    match = re.match(rf"(?i:{TITLE})(?=\s)", mention)
    return CANONICAL_TITLE.get(match.group(0).rstrip(".").lower()) if match else None


def _find(
    people: list[Person], forename: str | None, surname: str | None, title: str | None
) -> Person | None:
    fitting = [person for person in people if person.title_fits(title)]
    if forename and surname:
        return next(
            (p for p in fitting if p.surname == surname and p.forename in (None, forename)),
            next((p for p in fitting if p.surname is None and p.forename == forename), None),
        )
    if surname:
        return next((p for p in fitting if p.surname == surname), None)
    if forename:
        return next(
            (p for p in fitting if p.forename == forename),
            next((p for p in fitting if p.surname == forename), None),
        )
    return None


def assign_letters(people: Iterable[Person], start: str = "A") -> None:
    """Give each person a letter in order of first mention, from ``start``, never reusing one and never
    the initial of any of their own name words (wrapping round after Z)."""
    alphabet = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    order = alphabet[alphabet.index(start.upper()) :] + alphabet[: alphabet.index(start.upper())]
    used: set[str] = set()
    for person in people:
        if person.letter:
            continue
        initials = {word[0].upper() for word in person.words}
        letter = next((c for c in order if c not in used and c not in initials), None)
        if letter is None:  # more than 26 people: fall back to double letters
            letter = next(c + c for c in order if c + c not in used and c not in initials)
        person.letter = letter
        used.add(letter)


def coordinated_names(text: str, people: list[Span]) -> list[Span]:
    """Names joined to a found person in a list: "Mason and Lily-Mae", "Tom, Amy and Zara"."""
    found: list[Span] = []
    for span in people:
        after = COORDINATED_AFTER.match(text, span.end)
        if after and plausible_name(after.group(1)):
            found.append(Span(after.start(1), after.end(1), PERSON, 0.7, "NameListRecognizer"))
        before = COORDINATED_BEFORE.search(text, max(0, span.start - 40), span.start)
        if before and plausible_name(before.group(1)):
            found.append(Span(before.start(1), before.end(1), PERSON, 0.7, "NameListRecognizer"))
    return found


def ages_after_people(text: str, people: list[Span]) -> list[Span]:
    """A person's age written right after their name: "Ms Quigley, 57", "Oskar is 7", "Mr Bramwell (68)"."""
    found: list[Span] = []
    for span in people:
        match = AGE_AFTER_PERSON.match(text, span.end)
        if match and (not match.group(1).isdigit() or int(match.group(1)) <= 120):
            found.append(Span(match.start(1), match.end(), "AGE", 0.75, "AgeAfterNameRecognizer"))
    return found


AGE_AFTER_BIRTH_DATE = re.compile(
    r"(?:,[ \t]*|[ \t]*\([ \t]*(?:aged[ \t]+|age[ \t]+)?|[ \t]*[–-][ \t]*(?:so|now|aged)?[ \t]*"
    r"|\)?[ \t]+(?:and[ \t]+)?(?:was|is|now|aged)[ \t]+(?:now[ \t]+)?)"
    r"(\d{1,3})(?![\d/.:-])(?:[ \t]*(?:yrs?|years?)(?:[ \t]+old)?)?"
)


def ages_after_birth_dates(text: str, births: list[Span]) -> list[Span]:
    """An age written right after a date of birth: "DOB 17/07/1971 (53)", "born 4 April 1937) was 85"."""
    found: list[Span] = []
    for span in births:
        match = AGE_AFTER_BIRTH_DATE.match(text, span.end)
        if match and int(match.group(1)) <= 120:
            found.append(Span(match.start(1), match.end(), "AGE", 0.75, "AgeAfterBirthDateRecognizer"))
    return found


NAME_BEFORE = re.compile(rf"(?<![\w'’-])({NAME_WORD})[ \t]+$")
NAME_AFTER = re.compile(rf"[ \t]+({NAME_WORD})")


def sentence_start(text: str, position: int) -> bool:
    """Whether ``position`` begins the text, a line or a sentence (where any word is capitalised)."""
    preceding = text[max(0, position - 3) : position].rstrip(" \t")
    return not preceding or preceding.endswith((".", "!", "?", ":", "\n", '"', "“"))


def extend_names(text: str, people: list[Span]) -> list[Span]:
    """Person spans grown by a name word written right before or after them, when spaCy took only part
    of a name ("Carmel" before "Whelan", "Cottrell" after "Shane")."""
    grown = []
    for span in people:
        start, end = span.start, span.end
        before = NAME_BEFORE.search(text, max(0, start - 30), start)
        if before and plausible_name(before.group(1)) and not sentence_start(text, before.start(1)):
            start = before.start(1)
        after = NAME_AFTER.match(text, end)
        if after and plausible_name(after.group(1)):
            end = after.end(1)
        grown.append(
            span
            if (start, end) == (span.start, span.end)
            else Span(start, end, PERSON, span.score, span.recogniser)
        )
    return grown
