"""``python -m spasmcare``."""

from spasmcare.cli import run

run()
