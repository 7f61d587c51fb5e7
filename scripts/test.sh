#!/usr/bin/env bash
# Install everything, then lint, type-check and run the full test suite on the real WordNet
# (and a real Neo4j, an Oxigraph SPARQL server and uvicorn, all started by the tests on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install.sh dev,wikidata,parquet,link,api,neo4j,gpu,ray

# Neo4j Community 5.26 LTS for the Neo4j tests: its jars from Maven Central (cached in ~/.m2)
if ! command -v mvn >/dev/null; then
  echo "installing Maven (Debian: maven)" >&2
  sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends maven >/dev/null
fi
mvn -q -B -f tools/neo4j-server/pom.xml package

ruff check .
mypy
python -m pytest "$@"
