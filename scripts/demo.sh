#!/usr/bin/env bash
# Sets up, builds, and runs the main job: store a document with claims and
# their evidence, read it back, and check the store.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
DB="${KG_DB:-$(mktemp -d)/kg.db}"
build/cli/kg demo --db "$DB"
echo
build/cli/kg stats --db "$DB"
