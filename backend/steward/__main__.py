"""Command line: ``python -m steward <command>`` (run from backend/)."""
from .cli import main

main()
