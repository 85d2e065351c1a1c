"""Our folding and character n-grams are exactly scikit-learn's lower-casing, accent stripping and
``char_wb`` n-grams."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode

from models.features import CHAR_NGRAM_SIZES, char_wb_ngrams, fold

TEXTS = [
    "Mrs A complained that the Trust didn't reply.",
    "Zoë Ní Bhriain — café owner, paid £1,250 for the ‘assessment’ 😡",
    "Пациент не получил ответа; Nguyễn Thị Minh Khai; Ångström; ﬁnal ｆｕｌｌｗｉｄｔｈ",
    "e\u0301 combining accent, Ⅻ roman numeral, ½ fraction, ß sharp s",
    "a  b\tc\nd",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_character_ngrams_are_scikit_learns_char_wb_ngrams(text: str) -> None:
    reference = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(min(CHAR_NGRAM_SIZES), max(CHAR_NGRAM_SIZES)),
        strip_accents="unicode",
    ).build_analyzer()
    assert sorted(char_wb_ngrams(text)) == sorted(reference(text))


@pytest.mark.parametrize("text", TEXTS)
def test_folding_is_scikit_learns_lower_casing_then_accent_stripping(text: str) -> None:
    assert fold(text) == strip_accents_unicode(text.lower())
