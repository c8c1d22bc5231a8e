"""``python -m spasmcare``."""

from spasmcare.cli import main

main()
