"""Casework NLP service: HTTP API, redaction engine, CLI."""
