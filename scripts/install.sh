#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine: WordNet 3.0 from Debian's packages,
# and the project in a virtual environment cached outside the clone ($TAXONOMY_VENV).
# Source it (`. scripts/install.sh [extras]`) so that the environment stays active.
set -euo pipefail

if [ ! -f /usr/share/wordnet/data.noun ] || [ ! -f /usr/share/wordnet/index.sense ]; then
  echo "installing WordNet 3.0 (Debian: wordnet-base, wordnet-sense-index)" >&2
  sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends \
    wordnet-base wordnet-sense-index >/dev/null
fi

TAXONOMY_VENV="${TAXONOMY_VENV:-$HOME/.cache/taxonomy/venv}"
if [ ! -x "$TAXONOMY_VENV/bin/python" ]; then
  python3 -m venv "$TAXONOMY_VENV"
fi
# shellcheck disable=SC1091
. "$TAXONOMY_VENV/bin/activate"
extras="${1:-}"
python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
