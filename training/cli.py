"""``casework train`` and ``casework evaluate`` (also ``python -m training``).

The commands are registered on every start of ``casework``, so scikit-learn and the training modules are
imported inside them: ``casework serve``, ``batch`` and ``--help`` do not pay for them.
"""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path
from typing import Annotated

import typer

from models.locations import DEFAULT_MODEL_DIR
from models.taxonomy import Taxonomy, TaxonomyError
from training.data import Columns, DataError, LabelledData, load_labelled, require_learnable_labels

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT / "data" / "samples" / "complaints.jsonl"
DEFAULT_TAXONOMY = REPO_ROOT / "data" / "samples" / "taxonomy.json"

DataPath = Annotated[Path, typer.Argument(help="Labelled complaints: .jsonl, .csv or .parquet.")]
TaxonomyOption = Annotated[Path, typer.Option(help="Taxonomy JSON (sectors and themes).")]
TextColumn = Annotated[str, typer.Option(help="Column holding the complaint text.")]
SectorColumn = Annotated[str, typer.Option(help="Column holding the sector id.")]
ThemesColumn = Annotated[str, typer.Option(help="Column holding theme ids (list or ';'-separated).")]
IdColumn = Annotated[str, typer.Option(help="Column holding the row id (line number if absent).")]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Fail on the first bad row instead of skipping it.")
]


def say(message: str) -> None:
    """Progress and diagnostics go to stderr so stdout stays machine-readable."""
    typer.echo(message, err=True)


def load_taxonomy(path: Path) -> Taxonomy:
    """The taxonomy at ``path``; exit 2 with a message when it is unusable."""
    try:
        return Taxonomy.load(path)
    except TaxonomyError as error:
        say(f"error: {error}")
        raise typer.Exit(2) from None


def read_data(data_path: Path, taxonomy: Taxonomy, columns: Columns, strict: bool) -> LabelledData:
    """The usable labelled rows, each skipped row reported with its line; exit 2 when nothing is usable."""
    try:
        data = load_labelled(data_path, taxonomy, columns, strict=strict)
    except DataError as error:
        say(f"error: {error}")
        raise typer.Exit(2) from None
    for problem in data.problems:
        say(f"skipped {data_path.name} {problem}")
    if data.problems:
        say(f"{len(data.problems)} bad rows skipped; {len(data)} rows used")
    if not len(data):
        say("error: no usable rows")
        raise typer.Exit(2)
    return data


def require_enough_rows(data: LabelledData, folds: int, part: str) -> None:
    """Exit 2, naming them, when sectors or themes of ``part`` label too few rows to cross-validate."""
    from training.fit import min_label_examples

    try:
        require_learnable_labels(data, min_label_examples(folds))
    except DataError as error:
        say(f"error: {part}: {error}")
        raise typer.Exit(2) from None


def train_command(
    data_path: DataPath = DEFAULT_DATA,
    taxonomy: TaxonomyOption = DEFAULT_TAXONOMY,
    output: Annotated[Path, typer.Option(help="Directory to write the model into.")] = DEFAULT_MODEL_DIR,
    version: Annotated[str, typer.Option(help="Model version label.")] = "1",
    seed: Annotated[int, typer.Option(help="Random seed: same data and seed give the same metrics.")] = 42,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 5,
    holdout: Annotated[
        float,
        typer.Option(min=0.0, max=0.5, help="Also score a model trained without this stratified share."),
    ] = 0.0,
    candidates: Annotated[
        list[str] | None, typer.Option("--candidate", help="Limit to these candidates.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Parallel cross-validation folds.")] = 2,
    screening_folds: Annotated[
        int,
        typer.Option(
            min=1,
            help="Compare the candidates on this many folds, then cross-validate the best on all of them "
            "(at least --folds compares them on every fold).",
        ),
    ] = 2,
    text_column: TextColumn = "text",
    sector_column: SectorColumn = "sector",
    themes_column: ThemesColumn = "themes",
    id_column: IdColumn = "id",
    strict: StrictOption = False,
) -> None:
    """Train the sector and themes classifiers and write skops artefacts, a model card and a report."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    from models.store import save_classifier
    from training.candidates import CANDIDATES
    from training.evaluate import evaluate
    from training.fit import cross_validation_details, train
    from training.report import CONFUSION_PNG, plot_confusion, render_report

    unknown = sorted(set(candidates or []) - set(CANDIDATES))
    if unknown:
        say(f"error: unknown candidate {', '.join(unknown)}: choose from {', '.join(CANDIDATES)}")
        raise typer.Exit(2)
    columns = Columns(text=text_column, sector=sector_column, themes=themes_column, id=id_column)
    tax = load_taxonomy(taxonomy)
    data = read_data(data_path, tax, columns, strict)
    require_enough_rows(data, folds, "the data")
    fit = functools.partial(
        train,
        taxonomy=tax,
        seed=seed,
        folds=folds,
        candidates=candidates,
        jobs=jobs,
        screening_folds=screening_folds,
    )
    started = time.perf_counter()
    holdout_metrics = None
    if holdout:
        indices = np.arange(len(data))
        kept, held = train_test_split(indices, test_size=holdout, stratify=data.sectors, random_state=seed)
        say(f"hold-out: training on {len(kept)} rows, scoring on {len(held)}")
        kept_data = data.subset(sorted(kept))
        require_enough_rows(kept_data, folds, "the hold-out's training part")
        partial = fit(kept_data)
        holdout_metrics = evaluate(partial.classifier, data.subset(sorted(held)), tax)
        headline = {key: value for key, value in holdout_metrics.items() if key != "themes"}
        say("hold-out: " + json.dumps(headline))
    result = fit(data, progress=say)
    card = result.classifier.card
    card["model_version"] = f"complaints-{version}+{card['training_data_sha256'][:8]}"
    if holdout_metrics:
        card["holdout"] = {"share": holdout, **{k: v for k, v in holdout_metrics.items() if k != "themes"}}
    output.mkdir(parents=True, exist_ok=True)
    save_classifier(result.classifier, output)
    details = cross_validation_details(result)
    plot_confusion(details["confusion"], result.classifier.sector_labels, output / CONFUSION_PNG)
    (output / "report.md").write_text(render_report(card, details, card.get("holdout")), encoding="utf-8")
    say(f"wrote {output} in {time.perf_counter() - started:.1f} s ({card['pipeline']})")
    typer.echo(json.dumps({"model_version": card["model_version"], **card["cross_validation"]["chosen"]}))


def evaluate_command(
    data_path: DataPath,
    model: Annotated[
        Path, typer.Option(help="Model directory (default: the shipped model).")
    ] = DEFAULT_MODEL_DIR,
    taxonomy: Annotated[Path | None, typer.Option(help="Taxonomy JSON (default: the model's own).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON object of the metrics.")] = False,
    text_column: TextColumn = "text",
    sector_column: SectorColumn = "sector",
    themes_column: ThemesColumn = "themes",
    id_column: IdColumn = "id",
    strict: StrictOption = False,
) -> None:
    """Score a saved model on a labelled file and print its metrics."""
    from models.store import ModelLoadError, load_classifier
    from training.evaluate import LabelMismatchError, evaluate

    try:
        classifier = load_classifier(model)
    except ModelLoadError as error:
        say(f"error: {error}")
        raise typer.Exit(2) from None
    tax = load_taxonomy(taxonomy) if taxonomy else Taxonomy.from_dict(classifier.card["taxonomy"])
    columns = Columns(text=text_column, sector=sector_column, themes=themes_column, id=id_column)
    data = read_data(data_path, tax, columns, strict)
    try:
        metrics = evaluate(classifier, data, tax)
    except LabelMismatchError as error:
        say(f"error: {error}")
        raise typer.Exit(2) from None
    headline = {key: value for key, value in metrics.items() if key != "themes"}
    typer.echo(f"model {classifier.version} on {data_path.name}")
    for key, value in headline.items():
        typer.echo(f"  {key:30} {value}")
    for row in metrics["themes"]:
        typer.echo(
            f"  {row['label']:24} P={row['precision']:.3f} R={row['recall']:.3f} F1={row['f1']:.3f} n={row['support']}"
        )
    if as_json:
        typer.echo(json.dumps({"model_version": classifier.version, **headline}))


def register(app: typer.Typer) -> None:
    """Add ``train`` and ``evaluate`` to the ``casework`` command."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)


train_app = typer.Typer(add_completion=False, help="Train the Casework NLP classifiers.")
train_app.command("train")(train_command)
