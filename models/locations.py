"""Where the shipped model lives: kept apart from ``models.store`` so settings need not import skops."""

from __future__ import annotations

from pathlib import Path

DEFAULT_MODEL_DIR = Path(__file__).parent / "complaints" / "1"
