"""What a running service holds: the settings, the classifier and the redaction engine, loaded once."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from models.classifier import ComplaintClassifier
from models.store import CARD_FILE, load_classifier
from service.redaction.engine import RedactionEngine
from service.settings import Settings


@dataclass
class Runtime:
    """The loaded models, shared by every request of one process."""

    settings: Settings
    classifier: ComplaintClassifier
    engine: RedactionEngine

    @classmethod
    def load(cls, settings: Settings) -> Runtime:
        """Load the classifier from ``settings.model_dir`` and build the redaction engine."""
        return cls(
            settings=settings,
            classifier=load_classifier(settings.model_dir),
            engine=RedactionEngine(settings),
        )


def ensure_default_models(settings: Settings) -> None:
    """Train the default models into ``settings.model_dir`` when no model is there yet.

    Training runs as its own process (``python -m training``): the service never imports training.
    """
    if (settings.model_dir / CARD_FILE).is_file():
        return
    print(f"no model in {settings.model_dir}: training the default models first", file=sys.stderr)  # noqa: T201
    subprocess.run([sys.executable, "-m", "training", "--output", str(settings.model_dir)], check=True)
