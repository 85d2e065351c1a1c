"""Prometheus metrics: request counts and latencies, documents and entities processed. Never any text."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from service.settings import SHARED_METRICS_VARIABLE


class Metrics:
    """The service's metrics, in their own registry (one per app, so tests stay independent).

    When the service runs in several worker processes, each writes its values to files in the directory
    named by ``PROMETHEUS_MULTIPROC_DIR`` and every worker's exposition adds up all of them, so a scrape
    answered by any worker counts the requests of all.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "casework_requests_total",
            "HTTP requests",
            ["endpoint", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "casework_request_seconds",
            "HTTP request latency",
            ["endpoint"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.documents = Counter(
            "casework_documents_total", "Documents processed", ["task"], registry=self.registry
        )
        self.entities = Counter(
            "casework_entities_total", "Personal-data entities replaced", ["type"], registry=self.registry
        )

    def exposition(self) -> bytes:
        """The metrics in Prometheus's text format: of all worker processes when they share a directory."""
        if SHARED_METRICS_VARIABLE not in os.environ:
            return generate_latest(self.registry)
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return generate_latest(combined)
