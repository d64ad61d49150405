"""``python -m swreader`` runs the command line."""

from swreader.cli import main

# Guarded: a process started with "spawn" (the index check's) imports the main module again.
if __name__ == "__main__":
    main()
