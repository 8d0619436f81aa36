#!/usr/bin/env bash
# Sets up, builds, and runs the main job: ingest the annotated sample corpus
# (examples/corpus) and answer provenance questions with the query language:
# where does the figure "half of Russia's munitions" come from, and how many
# independent sources say Iran supplied Shahed drones?
# Builds only the kg binary (not the tests, fuzzers or benchmarks); a line
# per step, the tools' own output only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${KG_BUILD_DIR:-build}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
step() {
  local what=$1; shift
  local start=$SECONDS
  printf '%s ... ' "$what"
  if "$@" >"$log" 2>&1; then
    echo "ok ($((SECONDS - start)) s)"
  else
    echo "FAILED"
    cat "$log" >&2
    exit 1
  fi
}
step "installing packages (scripts/setup.sh)" scripts/setup.sh
configure() {
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    local generator=()
    if command -v ninja >/dev/null; then generator=(-G Ninja); fi
    cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
}
step "configuring the build ($BUILD_DIR)" configure
step "building kg" cmake --build "$BUILD_DIR" --target kg -j "$(nproc)"
kg="$BUILD_DIR/cli/kg"
DB="${KG_DB:-$(mktemp -d)/kg.db}"
echo
"$kg" ingest --db "$DB" examples/corpus
echo
echo "== Where does the figure \"half of Russia's munitions\" come from?"
"$kg" query --db "$DB" --format tree "TRACE \"half of Russia's munitions\";"
echo
echo "== How many independent sources say Iran supplied Shahed drones?"
"$kg" query --db "$DB" "SOURCES OF (Iran supplied ShahedDrone);"
echo
"$kg" stats --db "$DB" | head -5
echo "store: $DB"
