#!/usr/bin/env bash
# The three reference queries of ../shared/bench (point lookup, 2-pattern join,
# source/cites* path) on the generated corpora, through kg's public API
# (query_bench), through `kg query`, and against SQLite with three covering
# indexes on the same triples, in one run. Checks every row count against the
# generator's expected counts and prints one table of medians and ratios,
# with load times, peak RSS and sizes on disk of both, and the time serdi
# takes to parse the same file (a floor for any loader).
#
#   bench/query_bench.sh [TRIPLES...]        (default: 1000000 10000000)
#
# Environment:
#   KG_BENCH_DATA  data directory (default /tmp/kg-bench): claims_N.nt, kg_N.db,
#                  sqlite_N.db and their *.load timing files; stores present
#                  there are reused (delete them, or FRESH=1, to measure the
#                  loads again)
#   FRESH          1: reload both stores even if present
#   KG_SKIP_SETUP  1: do not run scripts/setup.sh (packages already there)
#   SQLITE_MAX     largest corpus also loaded into SQLite (default 10000000;
#                  SQLite needs ~460 bytes per triple on disk, 46 GB at 100M)
#   KG_BUILD_DIR   build directory holding cli/kg and bench/query_bench
#                  (default build; the two targets are built if missing)
#   REPS           timed runs per query in process (default 20)
#   CLI_REPS       timed runs per query as a whole process (default 10; fewer,
#                  at least 3, when they would take more than CLI_BUDGET_S=60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
SIZES=("$@")
[[ ${#SIZES[@]} -eq 0 ]] && SIZES=(1000000 10000000)
DATA="${KG_BENCH_DATA:-/tmp/kg-bench}"
BUILD_DIR="${KG_BUILD_DIR:-build}"
REPS="${REPS:-20}"
CLI_REPS="${CLI_REPS:-10}"
CLI_BUDGET_S="${CLI_BUDGET_S:-60}"
FRESH="${FRESH:-0}"
SQLITE_MAX="${SQLITE_MAX:-10000000}"
SHARED="$REPO/../shared/bench"
GEN="$SHARED/gen_nt.py"
QUERIES="$SHARED/queries.py"
UTIL="$REPO/bench/query_bench_util.py"
KG="$BUILD_DIR/cli/kg"
QB="$BUILD_DIR/bench/query_bench"

die() { echo "query_bench.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ -f "$GEN" && -f "$QUERIES" ]] || die "missing $GEN or $QUERIES"
if ! command -v sqlite3 >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  log "installing sqlite3 (apt)..."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sqlite3 >/dev/null \
    || die "sqlite3 is not installed and apt-get install sqlite3 failed; install it and rerun"
fi
python3 -c 'import sqlite3' 2>/dev/null || die "python3 has no sqlite3 module"
if ! command -v serdi >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  log "installing serdi (apt)..."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq serdi >/dev/null \
    || die "serdi is not installed and apt-get install serdi failed; install it and rerun"
fi
# A fresh machine: the project's packages, then an up-to-date build.
[[ "${KG_SKIP_SETUP:-0}" == 1 ]] || scripts/setup.sh >&2
log "building kg and query_bench in $BUILD_DIR..."
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  GENERATOR=(); command -v ninja >/dev/null && GENERATOR=(-G Ninja)
  cmake -S . -B "$BUILD_DIR" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j "$(nproc)" --target kg query_bench >/dev/null
mkdir -p "$DATA"
RESULTS="$DATA/query_bench.results.tsv"
LOADS="$DATA/query_bench.loads.tsv"
: > "$RESULTS"
: > "$LOADS"
FAILED=0

# "rows=R median_ms=M p90_ms=P ..." -> value of key $2 on line q$1
field() { awk -v q="q$1" -v k="$2" '$1 == q { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }'; }

for N in "${SIZES[@]}"; do
  NT="$DATA/claims_$N.nt"
  PARAMS="$NT.params.json"
  STORE="$DATA/kg_$N.db"
  SQLDB="$DATA/sqlite_$N.db"

  # ---- corpus
  if [[ -f "$NT" && ! -f "$PARAMS" && -f "$(readlink -f "$NT").params.json" ]]; then
    PARAMS="$(readlink -f "$NT").params.json"  # a symlinked corpus keeps its params beside it
  fi
  if [[ ! -f "$NT" || ! -f "$PARAMS" ]]; then
    log "generating $NT (seed 42)..."
    python3 "$GEN" "$N" --seed 42 --out "$NT" 2>/dev/null
    PARAMS="$NT.params.json"
  fi
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(p["n_triples"] != int(sys.argv[2]) or p["seed"] != 42)' \
    "$PARAMS" "$N" || die "$PARAMS is not for $N triples, seed 42"

  # ---- serdi: parsing alone, output discarded
  if [[ "$FRESH" == 1 || ! -f "$NT.serdi" ]]; then
    log "serdi parsing $NT..."
    /usr/bin/time -f "%e %M" -o "$NT.serdi" serdi -i ntriples -o ntriples "$NT" > /dev/null
  fi
  read -r SERDI_S _ < "$NT.serdi"

  # ---- kg store (imported into *.partial, renamed when complete)
  [[ "$FRESH" == 1 ]] && rm -rf "$STORE" "$STORE.load"
  if [[ ! -d "$STORE" ]]; then
    [[ -e "$STORE.partial" ]] && die "$STORE.partial exists: an import is running or was interrupted (remove it to reimport)"
    log "kg import of $N triples into $STORE (bulk path)..."
    /usr/bin/time -f "%e %M" -o "$STORE.load.partial" "$KG" import --db "$STORE.partial" --format nt "$NT" \
      > "$DATA/kg_$N.import.log" 2>&1 || { cat "$DATA/kg_$N.import.log" >&2; die "kg import failed"; }
    mv "$STORE.load.partial" "$STORE.load"
    mv "$STORE.partial" "$STORE"
  else
    log "reusing $STORE"
  fi
  KG_LOAD_S="-"; KG_RSS_KB="-"
  [[ -f "$STORE.load" ]] && read -r KG_LOAD_S KG_RSS_KB < "$STORE.load"

  # ---- SQLite database
  SQLITE=1; [[ "$N" -gt "$SQLITE_MAX" ]] && SQLITE=0
  SQL_LOAD_S="-"; SQL_RSS_KB="-"
  if [[ $SQLITE == 1 ]]; then
    [[ "$FRESH" == 1 ]] && rm -f "$SQLDB" "$SQLDB.load"
    if [[ ! -f "$SQLDB" || ! -f "$SQLDB.load" ]]; then
      log "loading $N triples into SQLite $SQLDB..."
      rm -f "$SQLDB" "$SQLDB.partial"
      /usr/bin/time -f "%M" -o "$SQLDB.rss" python3 "$UTIL" load-sqlite "$NT" "$SQLDB.partial" > "$SQLDB.load.partial"
      echo "$(cat "$SQLDB.load.partial") $(cat "$SQLDB.rss")" > "$SQLDB.load"
      rm -f "$SQLDB.load.partial" "$SQLDB.rss"
      mv "$SQLDB.partial" "$SQLDB"
    else
      log "reusing $SQLDB"
    fi
    read -r SQL_LOAD_S SQL_RSS_KB < "$SQLDB.load"
  else
    log "SQLite skipped at $N triples (SQLITE_MAX=$SQLITE_MAX)"
  fi

  # ---- the statements: SQL and constants from queries.py, ours translated
  PARAMS="$PARAMS" python3 "$QUERIES" "$N" > "$DATA/queries_$N.json"
  mapfile -t ST < <(python3 "$UTIL" statements "$DATA/queries_$N.json")
  KGQ=("${ST[@]:0:3}"); SQLQ=("${ST[@]:3:3}"); EXP=("${ST[@]:6:3}")
  for i in 0 1 2; do log "q$((i + 1)) kg:  ${KGQ[$i]}"; log "q$((i + 1)) sql: ${SQLQ[$i]}"; done

  # ---- measurements, one at a time
  log "kg API (query_bench, $REPS runs)..."
  API_OUT=$("$QB" --db "$STORE" --reps "$REPS" --warmup 1 "${KGQ[@]}")
  echo "$API_OUT" >&2
  SQL_OUT=""
  if [[ $SQLITE == 1 ]]; then
    log "SQLite in process (python3 sqlite3 $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'), $REPS runs)..."
    SQL_OUT=$(python3 "$UTIL" sqlite-time "$SQLDB" "$REPS" 1 "${SQLQ[@]}")
    echo "$SQL_OUT" >&2
  fi
  for i in 0 1 2; do
    q=$((i + 1))
    log "q$q: kg query and sqlite3 as processes ($CLI_REPS runs each)..."
    # The json run that counts the rows is also the CLI's discarded warm-up run.
    CLI_ROWS=$("$KG" query --db "$STORE" --format json --timeout 300 "${KGQ[$i]}" | python3 "$UTIL" count-json)
    CLI_T=$(python3 "$UTIL" proc-time "$CLI_REPS" 0 "$CLI_BUDGET_S" "$KG" query --db "$STORE" --format csv --timeout 300 "${KGQ[$i]}")
    SQLCLI_T="- - -"
    [[ $SQLITE == 1 ]] && SQLCLI_T=$(python3 "$UTIL" proc-time "$CLI_REPS" 1 "$CLI_BUDGET_S" sqlite3 -readonly "$SQLDB" "${SQLQ[$i]}")
    API_ROWS=$(echo "$API_OUT" | field "$q" rows)
    SQL_ROWS="-"
    [[ $SQLITE == 1 ]] && SQL_ROWS=$(echo "$SQL_OUT" | field "$q" rows)
    PAIRS=("kg API:$API_ROWS" "kg CLI:$CLI_ROWS")
    [[ $SQLITE == 1 ]] && PAIRS+=("SQLite:$SQL_ROWS")
    for pair in "${PAIRS[@]}"; do
      if [[ "${pair#*:}" != "${EXP[$i]}" ]]; then
        echo "!!!!! MISMATCH: N=$N q$q ${pair%%:*} returned ${pair#*:} rows, expected ${EXP[$i]}" >&2
        echo "!!!!!   kg:  ${KGQ[$i]}" >&2
        echo "!!!!!   sql: ${SQLQ[$i]}" >&2
        FAILED=1
      fi
    done
    read -r CLI_MED _ CLI_RUNS <<< "$CLI_T"
    read -r SQLCLI_MED _ SQLCLI_RUNS <<< "$SQLCLI_T"
    printf "%s\tq%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$N" "$q" \
      "$API_ROWS" "$CLI_ROWS" "$SQL_ROWS" "${EXP[$i]}" \
      "$(echo "$API_OUT" | field "$q" median_ms)" "$(echo "$API_OUT" | field "$q" p90_ms)" \
      "$CLI_MED" "$CLI_RUNS" \
      "$(echo "$SQL_OUT" | field "$q" median_ms || true)" "$(echo "$SQL_OUT" | field "$q" p90_ms || true)" \
      "$SQLCLI_MED" "$SQLCLI_RUNS" >> "$RESULTS"
  done
  OPEN_MS=$(echo "$API_OUT" | awk '$1 == "open" { sub("ms=", "", $2); print $2 }')
  SQL_MB="-"; [[ $SQLITE == 1 ]] && SQL_MB=$(du -sm "$SQLDB" | cut -f1)
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$N" "$KG_LOAD_S" "$KG_RSS_KB" "$(du -sm "$STORE" | cut -f1)" \
    "$OPEN_MS" "$SQL_LOAD_S" "$SQL_RSS_KB" "$SQL_MB" "$SERDI_S" >> "$LOADS"
done

python3 "$UTIL" report "$RESULTS" "$LOADS"
echo
echo "kg: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet 2>/dev/null || echo '+dirty'), $KG; $(sqlite3 --version | cut -d' ' -f1) (CLI), $(nproc) cores"
if [[ $FAILED -ne 0 ]]; then
  echo "MISMATCH: some row counts differ from the expected counts (see above)" >&2
  exit 1
fi
