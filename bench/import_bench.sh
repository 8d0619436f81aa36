#!/usr/bin/env bash
# Import throughput of `kg import` on the shared generated N-Triples corpus,
# against serdi parsing the same file, in one run; with --turtle also the
# same corpus as Turtle (converted once with serdi -o turtle): serdi and
# kg's parse rates, and kg import of the .ttl against the .nt.
#   bench/import_bench.sh [--turtle] [TRIPLES=1000000] [REPS=3]
# Prints seconds (median of REPS), triples/s and peak RSS for each tool.
set -euo pipefail
cd "$(dirname "$0")/.."
TURTLE=0
if [[ "${1:-}" == "--turtle" ]]; then TURTLE=1; shift; fi
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
tools="serdi kg"
if [[ $TURTLE == 1 ]]; then
  TTL="$DATA/claims_$N.ttl"
  [[ -f "$TTL" ]] || serdi -i ntriples -o turtle "$FILE" > "$TTL"
  PREP="" measure "$DATA/serdi-ttl.times" serdi -i turtle -o ntriples "$TTL"
  PREP="rm -rf '$DATA/db-ttl'" measure "$DATA/kg-ttl.times" "$KG" import --db "$DATA/db-ttl" --format ttl "$TTL"
  tools="serdi kg serdi-ttl kg-ttl"
fi

printf "%-38s %10s %14s %12s\n" "tool ($N triples, median of $REPS)" "seconds" "triples/s" "peak RSS MB"
for tool in $tools; do
  s=$(awk '{print $1}' "$DATA/$tool.times" | median)
  m=$(awk '{print $2}' "$DATA/$tool.times" | median)
  case $tool in
    serdi) label="serdi .nt (parse + re-serialise)" ;;
    kg) label="kg import .nt (all indexes, stats)" ;;
    serdi-ttl) label="serdi .ttl (parse + re-serialise)" ;;
    kg-ttl) label="kg import .ttl (all indexes, stats)" ;;
  esac
  printf "%-38s %10.2f %14.0f %12.0f\n" "$label" "$s" "$(echo "$N / $s" | bc -l)" "$(echo "$m / 1024" | bc -l)"
done
echo "kg store on disk: $(du -sh "$DATA/db" | cut -f1)"
if [[ $TURTLE == 1 ]]; then
  cmp <("$KG" export --db "$DATA/db" --format nq | sed "s/claims_$N//g") \
      <("$KG" export --db "$DATA/db-ttl" --format nq | sed "s/claims_$N//g") >/dev/null \
    && echo "the .ttl and .nt stores export the same N-Quads" \
    || echo "WARNING: the .ttl and .nt stores differ"
  PARSE="${KG_PARSE_BIN:-build/bench/parse_bench}"
  [[ -x "$PARSE" ]] && KG_PARSE_NT="$FILE" KG_PARSE_TTL="$TTL" "$PARSE" 2>/dev/null | grep -E "median|Benchmark"
fi
