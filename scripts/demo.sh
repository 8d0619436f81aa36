#!/usr/bin/env bash
# Sets up, builds, and runs the main job: ingest the annotated sample corpus
# (examples/corpus) and trace where the claims about North Korea come from.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
DB="${KG_DB:-$(mktemp -d)/kg.db}"
build/cli/kg ingest --db "$DB" examples/corpus
echo
echo "== Where do the claims about Pyongyang come from? (kg claims Pyongyang)"
build/cli/kg claims --db "$DB" Pyongyang
echo
build/cli/kg stats --db "$DB" | head -5
echo "store: $DB"
