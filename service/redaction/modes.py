"""The replacement modes a redaction can use, in a module light enough for the CLI to check options with."""

from __future__ import annotations

from typing import Literal, get_args

Mode = Literal["letters", "tag", "remove", "mask", "hash"]
MODES: tuple[str, ...] = get_args(Mode)
