#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang, ASan and UBSan, builds
# their seed corpora from the repository's fixtures, and runs each fuzzer in
# turn for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: annotated ntriples turtle brat query sparql codec factcheck shacl
#
# Each fuzzer runs in libFuzzer's fork mode, so it goes on past a crash and
# collects every crashing input; the script fails if any was found.
# Environment: KG_FUZZ_BUILD_DIR (default build-fuzz), KG_FUZZ_CRASH_DIR
# (default /tmp/fuzz-crashes, emptied per target at the start of its run; a
# crash, leak, timeout or OOM input is saved as <dir>/<target>/crash-..., a
# broken cross-module contract as <dir>/<target>/violations/..., each
# sanitizer report with its stack as <dir>/<target>/reports/...; copy what
# you fix into fuzz/regressions/<target>/), KG_FUZZ_JOBS (parallel build jobs),
# KG_FUZZ_STRICT=1 (stop at the first broken contract too), KG_FUZZ_FORKS
# (fuzzing processes per target, default 1; 2 uses both cores of a quiet
# machine for the long runs), KG_FUZZ_MAX_LEN (largest input in bytes,
# default 65536; smaller inputs run many times faster through the
# store-writing harnesses).
# Seeds go to fuzz/corpus/<target>/ (generated, not committed); what a run
# discovers goes to <build>/corpus/<target>/ and is reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then TARGETS=(annotated ntriples turtle brat query sparql codec factcheck shacl); fi
BUILD_DIR="${KG_FUZZ_BUILD_DIR:-build-fuzz}"
FORKS="${KG_FUZZ_FORKS:-1}"
[[ "$FORKS" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: KG_FUZZ_FORKS must be 1 or more" >&2; exit 2; }
CRASH_DIR="${KG_FUZZ_CRASH_DIR:-/tmp/fuzz-crashes}"

# clang and its libFuzzer runtime, on top of what scripts/setup.sh installs.
scripts/setup.sh
missing=()
for p in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "fuzz: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKG_FUZZ=ON -DKG_SANITIZE=ON -DKG_BUILD_TESTS=OFF -DKG_BUILD_BENCH=OFF
fi
FUZZERS=()
for t in "${TARGETS[@]}"; do FUZZERS+=("${t}_fuzzer"); done
cmake --build "$BUILD_DIR" -j "${KG_FUZZ_JOBS:-$(nproc)}" --target "${FUZZERS[@]}"

# Seed corpora.
SEEDS=fuzz/corpus
rm -rf "$SEEDS"
python3 fuzz/make_seeds.py "$ROOT" "$SEEDS"
mkdir -p "$SEEDS/codec"
KG_FUZZ_WRITE_SEEDS="$SEEDS/codec" "$BUILD_DIR/fuzz/codec_fuzzer" -runs=0 >/dev/null 2>&1

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0}"
status=0
for t in "${TARGETS[@]}"; do
  work="$BUILD_DIR/corpus/$t"
  rm -rf "$CRASH_DIR/$t"  # what this run finds, not an earlier run's
  # Each sanitizer report goes to its own file, with its whole stack: in fork
  # mode libFuzzer keeps only the ERROR lines of a job's output.
  reports="$CRASH_DIR/$t/reports"
  mkdir -p "$work" "$CRASH_DIR/$t/violations" "$reports"
  echo "== $t: ${SECONDS_PER_TARGET}s"
  if ! KG_FUZZ_VIOLATIONS="$CRASH_DIR/$t/violations" \
      ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/asan" \
      UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/ubsan" \
      "$BUILD_DIR/fuzz/${t}_fuzzer" \
      -fork="$FORKS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 -max_len="${KG_FUZZ_MAX_LEN:-65536}" \
      -artifact_prefix="$CRASH_DIR/$t/" "$work" "$SEEDS/$t" 2>"$BUILD_DIR/fuzz-$t.log"; then
    status=1
    echo "$t: FAILED; see $BUILD_DIR/fuzz-$t.log and $CRASH_DIR/$t/"
  fi
  # Fork mode: keep going past crashes, timeouts and OOMs; the last status
  # line counts executions and oom/timeout/crash, the artifacts are in
  # $CRASH_DIR/$t/.
  grep -E '^#[0-9]+: ' "$BUILD_DIR/fuzz-$t.log" | tail -1 || true
  grep -E '^kg fuzz' "$BUILD_DIR/fuzz-$t.log" | sort | uniq -c || true
  if ls "$reports"/* >/dev/null 2>&1; then
    echo "$t: sanitizer reports, one file each, in $reports:"
    grep -h -E 'ERROR: |SUMMARY: ' "$reports"/* | sed -E 's/==[0-9]+==//' | sort | uniq -c || true
  fi
  if ls "$CRASH_DIR/$t"/{crash,leak,timeout,oom}-* >/dev/null 2>&1; then status=1; fi
done
exit $status
