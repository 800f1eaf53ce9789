"""``python -m chaowen`` runs the command line."""

from chaowen.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
