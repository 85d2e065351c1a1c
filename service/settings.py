"""All configuration in one object, read from ``CASEWORK_*`` environment variables and passed down."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.locations import DEFAULT_MODEL_DIR

SpacyModel = Literal["md", "sm"]


# prometheus_client's own environment variable: the directory where worker processes share their metrics.
SHARED_METRICS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


class Settings(BaseSettings):
    """Service, CLI and redaction settings. Every field can be set as ``CASEWORK_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    host: str = Field("127.0.0.1", description="interface casework serve binds")
    port: int = Field(8000, ge=1, le=65535, description="port casework serve listens on")
    workers: int = Field(1, ge=1, description="worker processes, forked once the models have loaded")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="JSON logs on stderr")
    model_dir: Path = Field(DEFAULT_MODEL_DIR, description="classifier directory (model card + skops file)")
    spacy_model: SpacyModel = Field(
        "md", description="en_core_web_md (better person recall) or en_core_web_sm"
    )
    api_keys: str = Field("", description="comma-separated keys; when set, requests need X-API-Key")
    max_body_bytes: int = Field(4_000_000, ge=1_000, description="larger request bodies get 413")
    max_text_chars: int = Field(1_000_000, ge=100, description="longer texts get 422 (batch rows: skipped)")
    max_batch: int = Field(256, ge=1, description="most texts in one /v1/classify request (422 above)")
    score_threshold: float = Field(0.4, ge=0.0, le=1.0, description="minimum detection score to redact")
    letters_start: str = Field("A", min_length=1, max_length=1, description="first letter given to a person")
    hash_key: SecretStr | None = Field(None, description="deployment secret for mode 'hash' (HMAC-SHA256)")
    allow_list_file: Path | None = Field(None, description="extra public bodies never redacted, one per line")
    deny_list_file: Path | None = Field(None, description="terms always redacted, one per line")
    reference_patterns_file: Path | None = Field(None, description="extra reference-number patterns (JSON)")
    cpu_threads: int | None = Field(
        None,
        ge=1,
        description="threads for model work per process (default: the cores shared among the workers)",
    )
    inline_classify_chars: int = Field(
        30_000,
        ge=0,
        description="classify batches of at most this many characters run on the event loop (about 10 ms; "
        "a thread hand-off costs more than a small batch); larger ones run in a thread",
    )
    classify_batch_texts: int = Field(
        32, ge=1, description="most texts classified in one call when concurrent requests are batched"
    )
    classify_batch_wait_ms: float = Field(
        0.5, ge=0, le=50, description="under load, how long a classify batch waits for more requests to join"
    )

    @field_validator("letters_start")
    @classmethod
    def _upper_letter(cls, value: str) -> str:
        if not value.isalpha() or not value.isascii():
            raise ValueError("letters_start must be a letter A-Z")
        return value.upper()

    @property
    def model_threads(self) -> int:
        """Threads each process runs model work in: ``cpu_threads`` when set, else its share of the cores.

        More threads than cores only make them queue for Python's interpreter lock, which lengthens the
        slowest requests without adding throughput.
        """
        return self.cpu_threads or max(1, (os.cpu_count() or 1) // self.workers)

    @property
    def api_key_set(self) -> frozenset[str]:
        """The configured API keys (empty: no authentication)."""
        return frozenset(comma_separated(self.api_keys))


def comma_separated(value: str) -> tuple[str, ...]:
    """The non-empty items of a comma-separated list, stripped of white space, in order."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
