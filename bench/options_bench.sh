#!/usr/bin/env bash
# Measures the RocksDB file-layout and cache options of
# schemas/storage-format.md on a generated corpus: for each layout variant,
# bulk-loads the same N-Triples file into a new store (query_bench --import)
# and reports load time, size on disk, open time and the medians of the three
# reference queries; then, on the default layout, the same queries with
# block caches of several sizes. One table at the end.
#
#   bench/options_bench.sh [TRIPLES]          (default 1000000)
#
# Environment: KG_BENCH_DATA (default /tmp/kg-bench; the corpus is shared
# with query_bench.sh), KG_BUILD_DIR (default build), REPS (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
DATA="${KG_BENCH_DATA:-/tmp/kg-bench}"
BUILD_DIR="${KG_BUILD_DIR:-build}"
REPS="${REPS:-20}"
SHARED="$PWD/../shared/bench"
QB="$BUILD_DIR/bench/query_bench"
NT="$DATA/claims_$N.nt"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ -f "$SHARED/gen_nt.py" ]] || { echo "options_bench.sh: missing $SHARED/gen_nt.py" >&2; exit 1; }
if [[ ! -x "$QB" ]]; then
  [[ -f "$BUILD_DIR/CMakeCache.txt" ]] || cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target query_bench >/dev/null
fi
mkdir -p "$DATA"
if [[ ! -f "$NT" || ! -f "$NT.params.json" ]]; then
  log "generating $NT (seed 42)..."
  python3 "$SHARED/gen_nt.py" "$N" --seed 42 --out "$NT" 2>/dev/null
fi
PARAMS="$NT.params.json" python3 "$SHARED/queries.py" "$N" > "$DATA/queries_$N.json"
mapfile -t ST < <(python3 bench/query_bench_util.py statements "$DATA/queries_$N.json")
KGQ=("${ST[@]:0:3}"); EXP=("${ST[@]:6:3}")

OUT="$DATA/options_bench_$N.tsv"
printf "variant\tload_s\tdisk_mb\topen_ms\tq1_ms\tq2_ms\tq3_ms\n" > "$OUT"
# "q1  rows=R  median_ms=M ..." -> M, checking R against the expected count
parse() {
  local out="$1" name="$2" line q rows med
  local load disk open
  load=$(awk '$1 == "import" { sub("s=", "", $2); print $2 }' <<< "$out")
  disk=$(awk '$1 == "import" { sub("disk_mb=", "", $3); print $3 }' <<< "$out")
  open=$(awk '$1 == "open" { sub("ms=", "", $2); print $2 }' <<< "$out")
  local meds=()
  for q in 1 2 3; do
    line=$(grep "^q$q " <<< "$out")
    rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<< "$line")
    med=$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<< "$line")
    if [[ "$rows" != "${EXP[$((q - 1))]}" ]]; then
      echo "options_bench.sh: $name q$q returned $rows rows, expected ${EXP[$((q - 1))]}" >&2
      exit 1
    fi
    meds+=("$med")
  done
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$name" "${load:--}" "${disk:--}" "$open" "${meds[@]}" >> "$OUT"
}

VARIANTS=(
  "default (lz4 above zstd at the bottom but dict, 4 KiB blocks, bloom 10):"
  "no compression:--compression none"
  "lz4 everywhere:--compression lz4"
  "zstd everywhere:--compression zstd"
  "default, 16 KiB blocks:--block-kb 16"
  "zstd everywhere, 16 KiB blocks:--compression zstd --block-kb 16"
  "no bloom filters:--bloom-bits 0"
)
for v in "${VARIANTS[@]}"; do
  name="${v%%:*}"; flags="${v#*:}"
  store="$DATA/options_$N.db"
  rm -rf "$store" "$store".bulk-*
  log "$name: loading $N triples..."
  # shellcheck disable=SC2086
  out=$("$QB" --db "$store" --import "$NT" $flags --reps "$REPS" "${KGQ[@]}")
  parse "$out" "$name"
  if [[ "$name" == default* ]]; then
    mv "$store" "$store.default"
  else
    rm -rf "$store"
  fi
done
for mb in 0 8 64 256 1024; do
  log "block cache $mb MiB..."
  out=$("$QB" --db "$DATA/options_$N.db.default" --block-cache-mb "$mb" --reps "$REPS" "${KGQ[@]}")
  parse "$out" "default, block cache $mb MiB"
done
rm -rf "$DATA/options_$N.db.default"
echo
echo "$N triples, medians of $REPS runs (ms), $(nproc) cores; $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
column -t -s $'\t' "$OUT" 2>/dev/null || cat "$OUT"  # column: Debian package bsdextrautils
