"""Loading labelled complaints: JSONL, CSV and Parquet; bad rows reported with their line and skipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from models.taxonomy import Taxonomy
from training.data import Columns, DataError, RowProblem, load_labelled

# --- formats ------------------------------------------------------------------------------------------


FORMATS = [("jsonl_file", ".jsonl"), ("csv_file", ".csv"), ("parquet_file", ".parquet")]


@pytest.mark.parametrize(("writer", "suffix"), FORMATS, ids=["jsonl", "csv", "parquet"])
def test_each_format_loads_every_row_in_file_order(
    request: pytest.FixtureRequest, writer: str, suffix: str, rows: list[dict[str, Any]], taxonomy: Taxonomy
) -> None:
    path = request.getfixturevalue(writer)("complaints" + suffix, rows)

    data = load_labelled(path, taxonomy)

    assert data.problems == []
    assert data.ids == [row["id"] for row in rows]
    assert data.texts == [row["text"] for row in rows]
    assert data.sectors == [row["sector"] for row in rows]
    assert data.themes == [row["themes"] for row in rows]


def test_the_sha256_is_the_same_for_the_same_rows_in_jsonl_csv_and_parquet(
    jsonl_file, csv_file, parquet_file, rows: list[dict[str, Any]], taxonomy: Taxonomy
) -> None:
    rows[0]["text"] = 'a text over\ntwo lines, with a comma and "quotes" and £ and é'
    writers = {".jsonl": jsonl_file, ".csv": csv_file, ".parquet": parquet_file}
    loaded = [
        load_labelled(write("complaints" + suffix, rows), taxonomy) for suffix, write in writers.items()
    ]

    assert [len(data) for data in loaded] == [len(rows)] * 3
    assert len({data.sha256() for data in loaded}) == 1


def test_the_sha256_changes_when_a_label_changes(
    jsonl_file, rows: list[dict[str, Any]], taxonomy: Taxonomy
) -> None:
    before = load_labelled(jsonl_file("before.jsonl", rows), taxonomy).sha256()
    rows[3]["themes"] = ["communication"]
    after = load_labelled(jsonl_file("after.jsonl", rows), taxonomy).sha256()

    assert before != after


def test_the_sha256_ignores_skipped_rows(jsonl_file, rows: list[dict[str, Any]], taxonomy: Taxonomy) -> None:
    clean = load_labelled(jsonl_file("clean.jsonl", rows), taxonomy)
    with_bad_row = load_labelled(jsonl_file("dirty.jsonl", [*rows, {"text": "no labels"}]), taxonomy)

    assert len(with_bad_row.problems) == 1
    assert with_bad_row.sha256() == clean.sha256()


def test_the_suffix_is_recognised_whatever_its_case(
    jsonl_file, rows: list[dict[str, Any]], taxonomy: Taxonomy
) -> None:
    path = jsonl_file("COMPLAINTS.JSONL", rows)

    assert len(load_labelled(path, taxonomy)) == len(rows)


# --- columns ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("writer", "suffix"), FORMATS, ids=["jsonl", "csv", "parquet"])
def test_the_text_label_and_id_columns_can_be_renamed(
    request: pytest.FixtureRequest, writer: str, suffix: str, taxonomy: Taxonomy
) -> None:
    renamed = [
        {"ref": "C-1", "body": "ward nurse scan", "org": "nhs_hospital", "tags": ["clinical_care_standard"]},
        {"ref": "C-2", "body": "visa passport", "org": "immigration_borders", "tags": ["immigration_status"]},
    ]
    path = request.getfixturevalue(writer)("renamed" + suffix, renamed)

    data = load_labelled(path, taxonomy, Columns(text="body", sector="org", themes="tags", id="ref"))

    assert data.problems == []
    assert data.ids == ["C-1", "C-2"]
    assert data.texts == ["ward nurse scan", "visa passport"]
    assert data.sectors == ["nhs_hospital", "immigration_borders"]
    assert data.themes == [["clinical_care_standard"], ["immigration_status"]]


def test_default_columns_do_not_find_renamed_ones(jsonl_file, taxonomy: Taxonomy) -> None:
    path = jsonl_file("renamed.jsonl", [{"body": "ward", "org": "nhs_hospital", "tags": ["communication"]}])

    data = load_labelled(path, taxonomy)

    assert len(data) == 0
    assert data.problems == [RowProblem(1, "missing field 'text'")]


def test_without_an_id_column_the_id_is_the_line_number(lines_file, good_row, taxonomy: Taxonomy) -> None:
    del good_row["id"]
    path = lines_file("no_ids.jsonl", [json.dumps(good_row), "", json.dumps(good_row)])

    assert load_labelled(path, taxonomy).ids == ["1", "3"]


def test_a_sector_with_surrounding_spaces_is_accepted_and_stored_stripped(
    jsonl_file, good_row, taxonomy: Taxonomy
) -> None:
    good_row["sector"] = "  nhs_hospital "

    assert load_labelled(jsonl_file("spaces.jsonl", [good_row]), taxonomy).sectors == ["nhs_hospital"]


# --- themes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (["communication", "clinical_care_standard"], ["communication", "clinical_care_standard"]),
        ('["communication", "clinical_care_standard"]', ["communication", "clinical_care_standard"]),
        ("communication;clinical_care_standard", ["communication", "clinical_care_standard"]),
        (" communication ; clinical_care_standard ; ", ["communication", "clinical_care_standard"]),
        ("communication", ["communication"]),
        (["communication", "communication", " "], ["communication"]),
        ("communication;communication", ["communication"]),
    ],
    ids=[
        "list",
        "json-string",
        "separated",
        "separated-spaces",
        "single",
        "list-repeats",
        "separated-repeats",
    ],
)
def test_themes_may_be_a_list_a_json_string_or_a_separated_string(
    jsonl_file, good_row, taxonomy: Taxonomy, themes: Any, expected: list[str]
) -> None:
    good_row["themes"] = themes

    data = load_labelled(jsonl_file("themes.jsonl", [good_row]), taxonomy)

    assert data.problems == []
    assert data.themes == [expected]


def test_csv_themes_may_be_a_json_list_in_the_cell(csv_file, good_row, taxonomy: Taxonomy) -> None:
    good_row["themes"] = '["communication", "clinical_care_standard"]'

    data = load_labelled(csv_file("themes.csv", [good_row]), taxonomy)

    assert data.themes == [["communication", "clinical_care_standard"]]


# --- bad rows -----------------------------------------------------------------------------------------

BAD_JSONL_LINES = {
    "invalid JSON": ('{"id": "x", "text": "ward", ', "invalid JSON ("),
    "not an object": ('["ward nurse", "nhs_hospital"]', "not a JSON object"),
    "empty text": (
        json.dumps({"text": "", "sector": "nhs_hospital", "themes": ["communication"]}),
        "empty text",
    ),
    "whitespace text": (
        json.dumps({"text": " \t\n ", "sector": "nhs_hospital", "themes": ["communication"]}),
        "empty text",
    ),
    "missing text": (
        json.dumps({"sector": "nhs_hospital", "themes": ["communication"]}),
        "missing field 'text'",
    ),
    "missing sector": (json.dumps({"text": "ward", "themes": ["communication"]}), "missing field 'sector'"),
    "missing themes": (json.dumps({"text": "ward", "sector": "nhs_hospital"}), "missing field 'themes'"),
    "null sector": (
        json.dumps({"text": "ward", "sector": None, "themes": ["communication"]}),
        "missing field 'sector'",
    ),
    "unknown sector": (
        json.dumps({"text": "ward", "sector": "nhs_dentistry", "themes": ["communication"]}),
        "unknown sector 'nhs_dentistry'",
    ),
    "unknown theme": (
        json.dumps({"text": "ward", "sector": "nhs_hospital", "themes": ["communication", "parking"]}),
        "unknown theme 'parking'",
    ),
    "no themes (empty list)": (
        json.dumps({"text": "ward", "sector": "nhs_hospital", "themes": []}),
        "no themes",
    ),
    "no themes (blank string)": (
        json.dumps({"text": "ward", "sector": "nhs_hospital", "themes": " "}),
        "no themes",
    ),
    "no themes (separators only)": (
        json.dumps({"text": "ward", "sector": "nhs_hospital", "themes": ";;"}),
        "no themes",
    ),
}


@pytest.mark.parametrize(("line", "reason"), BAD_JSONL_LINES.values(), ids=BAD_JSONL_LINES.keys())
def test_a_bad_row_is_reported_with_its_line_and_skipped(
    lines_file, good_row, taxonomy: Taxonomy, line: str, reason: str
) -> None:
    path = lines_file("bad.jsonl", [json.dumps(good_row), line, json.dumps(good_row)])

    data = load_labelled(path, taxonomy)

    assert len(data) == 2
    assert [problem.line for problem in data.problems] == [2]
    assert data.problems[0].reason.startswith(reason)
    assert str(data.problems[0]).startswith(f"line 2: {reason}")


@pytest.mark.parametrize("themes", [3, True], ids=["number", "boolean"])
def test_a_row_whose_themes_are_neither_a_list_nor_a_string_is_reported_and_skipped(
    lines_file, good_row, taxonomy: Taxonomy, themes: Any
) -> None:
    path = lines_file("odd_themes.jsonl", [json.dumps(good_row), json.dumps({**good_row, "themes": themes})])

    data = load_labelled(path, taxonomy)

    assert len(data) == 1
    assert [problem.line for problem in data.problems] == [2]


def test_a_row_with_an_unknown_theme_is_reported_with_its_line_and_skipped(
    jsonl_file, rows: list[dict[str, Any]], taxonomy: Taxonomy
) -> None:
    rows[4]["themes"] = ["communication", "parking_fines"]

    data = load_labelled(jsonl_file("unknown_theme.jsonl", rows), taxonomy)

    assert data.problems == [RowProblem(5, "unknown theme 'parking_fines'")]
    assert len(data) == len(rows) - 1
    assert rows[4]["id"] not in data.ids


def test_blank_lines_are_skipped_silently_and_still_counted(lines_file, good_row, taxonomy: Taxonomy) -> None:
    bad = json.dumps({**good_row, "sector": "nowhere"})
    path = lines_file("blanks.jsonl", [json.dumps(good_row), "", "   ", bad])

    data = load_labelled(path, taxonomy)

    assert len(data) == 1
    assert data.problems == [RowProblem(4, "unknown sector 'nowhere'")]


def test_every_bad_row_is_reported_not_only_the_first(lines_file, good_row, taxonomy: Taxonomy) -> None:
    lines = [json.dumps(good_row), "{oops", json.dumps(good_row), "[]", json.dumps({**good_row, "text": ""})]

    data = load_labelled(lines_file("many.jsonl", lines), taxonomy)

    assert [problem.line for problem in data.problems] == [2, 4, 5]
    assert len(data) == 2


def test_a_bad_csv_row_is_reported_with_its_line_in_the_file(csv_file, good_row, taxonomy: Taxonomy) -> None:
    multi_line = {**good_row, "id": "multi", "text": "first line\nsecond line\nthird line"}
    bad = {**good_row, "id": "bad", "sector": "nowhere"}
    # line 1 is the header, the multi-line row takes lines 3 to 5.
    path = csv_file("bad.csv", [good_row, multi_line, bad])

    data = load_labelled(path, taxonomy)

    assert data.ids == ["good", "multi"]
    assert data.texts[1] == "first line\nsecond line\nthird line"
    assert data.problems == [RowProblem(6, "unknown sector 'nowhere'")]


def test_a_csv_row_with_missing_cells_is_reported(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "short.csv"
    path.write_text(
        "id,text,sector,themes\n1,ward nurse,nhs_hospital,communication\n2,ward nurse\n", encoding="utf-8"
    )

    data = load_labelled(path, taxonomy)

    assert data.ids == ["1"]
    assert data.problems == [RowProblem(3, "missing field 'sector'")]


def test_a_bad_parquet_row_is_reported_with_its_row_number(
    parquet_file, good_row, taxonomy: Taxonomy
) -> None:
    rows = [good_row, {**good_row, "text": None}, good_row, {**good_row, "themes": ["parking"]}]

    data = load_labelled(parquet_file("bad.parquet", rows), taxonomy)

    assert len(data) == 2
    assert data.problems == [RowProblem(2, "missing field 'text'"), RowProblem(4, "unknown theme 'parking'")]


# --- strict mode and unusable files -------------------------------------------------------------------


def test_strict_mode_raises_on_the_first_bad_row_naming_its_line(
    lines_file, good_row, taxonomy: Taxonomy
) -> None:
    lines = [json.dumps(good_row), json.dumps(good_row), json.dumps({**good_row, "themes": []}), "{oops"]
    path = lines_file("strict.jsonl", lines)

    with pytest.raises(DataError, match=r"line 3: no themes"):
        load_labelled(path, taxonomy, strict=True)


def test_strict_mode_accepts_a_clean_file(jsonl_file, rows: list[dict[str, Any]], taxonomy: Taxonomy) -> None:
    assert len(load_labelled(jsonl_file("clean.jsonl", rows), taxonomy, strict=True)) == len(rows)


@pytest.mark.parametrize("name", ["complaints.txt", "complaints.json", "complaints.xlsx", "complaints"])
def test_an_unsupported_extension_raises_data_error(tmp_path: Path, taxonomy: Taxonomy, name: str) -> None:
    path = tmp_path / name
    path.write_text("{}\n", encoding="utf-8")

    with pytest.raises(DataError, match="unsupported file type"):
        load_labelled(path, taxonomy)


@pytest.mark.parametrize("name", ["missing.jsonl", "missing.csv", "missing.parquet"])
def test_a_missing_file_raises_data_error(tmp_path: Path, taxonomy: Taxonomy, name: str) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_labelled(tmp_path / name, taxonomy)


def test_a_directory_raises_data_error(tmp_path: Path, taxonomy: Taxonomy) -> None:
    (tmp_path / "folder.jsonl").mkdir()

    with pytest.raises(DataError, match="cannot read"):
        load_labelled(tmp_path / "folder.jsonl", taxonomy)


LATIN_1_FILES = {
    ".jsonl": '{"text": "caf\u00e9", "sector": "nhs_hospital", "themes": ["communication"]}\n',
    ".csv": "text,sector,themes\ncaf\u00e9,nhs_hospital,communication\n",
}


@pytest.mark.parametrize(("suffix", "content"), LATIN_1_FILES.items(), ids=LATIN_1_FILES.keys())
def test_a_file_that_is_not_utf8_raises_data_error(
    tmp_path: Path, taxonomy: Taxonomy, suffix: str, content: str
) -> None:
    path = tmp_path / f"latin1{suffix}"
    path.write_bytes(content.encode("latin-1"))

    with pytest.raises(DataError, match="cannot read"):
        load_labelled(path, taxonomy)


def test_a_corrupt_parquet_file_raises_data_error(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "corrupt.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")

    with pytest.raises(DataError, match="not a valid Parquet file"):
        load_labelled(path, taxonomy)
