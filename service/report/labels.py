"""Label order and descriptions from the taxonomy of the configured model (the one ``casework batch`` uses)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.store import ModelLoadError, read_card
from models.taxonomy import Label, Taxonomy, TaxonomyError
from service.settings import Settings

NOT_IN_TAXONOMY = "(not in the model's taxonomy)"


def configured_taxonomy(settings: Settings) -> Taxonomy | None:
    """The taxonomy in the model card under ``settings.model_dir``; None when there is no readable one."""
    try:
        return Taxonomy.from_dict(read_card(settings.model_dir)["taxonomy"])
    except (ModelLoadError, KeyError, TaxonomyError):
        return None


@dataclass(frozen=True)
class LabelSet:
    """The sector or theme labels of a taxonomy, in declared order, with what each covers."""

    descriptions: dict[str, str]

    @classmethod
    def of(cls, labels: Iterable[Label]) -> LabelSet:
        """The set of ``labels`` in their order (empty without a taxonomy)."""
        return cls({label.id: label.description for label in labels})

    def order(self, ids: Iterable[str]) -> list[str]:
        """The distinct ``ids`` in taxonomy order, then those the taxonomy lacks, alphabetically."""
        present = set(ids)
        return [label for label in self.descriptions if label in present] + sorted(
            present - self.descriptions.keys()
        )

    def describe(self, label: str) -> str:
        """What ``label`` covers; a note when the taxonomy lacks it; "" when there is no taxonomy."""
        if not self.descriptions:
            return ""
        return self.descriptions.get(label, NOT_IN_TAXONOMY)


@dataclass(frozen=True)
class Labels:
    """Sectors and themes of the taxonomy a report describes its counts with."""

    sectors: LabelSet
    themes: LabelSet
    taxonomy: str | None

    @classmethod
    def of(cls, taxonomy: Taxonomy | None) -> Labels:
        """The labels of ``taxonomy``; without one, ids are ordered alphabetically and not described."""
        if taxonomy is None:
            return cls(LabelSet({}), LabelSet({}), None)
        return cls(
            LabelSet.of(taxonomy.sectors),
            LabelSet.of(taxonomy.themes),
            f"{taxonomy.name} version {taxonomy.version}",
        )
