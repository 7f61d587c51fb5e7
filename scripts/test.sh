#!/usr/bin/env bash
# Install everything, then lint, type-check and run the full test suite on the real WordNet.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install.sh dev,wikidata,parquet,link,api,neo4j

ruff check .
mypy
python -m pytest "$@"
