#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine: WordNet 3.0 from Debian's packages,
# and the project in a virtual environment cached outside the clone ($TAXONOMY_VENV).
# Source it (`. scripts/install.sh [extras]`) so that the environment stays active.
set -euo pipefail

# apt_install WHY PACKAGE...: Debian packages, as root or through sudo
apt_install() {
  echo "installing $1 (Debian: ${*:2})" >&2
  local sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${@:2}" >/dev/null
}

if [ ! -f /usr/share/wordnet/data.noun ] || [ ! -f /usr/share/wordnet/index.sense ]; then
  apt_install "WordNet 3.0" wordnet-base wordnet-sense-index
fi

TAXONOMY_VENV="${TAXONOMY_VENV:-$HOME/.cache/taxonomy/venv}"
if [ ! -x "$TAXONOMY_VENV/bin/python" ]; then
  python3 -m venv "$TAXONOMY_VENV"
fi
# shellcheck disable=SC1091
. "$TAXONOMY_VENV/bin/activate"
extras="${1:-}"
python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
