#!/usr/bin/env bash
# Sets up, builds, and runs the main job: ingest the annotated sample corpus
# (examples/corpus) and answer provenance questions with the query language:
# where does the figure "half of Russia's munitions" come from, and how many
# independent sources say Iran supplied Shahed drones?
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
DB="${KG_DB:-$(mktemp -d)/kg.db}"
build/cli/kg ingest --db "$DB" examples/corpus
echo
echo "== Where does the figure \"half of Russia's munitions\" come from?"
build/cli/kg query --db "$DB" --format tree "TRACE \"half of Russia's munitions\";"
echo
echo "== How many independent sources say Iran supplied Shahed drones?"
build/cli/kg query --db "$DB" "SOURCES OF (Iran supplied ShahedDrone);"
echo
build/cli/kg stats --db "$DB" | head -5
echo "store: $DB"
