#!/usr/bin/env bash
# The three reference queries of ../shared/bench (point lookup, 2-pattern join,
# source/cites* path) on the generated corpora, through kg's public API
# (query_bench) and through `kg query`, and, in the same run on the same file,
# through the peers a user would pick instead: SQLite with three covering
# indexes over a strings table and over a dictionary-encoded one, DuckDB and
# Oxigraph; plus the time serdi takes to parse the file (a floor for any
# loader). Checks every row count against the generator's expected counts
# and prints one table (load time, peak RSS of the load, size on disk, query
# medians) with every figure's ratio to kg's.
#
#   bench/query_bench.sh [TRIPLES...]        (default: 1000000 10000000)
#
# Environment:
#   KG_BENCH_DATA  data directory (default /tmp/kg-bench): claims_N.nt, kg_N.db,
#                  sqlite_N.db, sqlite_dict_N.db, duckdb_N.db and their *.load
#                  timing files; stores present there are reused (delete them,
#                  or FRESH=1, to measure the loads again)
#   FRESH          1: reload every store even if present
#   KG_SKIP_SETUP  1: do not run scripts/setup.sh (packages already there)
#   SQLITE_MAX     largest corpus also loaded into SQLite, both schemas (default
#                  10000000; the strings table needs ~460 bytes per triple on
#                  disk, 46 GB at 100M)
#   PEERS          peers besides kg, SQLite strings and serdi (default
#                  "sqlite-dict duckdb oxigraph"; empty: none). They run on
#                  Node.js (>= 20) with the npm packages of bench/peers, which
#                  this script installs there with `npm ci` when missing
#   OXIGRAPH_MAX   largest corpus loaded into Oxigraph, which holds it in
#                  memory (default 10000000)
#   KG_BUILD_DIR   build directory holding cli/kg and bench/query_bench
#                  (default build; the two targets are built if missing)
#   REPS           timed runs per query in process (default 20)
#   CLI_REPS       timed runs per query as a whole process (default 10; fewer,
#                  at least 3, when they would take more than CLI_BUDGET_S=60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
BENCH_SCRIPT=query_bench.sh
SIZES=("$@")
[[ ${#SIZES[@]} -eq 0 ]] && SIZES=(1000000 10000000)
DATA="${KG_BENCH_DATA:-/tmp/kg-bench}"
BUILD_DIR="${KG_BUILD_DIR:-build}"
REPS="${REPS:-20}"
CLI_REPS="${CLI_REPS:-10}"
CLI_BUDGET_S="${CLI_BUDGET_S:-60}"
FRESH="${FRESH:-0}"
SQLITE_MAX="${SQLITE_MAX:-10000000}"
PEERS="${PEERS-sqlite-dict duckdb oxigraph}"
OXIGRAPH_MAX="${OXIGRAPH_MAX:-10000000}"
UTIL="$REPO/bench/query_bench_util.py"
KG="$BUILD_DIR/cli/kg"
QB="$BUILD_DIR/bench/query_bench"
source bench/bench_lib.sh

for peer in $PEERS; do
  case "$peer" in
    sqlite-dict | duckdb | oxigraph) ;;
    *) die "unknown peer '$peer' in PEERS (known: sqlite-dict duckdb oxigraph)" ;;
  esac
done
has_peer() { [[ " $PEERS " == *" $1 "* ]]; }
command -v sqlite3 >/dev/null || apt_install sqlite3 sqlite3
python3 -c 'import sqlite3' 2>/dev/null || die "python3 has no sqlite3 module"
command -v serdi >/dev/null || apt_install serdi serdi
mkdir -p "$DATA"
# A fresh machine: the project's packages, an up-to-date build, the peers' packages.
bench_build kg query_bench
if [[ -n "${PEERS// /}" ]]; then bench_node_peers; fi
RESULTS="$DATA/query_bench.results.tsv"  # triples, system, key, value
: > "$RESULTS"
FAILED=0

# "WORD k1=v1 k2=v2 ..." lines on stdin -> value of key $2 on the line whose
# first word is $1; field Q KEY reads query Q's line ("q1  rows=R  median_ms=M ...").
line_field() { awk -v w="$1" -v k="$2" '$1 == w { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }'; }
field() { line_field "q$1" "$2"; }

# rec SYSTEM KEY VALUE: one figure of size $N for the report.
rec() { printf "%s\t%s\t%s\t%s\n" "$N" "$1" "$2" "$3" >> "$RESULTS"; }

# check_rows SYSTEM Q ROWS: records the row count of query Q (1-3) and flags
# a difference from the generator's expected count.
check_rows() {
  rec "$1" "q$2_rows" "$3"
  if [[ "$3" != "${EXP[$(($2 - 1))]}" ]]; then
    echo "!!!!! MISMATCH: N=$N q$2 $1 returned $3 rows, expected ${EXP[$(($2 - 1))]}" >&2
    FAILED=1
  fi
}

# rec_queries SYSTEM OUTPUT: medians and row counts from query_bench-format lines.
rec_queries() {
  local q
  for q in 1 2 3; do
    rec "$1" "q${q}_ms" "$(echo "$2" | field "$q" median_ms)"
    check_rows "$1" "$q" "$(echo "$2" | field "$q" rows)"
  done
}

# load_store NAME DB CMD...: unless DB and DB.load exist (or FRESH=1), runs
# CMD... DB.partial, which loads claims_N.nt into DB.partial and prints
# "SECONDS TRIPLES"; checks TRIPLES = N, keeps "SECONDS PEAK_RSS_KB" in
# DB.load and renames DB.partial to DB.
load_store() {
  local name=$1 db=$2 out secs triples
  shift 2
  [[ "$FRESH" == 1 ]] && rm -rf "$db" "$db.load"
  if [[ -e "$db" && -f "$db.load" ]]; then
    log "reusing $db"
    return
  fi
  log "loading $N triples into $name $db..."
  rm -rf "$db" "$db.partial" "$db.partial.wal"
  out=$(/usr/bin/time -f "%M" -o "$db.rss" "$@" "$db.partial") || die "loading $name failed"
  read -r secs triples <<< "$out"
  [[ "$triples" == "$N" ]] || die "$name holds $triples triples after loading $NT, expected $N"
  echo "$secs $(tail -n 1 "$db.rss")" > "$db.load"
  rm -f "$db.rss"
  mv "$db.partial" "$db"
}

for N in "${SIZES[@]}"; do
  SQLDB="$DATA/sqlite_$N.db"
  DICTDB="$DATA/sqlite_dict_$N.db"
  DUCKDB="$DATA/duckdb_$N.db"

  # ---- corpus (NT, PARAMS)
  bench_corpus "$N"

  # ---- serdi: parsing alone, output discarded
  if [[ "$FRESH" == 1 || ! -f "$NT.serdi" ]]; then
    log "serdi parsing $NT..."
    /usr/bin/time -f "%e %M" -o "$NT.serdi" serdi -i ntriples -o ntriples "$NT" > /dev/null
  fi
  read -r SERDI_S SERDI_RSS_KB < "$NT.serdi"
  rec serdi load_s "$SERDI_S"
  rec serdi rss_kb "$SERDI_RSS_KB"

  # ---- kg store (STORE; imported into *.partial, renamed when complete)
  bench_kg_store "$N"
  if [[ -n "$KG_LOAD_S" ]]; then
    rec kg-api load_s "$KG_LOAD_S"
    rec kg-api rss_kb "$KG_RSS_KB"
  fi
  rec kg-api disk_mb "$(du -sm "$STORE" | cut -f1)"

  # ---- SQLite, strings table
  SQLITE=1; [[ "$N" -gt "$SQLITE_MAX" ]] && SQLITE=0
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
    rec sqlite load_s "$SQL_LOAD_S"
    rec sqlite rss_kb "$SQL_RSS_KB"
    rec sqlite disk_mb "$(du -sm "$SQLDB" | cut -f1)"
  else
    log "SQLite skipped at $N triples (SQLITE_MAX=$SQLITE_MAX)"
    rec sqlite skipped "N > SQLITE_MAX=$SQLITE_MAX"
  fi

  # ---- peers' stores: SQLite dictionary, DuckDB (Oxigraph loads when it runs)
  DICT=0; has_peer sqlite-dict && DICT=$SQLITE
  if [[ $DICT == 1 ]]; then
    load_store "SQLite (dictionary)" "$DICTDB" node "$PEERS_DIR/sqlite_dict.mjs" load "$NT"
    read -r S K < "$DICTDB.load"
    rec sqlite-dict load_s "$S"; rec sqlite-dict rss_kb "$K"
    rec sqlite-dict disk_mb "$(du -sm "$DICTDB" | cut -f1)"
  elif has_peer sqlite-dict; then
    rec sqlite-dict skipped "N > SQLITE_MAX=$SQLITE_MAX"
  fi
  if has_peer duckdb; then
    load_store DuckDB "$DUCKDB" node "$PEERS_DIR/duckdb.mjs" load "$NT"
    read -r S K < "$DUCKDB.load"
    rec duckdb load_s "$S"; rec duckdb rss_kb "$K"
    rec duckdb disk_mb "$(du -sm "$DUCKDB" | cut -f1)"
  fi

  # ---- the statements: SQL, SPARQL and constants from queries.py, ours translated
  PARAMS="$PARAMS" python3 "$QUERIES" "$N" > "$DATA/queries_$N.json"
  mapfile -t ST < <(python3 "$UTIL" statements "$DATA/queries_$N.json")
  KGQ=("${ST[@]:0:3}"); SQLQ=("${ST[@]:3:3}"); EXP=("${ST[@]:6:3}"); DICTQ=("${ST[@]:9:3}"); SPARQLQ=("${ST[@]:12:3}")
  for i in 0 1 2; do
    log "q$((i + 1)) kg:     ${KGQ[$i]}"
    log "q$((i + 1)) sql:    ${SQLQ[$i]}"
    has_peer sqlite-dict && log "q$((i + 1)) dict:   ${DICTQ[$i]}"
    has_peer oxigraph && log "q$((i + 1)) sparql: ${SPARQLQ[$i]}"
    rec gen "q$((i + 1))_rows" "${EXP[$i]}"
  done

  # ---- measurements in process, one system at a time
  log "kg API (query_bench, $REPS runs)..."
  API_OUT=$("$QB" --db "$STORE" --reps "$REPS" --warmup 1 "${KGQ[@]}")
  echo "$API_OUT" >&2
  rec_queries kg-api "$API_OUT"
  rec kg-api open_ms "$(echo "$API_OUT" | line_field open ms)"
  if [[ $SQLITE == 1 ]]; then
    log "SQLite in process (python3 sqlite3 $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'), $REPS runs)..."
    SQL_OUT=$(python3 "$UTIL" sqlite-time "$SQLDB" "$REPS" 1 "${SQLQ[@]}")
    echo "$SQL_OUT" >&2
    rec_queries sqlite "$SQL_OUT"
  fi
  if [[ $DICT == 1 ]]; then
    log "SQLite dictionary in process (better-sqlite3, SQLite $(node "$PEERS_DIR/sqlite_dict.mjs" version), $REPS runs)..."
    OUT=$(node "$PEERS_DIR/sqlite_dict.mjs" time "$DICTDB" "$REPS" 1 "${DICTQ[@]}")
    echo "$OUT" >&2
    rec_queries sqlite-dict "$OUT"
  fi
  if has_peer duckdb; then
    log "DuckDB in process (node-api, DuckDB $(node "$PEERS_DIR/duckdb.mjs" version), $REPS runs)..."
    OUT=$(node "$PEERS_DIR/duckdb.mjs" time "$DUCKDB" "$REPS" 1 "${SQLQ[@]}")
    echo "$OUT" >&2
    rec_queries duckdb "$OUT"
  fi
  if has_peer oxigraph && [[ "$N" -gt "$OXIGRAPH_MAX" ]]; then
    log "Oxigraph skipped at $N triples: it holds the store in memory (OXIGRAPH_MAX=$OXIGRAPH_MAX)"
    rec oxigraph skipped "an in-memory store; N > OXIGRAPH_MAX=$OXIGRAPH_MAX"
  elif has_peer oxigraph; then
    log "Oxigraph: loading $NT into an in-memory store, then $REPS runs per query..."
    if OUT=$(node "$PEERS_DIR/oxigraph.mjs" run "$NT" "$REPS" 1 "${SPARQLQ[@]}" 2> "$DATA/oxigraph.err"); then
      cat "$DATA/oxigraph.err" >&2
      echo "$OUT" >&2
      rec oxigraph load_s "$(echo "$OUT" | line_field load seconds)"
      rec oxigraph rss_kb "$(echo "$OUT" | line_field load rss_kb)"
      rec_queries oxigraph "$OUT"
    elif [[ $? == 3 ]]; then  # out of memory: a limit of the system, not a wrong answer
      cat "$DATA/oxigraph.err" >&2
      rec oxigraph skipped "$(tail -n 1 "$DATA/oxigraph.err" | sed 's/^oxigraph.mjs: //')"
    else
      cat "$DATA/oxigraph.err" >&2
      echo "!!!!! Oxigraph failed at N=$N (see above)" >&2
      rec oxigraph skipped "FAILED (see stderr)"
      FAILED=1
    fi
  fi

  # ---- whole processes, one query at a time
  RUNS_KG=(); RUNS_SQL=(); RUNS_DICT=()
  for i in 0 1 2; do
    q=$((i + 1))
    log "q$q: kg query and sqlite3 as processes ($CLI_REPS runs each)..."
    # The json run that counts the rows is also the CLI's discarded warm-up run.
    ROWS=$("$KG" query --db "$STORE" --format json --timeout 300 "${KGQ[$i]}" | python3 "$UTIL" count-json)
    check_rows kg-cli "$q" "$ROWS"
    T=$(python3 "$UTIL" proc-time "$CLI_REPS" 0 "$CLI_BUDGET_S" "$KG" query --db "$STORE" --format csv --timeout 300 "${KGQ[$i]}")
    read -r MED _ RUNS <<< "$T"
    rec kg-cli "q${q}_ms" "$MED"; RUNS_KG+=("$RUNS")
    if [[ $SQLITE == 1 ]]; then
      T=$(python3 "$UTIL" proc-time "$CLI_REPS" 1 "$CLI_BUDGET_S" sqlite3 -readonly "$SQLDB" "${SQLQ[$i]}")
      read -r MED _ RUNS <<< "$T"
      rec sqlite-cli "q${q}_ms" "$MED"; RUNS_SQL+=("$RUNS")
    fi
    if [[ $DICT == 1 ]]; then
      T=$(python3 "$UTIL" proc-time "$CLI_REPS" 1 "$CLI_BUDGET_S" sqlite3 -readonly "$DICTDB" "${DICTQ[$i]}")
      read -r MED _ RUNS <<< "$T"
      rec sqlite-dict-cli "q${q}_ms" "$MED"; RUNS_DICT+=("$RUNS")
    fi
  done
  rec kg-cli runs "$(IFS=/; echo "${RUNS_KG[*]}")"
  [[ $SQLITE == 1 ]] && rec sqlite-cli runs "$(IFS=/; echo "${RUNS_SQL[*]}")"
  [[ $DICT == 1 ]] && rec sqlite-dict-cli runs "$(IFS=/; echo "${RUNS_DICT[*]}")"
done

python3 "$UTIL" report "$RESULTS"
echo
VERSIONS="$(sqlite3 --version | cut -d' ' -f1) (CLI), $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)') (python3)"
if [[ -n "${PEERS// /}" ]]; then
  VERSIONS+=", node $(node --version)"
  has_peer sqlite-dict && VERSIONS+=", better-sqlite3 $(node -p "require('$PEERS_DIR/node_modules/better-sqlite3/package.json').version") (SQLite $(node "$PEERS_DIR/sqlite_dict.mjs" version))"
  has_peer duckdb && VERSIONS+=", DuckDB $(node "$PEERS_DIR/duckdb.mjs" version)"
  has_peer oxigraph && VERSIONS+=", Oxigraph $(node "$PEERS_DIR/oxigraph.mjs" version)"
fi
echo "kg: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet 2>/dev/null || echo '+dirty'), $KG; SQLite $VERSIONS; serdi $(serdi -v 2>&1 | head -n 1 | awk '{print $2}'); $(nproc) cores"
if [[ $FAILED -ne 0 ]]; then
  echo "MISMATCH or FAILED: some row counts differ from the expected counts, or a peer failed (see above)" >&2
  exit 1
fi
