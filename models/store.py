"""Save and load a ComplaintClassifier: estimators with skops (never pickle), beside a JSON model card."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from models.classifier import ComplaintClassifier, ReviewThresholds

ESTIMATORS_FILE = "classifier.skops"
CARD_FILE = "model_card.json"
# skops refuses to build any type not on this list: only scikit-learn, NumPy, SciPy and our own estimators
# and features (never builtins such as eval, which a crafted file could name as a text analyser).
TRUSTED_MODULE_PREFIXES = (
    "sklearn.",
    "numpy.",
    "scipy.",
    "models.thresholds.",
    "models.features.",
    "models.calibration.",
)


class ModelLoadError(RuntimeError):
    """A model directory is missing, incomplete, or holds a type we do not trust."""


def save_classifier(classifier: ComplaintClassifier, directory: Path) -> None:
    """Write ``classifier.skops`` and ``model_card.json`` into ``directory``.

    The classifier's card gains ``skops_types``, the non-default types the skops file holds, so loading
    need not walk the file an extra time to list them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    bundle = {
        "features": classifier.features,
        "sector": classifier.sector_model,
        "themes": classifier.themes_model,
    }
    sio.dump(bundle, directory / ESTIMATORS_FILE, compression=zipfile.ZIP_DEFLATED)
    classifier.card["skops_types"] = sorted(sio.get_untrusted_types(file=directory / ESTIMATORS_FILE))
    (directory / CARD_FILE).write_text(
        json.dumps(classifier.card, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def read_card(directory: Path) -> dict[str, Any]:
    """The model card saved in ``directory``; ModelLoadError if there is none."""
    try:
        return json.loads((Path(directory) / CARD_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelLoadError(f"no readable {CARD_FILE} in {directory}") from error


def load_classifier(directory: Path) -> ComplaintClassifier:
    """Load the classifier saved in ``directory``, refusing any untrusted type inside the skops file.

    The card's ``skops_types`` that are on the trusted list are offered to skops, which refuses the file if
    it holds any other type; only then is the file walked to name the types it would not build.
    """
    directory = Path(directory)
    card = read_card(directory)
    path = directory / ESTIMATORS_FILE
    if not path.is_file():
        raise ModelLoadError(f"no {ESTIMATORS_FILE} in {directory}")
    listed = card.get("skops_types")
    bundle = None
    if isinstance(listed, list):
        try:
            bundle = sio.load(path, trusted=[str(name) for name in listed if _trusted(str(name))])
        except UntrustedTypesFoundException:
            bundle = None  # the file holds a type its card does not list: name it below
    if bundle is None:
        bundle = sio.load(path, trusted=_checked_types(path))
    return ComplaintClassifier(
        features=bundle["features"],
        sector_model=bundle["sector"],
        themes_model=bundle["themes"],
        sector_labels=list(card["sector_labels"]),
        theme_labels=list(card["theme_labels"]),
        review=ReviewThresholds(**card["review_thresholds"]),
        card=card,
    )


def _trusted(type_name: str) -> bool:
    return type_name.startswith(TRUSTED_MODULE_PREFIXES)


def _checked_types(path: Path) -> list[str]:
    """The non-default types in the skops file at ``path``; ModelLoadError naming any we do not trust."""
    untrusted = sio.get_untrusted_types(file=path)
    refused = [name for name in untrusted if not _trusted(name)]
    if refused:
        raise ModelLoadError(f"{path} holds types outside the trusted list: {', '.join(sorted(refused))}")
    return untrusted
