"""``python -m swreader`` runs the command line."""

from swreader.cli import main

main()
