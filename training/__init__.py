"""Training: load labelled complaints, compare candidate pipelines, fit, evaluate and write model artefacts."""
