"""The forename list: what it holds, how it is read, and how it is built from nomquamgender's name data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.redaction.forenames import (
    FORENAMES_FILE,
    MIN_COUNT,
    MIN_SOURCES,
    common_forenames,
    known_forename,
    main,
)


@pytest.mark.parametrize(
    "name", ["Eilidh", "Aled", "Sandeep", "Parveen", "Abdirahman", "Zofia", "Kacper", "Ifeoma"]
)
def test_forenames_of_the_uk_s_many_origins_are_known(name: str) -> None:
    assert known_forename(name)


def test_case_and_accents_are_ignored() -> None:
    assert known_forename("SIÂN")
    assert known_forename("siân")
    assert known_forename("Zoë")


@pytest.mark.parametrize("word", ["Radford", "Gleason", "Marston", "Coventry", "Sertraline"])
def test_surnames_places_and_words_seldom_given_as_forenames_are_not(word: str) -> None:
    assert not known_forename(word)


def test_the_shipped_list_states_its_source_and_licence() -> None:
    header = FORENAMES_FILE.read_text(encoding="utf-8").split("\n#\n")[0]

    assert "nomquamgender" in header
    assert f"at least {MIN_COUNT} times in at least {MIN_SOURCES} sources" in header.replace("\n# ", " ")
    assert "MIT licence" in FORENAMES_FILE.read_text(encoding="utf-8")


def test_names_are_kept_by_count_and_sources_and_only_when_made_of_letters() -> None:
    name_data = {
        "aled": [14, 999, 0.0, 3],
        "zeta": [MIN_SOURCES, MIN_COUNT, 1.0, 3],
        "rare": [MIN_SOURCES, MIN_COUNT - 1, 1.0, 3],
        "local": [MIN_SOURCES - 1, 50_000, 0.5, 3],
        "mary-jane": [13, 657, 1.0, 3],
        "o'neil": [12, 400, 0.0, 3],
        "jean pierre": [20, 5000, 0.0, 3],
        "&amp;me": [30, 5000, 0.0, 3],
    }

    assert common_forenames(name_data) == ["aled", "mary-jane", "o'neil", "zeta"]


def test_building_prints_the_licence_then_the_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "name_data.json"
    source.write_text(json.dumps({"bethan": [17, 9034, 0.955, 3], "the": [3, 852, 0.2, 3]}), encoding="utf-8")

    main([str(source)])

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("# Forenames seen at least")
    assert [line for line in lines if not line.startswith("#")] == ["bethan"]


def test_building_without_a_source_says_how_to_call_it() -> None:
    with pytest.raises(SystemExit, match=r"usage: python -m service\.redaction\.forenames"):
        main([])
