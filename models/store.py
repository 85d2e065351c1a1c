"""Save and load a ComplaintClassifier: estimators with skops (never pickle), beside a JSON model card."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

from models.classifier import ComplaintClassifier, ReviewThresholds

ESTIMATORS_FILE = "classifier.skops"
CARD_FILE = "model_card.json"
DEFAULT_MODEL_DIR = Path(__file__).parent / "complaints" / "1"
# skops refuses to build any type not on this list: only scikit-learn, NumPy, SciPy and our own estimators
# and features (never builtins such as eval, which a crafted file could name as a text analyser).
TRUSTED_MODULE_PREFIXES = ("sklearn.", "numpy.", "scipy.", "models.thresholds.", "models.features.")


class ModelLoadError(RuntimeError):
    """A model directory is missing, incomplete, or holds a type we do not trust."""


def save_classifier(classifier: ComplaintClassifier, directory: Path) -> None:
    """Write ``classifier.skops`` and ``model_card.json`` (the classifier's card) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    bundle = {
        "features": classifier.features,
        "sector": classifier.sector_model,
        "themes": classifier.themes_model,
    }
    sio.dump(bundle, directory / ESTIMATORS_FILE, compression=zipfile.ZIP_DEFLATED)
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
    """Load the classifier saved in ``directory``, refusing any untrusted type inside the skops file."""
    directory = Path(directory)
    card = read_card(directory)
    path = directory / ESTIMATORS_FILE
    if not path.is_file():
        raise ModelLoadError(f"no {ESTIMATORS_FILE} in {directory}")
    untrusted = sio.get_untrusted_types(file=path)
    refused = [name for name in untrusted if not name.startswith(TRUSTED_MODULE_PREFIXES)]
    if refused:
        raise ModelLoadError(f"{path} holds types outside the trusted list: {', '.join(sorted(refused))}")
    bundle = sio.load(path, trusted=untrusted)
    return ComplaintClassifier(
        features=bundle["features"],
        sector_model=bundle["sector"],
        themes_model=bundle["themes"],
        sector_labels=list(card["sector_labels"]),
        theme_labels=list(card["theme_labels"]),
        review=ReviewThresholds(**card["review_thresholds"]),
        card=card,
    )
