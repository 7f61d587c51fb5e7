"""``python -m taxonomy`` runs the CLI."""

from taxonomy.cli import run

run()
