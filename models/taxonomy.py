"""The label set a model predicts: sectors (exactly one per complaint) and themes (one or more)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class TaxonomyError(ValueError):
    """A taxonomy file is malformed: the message says where."""


@dataclass(frozen=True)
class Label:
    """One label: a stable id that clients store, and what it covers."""

    id: str
    description: str


@dataclass(frozen=True)
class Taxonomy:
    """Sector and theme labels, in their declared order."""

    name: str
    version: str
    sectors: tuple[Label, ...]
    themes: tuple[Label, ...]

    @property
    def sector_ids(self) -> list[str]:
        """Sector ids in declared order."""
        return [label.id for label in self.sectors]

    @property
    def theme_ids(self) -> list[str]:
        """Theme ids in declared order."""
        return [label.id for label in self.themes]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Taxonomy:
        """Build a taxonomy from its JSON form, raising TaxonomyError on missing, empty or repeated ids."""
        if not isinstance(raw, dict):
            raise TaxonomyError("a taxonomy is a JSON object with 'sectors' and 'themes'")
        groups: dict[str, tuple[Label, ...]] = {}
        for group in ("sectors", "themes"):
            entries = raw.get(group)
            if not isinstance(entries, list) or not entries:
                raise TaxonomyError(f"'{group}' must be a non-empty list")
            labels = []
            for position, entry in enumerate(entries):
                label_id = entry.get("id") if isinstance(entry, dict) else None
                if not isinstance(label_id, str) or not label_id.strip():
                    raise TaxonomyError(f"{group}[{position}] has no 'id'")
                labels.append(Label(label_id.strip(), str(entry.get("description", ""))))
            ids = [label.id for label in labels]
            if len(set(ids)) != len(ids):
                raise TaxonomyError(f"'{group}' repeats an id")
            groups[group] = tuple(labels)
        return cls(
            name=str(raw.get("name", "custom")),
            version=str(raw.get("version", "1")),
            sectors=groups["sectors"],
            themes=groups["themes"],
        )

    @classmethod
    def load(cls, path: Path) -> Taxonomy:
        """Read a taxonomy JSON file; TaxonomyError if it is unreadable or malformed."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise TaxonomyError(f"cannot read taxonomy {path}: {error.__class__.__name__}") from error
        return cls.from_dict(raw)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, the inverse of from_dict."""
        return {
            "name": self.name,
            "version": self.version,
            "sectors": [{"id": label.id, "description": label.description} for label in self.sectors],
            "themes": [{"id": label.id, "description": label.description} for label in self.themes],
        }
