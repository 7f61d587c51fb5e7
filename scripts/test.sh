#!/usr/bin/env bash
# Install everything, then lint, type-check and run the full test suite on the real WordNet
# (and a real Neo4j, an Oxigraph SPARQL server, uvicorn and headless Chromium, all on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install.sh dev,wikidata,parquet,link,api,neo4j,gpu,ray

# Debian's Chromium for the web UI's browser tests (Playwright drives it; no browser download)
[ -x /usr/bin/chromium ] || apt_install Chromium chromium

# Neo4j Community 5.26 LTS for the Neo4j tests: its jars from Maven Central (cached in ~/.m2)
command -v mvn >/dev/null || apt_install Maven maven
mvn -q -B -f tools/neo4j-server/pom.xml package

ruff check .
mypy
# two workers, a test file each at a time (the real servers a file starts stay its own)
# (on a cold machine one embeds WordNet's glosses while the other tests; the vector cache's lock
# keeps the second from embedding them again when it needs them: it waits and reads)
python -m pytest -n 2 --dist loadfile "$@"
