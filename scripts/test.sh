#!/usr/bin/env bash
# Install everything, then lint, type-check and run the full test suite on the real WordNet
# (and a real Neo4j, an Oxigraph SPARQL server, uvicorn and headless Chromium, all on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
# The models first: on a cold machine embedding WordNet's glosses is the longest step, so it
# starts now (scripts/warm_vectors.py; nothing to do when the vector cache is warm) and runs
# while the rest installs and the tests begin. A test that needs the vectors before they are
# all there waits for them through the cache's lock, and computes what is still missing.
. scripts/install.sh link
warm_log="$(mktemp -t taxonomy-warm-vectors.XXXXXX.log)"
python scripts/warm_vectors.py >"$warm_log" 2>&1 &
warming=$!
trap 'kill "$warming" 2>/dev/null || true' EXIT
. scripts/install.sh dev,wikidata,parquet,link,api,neo4j,gpu,ray

# Debian's Chromium for the web UI's browser tests (Playwright drives it; no browser download)
[ -x /usr/bin/chromium ] || apt_install Chromium chromium

# Neo4j Community 5.26 LTS for the Neo4j tests: its jars from Maven Central (cached in ~/.m2)
command -v mvn >/dev/null || apt_install Maven maven
mvn -q -B -f tools/neo4j-server/pom.xml package

ruff check .
mypy
# two workers, a test file each at a time (the real servers a file starts stay its own)
python -m pytest -n 2 --dist loadfile "$@"
wait "$warming" || { echo "warning: warming the vector cache failed (the tests embedded instead):" >&2; tail -5 "$warm_log" >&2; }
