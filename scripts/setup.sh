#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine.
# Non-interactive and idempotent: packages already present are not fetched again.
# With --tests, also what only the tests use (headless Chromium for the HTML
# report test).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3
  librocksdb-dev libabsl-dev libre2-dev libcereal-dev
  libbenchmark-dev libgtest-dev libgmock-dev libcli11-dev
  zlib1g-dev libbz2-dev libreadline-dev
  libcpp-httplib-dev nlohmann-json3-dev  # `kg serve` (server/); JSON of ClaimReview and FEVER (ingest/)
  libssl-dev  # SPARQL's hash functions (query/sparql_expr.cc)
  libjemalloc-dev  # the allocator of kg and the benchmarks (CMakeLists.txt, KG_JEMALLOC)
  graphviz  # `kg query --format dot | dot -Tsvg` in the README tour
)
if [[ "${1:-}" == "--tests" ]]; then
  PACKAGES+=(chromium)  # tests/cli/report_browser_test.py renders `kg trace --format html`
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# apt's own output only when it fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_quietly() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: failed: $*" >&2
    exit 1
  fi
}
run_quietly $SUDO apt-get update -qq
run_quietly $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${#missing[@]} package(s)"
