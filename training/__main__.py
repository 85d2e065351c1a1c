"""``python -m training``: the same as ``casework train``."""

from training.cli import train_app

train_app()
