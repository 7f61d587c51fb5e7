#!/usr/bin/env bash
# Install, build the label system on the embedded default store, and show what it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install.sh

taxonomy build
set -x
taxonomy stats
taxonomy show dog
taxonomy show n02084071
taxonomy ancestors n02084071
taxonomy lca n02084071 n02121808
taxonomy labels imagenet21k 2167
taxonomy check --limit 3 || true
