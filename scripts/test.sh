#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
cd "${KG_BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)" --timeout 600
