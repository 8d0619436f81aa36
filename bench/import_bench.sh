#!/usr/bin/env bash
# Import throughput of `kg import` on the shared generated N-Triples corpus,
# against serdi parsing the same file, in one run.
#   bench/import_bench.sh [TRIPLES=1000000] [REPS=3]
# Prints seconds (median of REPS), triples/s and peak RSS for each tool.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
REPS="${2:-3}"
DATA="${KG_BENCH_DATA:-/tmp/kg-bench}"
GEN="../shared/bench/gen_nt.py"
KG="${KG_BIN:-build/cli/kg}"
mkdir -p "$DATA"
FILE="$DATA/claims_$N.nt"
if [[ ! -f "$FILE" ]]; then
  echo "generating $FILE (seed 42)..."
  python3 "$GEN" "$N" --seed 42 --out "$FILE" >/dev/null 2>&1
fi
if ! command -v serdi >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq serdi >/dev/null
fi
[[ -x "$KG" ]] || scripts/build.sh >/dev/null

# run LABEL CMD... -> appends "seconds rss_kb" for each repetition
measure() {
  local out="$1"; shift
  : > "$out"
  for ((i = 0; i < REPS; i++)); do
    [[ -n "${PREP:-}" ]] && eval "$PREP"
    /usr/bin/time -f "%e %M" -o "$out.t" "$@" >/dev/null 2>"$out.err" || { cat "$out.err"; exit 1; }
    cat "$out.t" >> "$out"
  done
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

PREP="" measure "$DATA/serdi.times" serdi -i ntriples -o ntriples "$FILE"
PREP="rm -rf '$DATA/db'" measure "$DATA/kg.times" "$KG" import --db "$DATA/db" --format nt "$FILE"

printf "%-34s %10s %14s %12s\n" "tool ($N triples, median of $REPS)" "seconds" "triples/s" "peak RSS MB"
for tool in serdi kg; do
  s=$(awk '{print $1}' "$DATA/$tool.times" | median)
  m=$(awk '{print $2}' "$DATA/$tool.times" | median)
  label=$([[ $tool == serdi ]] && echo "serdi (parse + re-serialise)" || echo "kg import (all indexes, stats)")
  printf "%-34s %10.2f %14.0f %12.0f\n" "$label" "$s" "$(echo "$N / $s" | bc -l)" "$(echo "$m / 1024" | bc -l)"
done
echo "kg store on disk: $(du -sh "$DATA/db" | cut -f1)"
