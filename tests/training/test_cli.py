"""``casework train`` and ``casework evaluate``, run in-process through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from models.store import CARD_FILE, ESTIMATORS_FILE
from training.report import CONFUSION_PNG

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADLINE = {"n", "sector_accuracy", "sector_macro_f1", "themes_micro_f1", "themes_macro_f1"}


def run(app: typer.Typer, *args: str | Path) -> Result:
    """Invoke ``casework ARGS`` and return the result (stdout and stderr kept apart)."""
    return CliRunner().invoke(app, [str(arg) for arg in args])


def train_args(data: Path, taxonomy: Path, output: Path, *extra: str) -> list[str | Path]:
    """``train`` on the tiny data: one candidate, three folds, no worker processes."""
    return [
        "train", data, "--taxonomy", taxonomy, "--output", output,
        "--candidate", "logreg", "--folds", "3", "--jobs", "1", *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def trained_dir(
    casework_app: typer.Typer,
    tiny_jsonl: Path,
    tiny_taxonomy_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Result]:
    """A model trained once by ``casework train`` on the tiny file, and the result of that run."""
    output = tmp_path_factory.mktemp("cli") / "model"
    result = run(casework_app, *train_args(tiny_jsonl, tiny_taxonomy_file, output))
    return output, result


@pytest.fixture
def dirty_jsonl(tmp_path: Path, tiny_jsonl: Path) -> Path:
    """The tiny file with an unknown theme on line 3 and invalid JSON on line 61."""
    lines = tiny_jsonl.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[2])
    lines[2] = json.dumps({**row, "themes": ["parking_fines"]})
    lines.append('{"id": "broken", "text": ')
    path = tmp_path / "dirty.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- registration -------------------------------------------------------------------------------------


def test_train_and_evaluate_are_commands_of_casework(casework_app: typer.Typer) -> None:
    names = [command.name for command in casework_app.registered_commands]

    assert names.count("train") == 1
    assert names.count("evaluate") == 1


def test_the_training_commands_are_declared_as_an_entry_point() -> None:
    from importlib.metadata import entry_points

    declared = {entry.name: entry.value for entry in entry_points(group="casework.commands")}

    assert declared.get("training") == "training.cli:register"


# --- train --------------------------------------------------------------------------------------------


def test_train_writes_the_artefacts_the_report_and_the_confusion_matrix(
    trained_dir: tuple[Path, Result],
) -> None:
    output, result = trained_dir

    assert result.exit_code == 0, result.stderr
    assert (output / ESTIMATORS_FILE).stat().st_size > 0
    assert (output / CARD_FILE).is_file()
    assert (output / "report.md").read_text(encoding="utf-8").startswith("# Model report: complaints-1+")
    assert (output / CONFUSION_PNG).read_bytes().startswith(PNG_SIGNATURE)


def test_the_report_shows_how_far_the_probabilities_and_the_review_flag_can_be_trusted(
    trained_dir: tuple[Path, Result],
) -> None:
    output, _ = trained_dir
    report = (output / "report.md").read_text(encoding="utf-8")

    assert "## Calibration (out of fold)" in report
    assert "| probability | n | mean_probability | observed |" in report
    assert "## Review flags" in report
    assert "| predictions | sector right | best theme right |" in report


def test_train_versions_the_model_by_its_data_and_prints_it_as_json(
    trained_dir: tuple[Path, Result], tiny_jsonl: Path
) -> None:
    output, result = trained_dir
    card = json.loads((output / CARD_FILE).read_text(encoding="utf-8"))

    summary = json.loads(result.stdout.strip().splitlines()[-1])

    assert card["model_version"] == f"complaints-1+{card['training_data_sha256'][:8]}"
    assert summary["model_version"] == card["model_version"]
    assert set(summary) >= HEADLINE
    assert summary["n"] == 60


def test_train_reports_progress_on_stderr_only(trained_dir: tuple[Path, Result]) -> None:
    _, result = trained_dir

    assert "cross-validating 1 candidates on 60 rows (3 folds)" in result.stderr
    assert "chose tfidf_word_char_logreg" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 1


def test_train_compares_every_candidate_on_the_screening_folds_it_is_given(
    casework_app: typer.Typer, tiny_jsonl: Path, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    output = tmp_path / "model"
    args = [
        "train",
        tiny_jsonl,
        "--taxonomy",
        tiny_taxonomy_file,
        "--output",
        output,
        "--folds",
        "3",
        "--jobs",
        "1",
    ]

    result = run(casework_app, *args, "--screening-folds", "1")

    assert result.exit_code == 0, result.stderr
    assert "comparing 3 candidates on 1 of 3 folds (20 rows)" in result.stderr
    assert "cross-validating it on the other 2 folds" in result.stderr
    card = json.loads((output / CARD_FILE).read_text(encoding="utf-8"))
    assert card["cross_validation"]["screening_folds"] == 1
    assert "compared on 1 of 3 cross-validation folds" in (output / "report.md").read_text(encoding="utf-8")


def test_a_file_with_bad_rows_is_reported_line_by_line_and_still_trains(
    casework_app: typer.Typer, dirty_jsonl: Path, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    result = run(casework_app, *train_args(dirty_jsonl, tiny_taxonomy_file, tmp_path / "model"))

    assert result.exit_code == 0, result.stderr
    assert "dirty.jsonl line 3: unknown theme 'parking_fines'" in result.stderr
    assert "dirty.jsonl line 61: invalid JSON" in result.stderr
    assert "2 bad rows skipped; 59 rows used" in result.stderr
    assert json.loads((tmp_path / "model" / CARD_FILE).read_text(encoding="utf-8"))["training_rows"] == 59


def test_strict_training_on_a_file_with_bad_rows_exits_2_without_a_traceback(
    casework_app: typer.Typer, dirty_jsonl: Path, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    result = run(casework_app, *train_args(dirty_jsonl, tiny_taxonomy_file, tmp_path / "model", "--strict"))

    assert result.exit_code == 2
    assert "line 3: unknown theme 'parking_fines'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "model").exists()


def test_training_on_a_missing_file_exits_2_with_a_message(
    casework_app: typer.Typer, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    result = run(casework_app, *train_args(tmp_path / "absent.jsonl", tiny_taxonomy_file, tmp_path / "model"))

    assert result.exit_code == 2
    assert "error: cannot read" in result.stderr
    assert "absent.jsonl" in result.stderr
    assert "Traceback" not in result.output


def test_training_on_a_file_with_no_usable_rows_exits_2(
    casework_app: typer.Typer, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "useless.jsonl"
    path.write_text('{"text": "ward"}\n', encoding="utf-8")

    result = run(casework_app, *train_args(path, tiny_taxonomy_file, tmp_path / "model"))

    assert result.exit_code == 2
    assert "line 1: missing field" in result.stderr
    assert "error: no usable rows" in result.stderr


def test_training_with_an_unreadable_taxonomy_exits_2(
    casework_app: typer.Typer, tiny_jsonl: Path, tmp_path: Path
) -> None:
    taxonomy = tmp_path / "taxonomy.json"
    taxonomy.write_text('{"sectors": []}', encoding="utf-8")

    result = run(casework_app, *train_args(tiny_jsonl, taxonomy, tmp_path / "model"))

    assert result.exit_code == 2
    assert "error: 'sectors' must be a non-empty list" in result.stderr


def test_an_unknown_candidate_exits_2_with_a_message(
    casework_app: typer.Typer, tiny_jsonl: Path, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    args = train_args(tiny_jsonl, tiny_taxonomy_file, tmp_path / "model")
    args[args.index("logreg")] = "bert"

    result = run(casework_app, *args)

    assert result.exit_code == 2
    assert "bert" in result.stderr
    assert "Traceback" not in result.output


def scarce_jsonl(tiny_jsonl: Path, path: Path, immigration_rows: int) -> Path:
    """The tiny file keeping only the first ``immigration_rows`` rows of the immigration_borders sector."""
    lines = tiny_jsonl.read_text(encoding="utf-8").splitlines()
    immigration = [line for line in lines if json.loads(line)["sector"] == "immigration_borders"]
    kept = [line for line in lines if line not in immigration[immigration_rows:]]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_a_label_with_too_few_rows_exits_2_naming_it_without_a_traceback(
    casework_app: typer.Typer, tiny_jsonl: Path, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    data = scarce_jsonl(tiny_jsonl, tmp_path / "scarce.jsonl", immigration_rows=4)

    result = run(casework_app, *train_args(data, tiny_taxonomy_file, tmp_path / "model"))

    assert result.exit_code == 2
    assert (
        "error: the data: too few rows to cross-validate: sector 'immigration_borders' (4)" in result.stderr
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "model").exists()


def test_a_hold_out_that_leaves_a_label_too_few_training_rows_exits_2_saying_so(
    casework_app: typer.Typer, tiny_jsonl: Path, tiny_taxonomy_file: Path, tmp_path: Path
) -> None:
    data = scarce_jsonl(tiny_jsonl, tmp_path / "scarce.jsonl", immigration_rows=12)
    args = train_args(data, tiny_taxonomy_file, tmp_path / "model", "--holdout", "0.5")

    result = run(casework_app, *args)

    assert result.exit_code == 2
    assert "error: the hold-out's training part: too few rows" in result.stderr
    assert "sector 'immigration_borders' (6)" in result.stderr
    assert "Traceback" not in result.output


# --- evaluate -----------------------------------------------------------------------------------------


def test_evaluate_ends_with_one_json_line_of_the_headline_metrics(
    casework_app: typer.Typer, trained_dir: tuple[Path, Result], tiny_jsonl: Path
) -> None:
    model, _ = trained_dir

    result = run(casework_app, "evaluate", tiny_jsonl, "--model", model, "--json")

    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(metrics) >= HEADLINE
    assert metrics["n"] == 60
    assert metrics["sector_accuracy"] == pytest.approx(1.0)
    assert metrics["model_version"].startswith("complaints-1+")
    assert 0.0 <= metrics["sector_ece"] <= 1.0
    assert 0.0 <= metrics["themes_ece"] <= 1.0


def test_evaluate_prints_a_line_per_theme(
    casework_app: typer.Typer, trained_dir: tuple[Path, Result], tiny_jsonl: Path
) -> None:
    model, _ = trained_dir

    result = run(casework_app, "evaluate", tiny_jsonl, "--model", model)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("model complaints-1+")
    for theme in ["clinical_care_standard", "tax_and_credits", "immigration_status", "communication"]:
        assert f"  {theme} " in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout.strip().splitlines()[-1])


def test_evaluate_reads_csv_with_renamed_columns(
    casework_app: typer.Typer, trained_dir: tuple[Path, Result], csv_file, rows
) -> None:
    model, _ = trained_dir
    renamed = [{"ref": r["id"], "body": r["text"], "org": r["sector"], "tags": r["themes"]} for r in rows]
    path = csv_file("renamed.csv", renamed)
    columns = [
        "--text-column",
        "body",
        "--sector-column",
        "org",
        "--themes-column",
        "tags",
        "--id-column",
        "ref",
    ]

    result = run(casework_app, "evaluate", path, "--model", model, "--json", *columns)

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["n"] == 60


def test_evaluate_reports_bad_rows_and_scores_the_rest(
    casework_app: typer.Typer, trained_dir: tuple[Path, Result], dirty_jsonl: Path
) -> None:
    model, _ = trained_dir

    result = run(casework_app, "evaluate", dirty_jsonl, "--model", model, "--json")

    assert result.exit_code == 0, result.stderr
    assert "dirty.jsonl line 3: unknown theme 'parking_fines'" in result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["n"] == 59


def test_evaluate_with_a_directory_holding_no_model_exits_2(
    casework_app: typer.Typer, tiny_jsonl: Path, tmp_path: Path
) -> None:
    result = run(casework_app, "evaluate", tiny_jsonl, "--model", tmp_path)

    assert result.exit_code == 2
    assert f"no readable {CARD_FILE}" in result.stderr


def test_evaluate_on_a_missing_file_exits_2_with_a_message(
    casework_app: typer.Typer, trained_dir: tuple[Path, Result], tmp_path: Path
) -> None:
    model, _ = trained_dir

    result = run(casework_app, "evaluate", tmp_path / "absent.csv", "--model", model)

    assert result.exit_code == 2
    assert "error: cannot read" in result.stderr
    assert "Traceback" not in result.output
