"""The complaint classifier as the service uses it: one shared feature step, a sector model, a themes model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.linear import LinearProbabilities, compile_probabilities
from models.tfidf import FeatureRows, compile_features
from models.thresholds import apply_thresholds

ALTERNATIVES = 3


@dataclass(frozen=True)
class LabelScore:
    """A label and the calibrated probability the model gives it."""

    label: str
    probability: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form: {"label", "probability"} with the probability rounded to 4 places."""
        return {"label": self.label, "probability": round(self.probability, 4)}


@dataclass(frozen=True)
class Prediction:
    """Sector and themes for one complaint, and whether a person should check them."""

    sector: LabelScore
    alternatives: list[LabelScore]
    themes: list[LabelScore]
    needs_review: bool

    def to_dict(self) -> dict[str, Any]:
        """The API's JSON form of a prediction."""
        return {
            "sector": {**self.sector.to_dict(), "alternatives": [a.to_dict() for a in self.alternatives]},
            "themes": [theme.to_dict() for theme in self.themes],
            "needs_review": self.needs_review,
        }


@dataclass(frozen=True)
class ReviewThresholds:
    """Below these probabilities a prediction is flagged ``needs_review`` (chosen on cross-validation)."""

    sector: float
    theme: float

    def flags(self, sector: np.ndarray, themes: np.ndarray) -> np.ndarray:
        """One flag per row of the sector and theme probabilities: its best sector or best theme is under
        its threshold."""
        sector_best = sector.max(axis=1) if sector.size else np.zeros(len(sector))
        best_theme = themes.max(axis=1) if themes.size else np.zeros(len(themes))
        return (sector_best < self.sector) | (best_theme < self.theme)


@dataclass
class ComplaintClassifier:
    """Fitted sector and themes models over a shared, fitted feature transformer.

    ``sector_model`` has ``predict_proba`` over ``sector_labels``; ``themes_model`` has ``predict_proba``
    over ``theme_labels`` and ``thresholds_`` (one per theme). ``card`` is the model card it was saved with.
    """

    features: Any
    sector_model: Any
    themes_model: Any
    sector_labels: list[str]
    theme_labels: list[str]
    review: ReviewThresholds
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """The model version written into every output, e.g. ``complaints-1+3f2a9c1b``."""
        return str(self.card.get("model_version", "unversioned"))

    def __post_init__(self) -> None:
        self._fast_features = compile_features(self.features)
        self._fast_sector = compile_probabilities(self.sector_model)
        themes_inner = getattr(self.themes_model, "estimator_", None)
        self._fast_themes = compile_probabilities(themes_inner) if themes_inner is not None else None

    def probabilities(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Sector probabilities (n, sectors) and theme probabilities (n, themes) for ``texts``.

        Uses the plain form of the features and the compact linear form of the models where they have one
        (the same numbers, without scikit-learn's per-call checks), scikit-learn's own methods otherwise.
        """
        if self._fast_features is not None:
            features = self._fast_features.rows(list(texts))
        else:
            features = self.features.transform(list(texts))
        return (
            self._probabilities_of(self._fast_sector, self.sector_model, features),
            self._probabilities_of(self._fast_themes, self.themes_model, features),
        )

    @staticmethod
    def _probabilities_of(
        compiled: LinearProbabilities | None, estimator: Any, features: FeatureRows | Any
    ) -> np.ndarray:
        """``estimator``'s probabilities, through its compact form when it has one (which reads
        ``FeatureRows`` directly); scikit-learn's estimators are given the sparse matrix."""
        if compiled is not None:
            return compiled.predict_proba(features)
        matrix = features.matrix if isinstance(features, FeatureRows) else features
        return np.asarray(estimator.predict_proba(matrix))

    def decide(self, sector: np.ndarray, themes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """From probabilities: the sector index per row, the 0/1 theme matrix, and the needs-review flags."""
        sector_index = np.argmax(sector, axis=1)
        chosen = apply_thresholds(themes, np.asarray(self.themes_model.thresholds_), fallback=True)
        return sector_index, chosen, self.review.flags(sector, themes)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One Prediction per text, themes ordered by probability; empty input gives an empty list."""
        if not texts:
            return []
        sector, themes = self.probabilities(texts)
        _, chosen, needs_review = self.decide(sector, themes)
        predictions = []
        for row in range(len(texts)):
            order = np.argsort(-sector[row], kind="stable")
            ranked = [
                LabelScore(self.sector_labels[i], float(sector[row, i])) for i in order[: ALTERNATIVES + 1]
            ]
            theme_indices = np.flatnonzero(chosen[row])
            theme_scores = sorted(
                (LabelScore(self.theme_labels[i], float(themes[row, i])) for i in theme_indices),
                key=lambda score: -score.probability,
            )
            predictions.append(
                Prediction(
                    sector=ranked[0],
                    alternatives=ranked[1:],
                    themes=theme_scores,
                    needs_review=bool(needs_review[row]),
                )
            )
        return predictions
