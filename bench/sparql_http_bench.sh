#!/usr/bin/env bash
# The three reference queries of ../shared/bench in SPARQL (queries.py, the
# same text for every engine) over HTTP, in one run on one machine with one
# client: `kg serve`, Virtuoso's SPARQL endpoint and Oxigraph behind a small
# Node.js server (peers/oxigraph_server.mjs), all on 127.0.0.1. Checks every
# answer's row count against the generator's expected counts and prints one
# table: load time and the q1-q3 medians and p90s, with ratios to kg.
#
#   bench/sparql_http_bench.sh [TRIPLES...]      (default: 1000000)
#
# For each size N: the corpus DATA/claims_N.nt and the kg store DATA/kg_N.db
# as query_bench.sh prepares them (bench_lib.sh: generated / imported if
# missing, reused otherwise); `kg serve --port 0`; Oxigraph loading the file
# into memory; Virtuoso (Debian's virtuoso-opensource-7-bin, installed with
# apt if missing) started on free ports with a new database in a temporary
# directory under DATA and a virtuoso.ini written here, the file bulk-loaded
# with ld_dir / rdf_loader_run / checkpoint through isql-vt. Then
# sparql_http_client.py sends the queries to the three endpoints (see its
# doc: keep-alive connections, SPARQL JSON results, rounds alternating the
# engines). Every server started is stopped when the size is done, or when
# the script exits for any reason.
#
# Environment:
#   KG_BENCH_DATA  data directory (default /tmp/kg-bench), shared with query_bench.sh
#   KG_BUILD_DIR   build directory holding cli/kg (default build; built if out of date)
#   KG_SKIP_SETUP  1: do not run scripts/setup.sh
#   FRESH          1: import the kg store again even if present
#   ENGINES        engines besides kg (default "virtuoso oxigraph")
#   OXIGRAPH_MAX   largest corpus loaded into Oxigraph (default 10000000; it
#                  holds the store in WebAssembly's 4 GiB of memory)
#   VIRTUOSO_BUFFERS  Virtuoso's NumberOfBuffers, 8 KiB pages (default 340000,
#                  2.7 GB: the whole 10M database stays in memory)
#   REPS           least timed runs per query and engine (default 20)
#   MAX_REPS       most timed runs (default 500)
#   BUDGET_S       after REPS rounds, more rounds until this many seconds per
#                  query have passed (default 5), so fast queries run more
#   WARMUP         untimed requests per query and engine first (default 3)
#   BLOCK          timed requests in a row to one engine, after one untimed
#                  request, before the next engine's turn (default 10); 1:
#                  strict alternation, every request after the other
#                  engines' (caches cold), no untimed requests
#   QUIET_LOAD     before querying, wait (at most QUIET_WAIT_S=300 s) until the
#                  1-minute load average is below this (default 1.5; the loads
#                  just done raise it too); 0: do not wait
#   FORMATS        result formats asked for, each measured in turn (default
#                  "json xml": SPARQL JSON, and SPARQL XML, the default of
#                  rdflib and SPARQLWrapper; also csv, tsv)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
BENCH_SCRIPT=sparql_http_bench.sh
SIZES=("$@")
[[ ${#SIZES[@]} -eq 0 ]] && SIZES=(1000000)
DATA="${KG_BENCH_DATA:-/tmp/kg-bench}"
BUILD_DIR="${KG_BUILD_DIR:-build}"
FRESH="${FRESH:-0}"
ENGINES="${ENGINES-virtuoso oxigraph}"
OXIGRAPH_MAX="${OXIGRAPH_MAX:-10000000}"
VIRTUOSO_BUFFERS="${VIRTUOSO_BUFFERS:-340000}"
REPS="${REPS:-20}"
MAX_REPS="${MAX_REPS:-500}"
BUDGET_S="${BUDGET_S:-5}"
WARMUP="${WARMUP:-3}"
BLOCK="${BLOCK:-10}"
FORMATS="${FORMATS:-json xml}"
QUIET_LOAD="${QUIET_LOAD:-1.5}"
QUIET_WAIT_S="${QUIET_WAIT_S:-300}"
KG="$BUILD_DIR/cli/kg"
CLIENT="$REPO/bench/sparql_http_client.py"
source bench/bench_lib.sh

for fmt in $FORMATS; do
  case "$fmt" in
    json | xml | csv | tsv) ;;
    *) die "unknown format '$fmt' in FORMATS (known: json xml csv tsv)" ;;
  esac
done
for engine in $ENGINES; do
  case "$engine" in
    virtuoso | oxigraph) ;;
    *) die "unknown engine '$engine' in ENGINES (known: virtuoso oxigraph)" ;;
  esac
done
has_engine() { [[ " $ENGINES " == *" $1 "* ]]; }
mkdir -p "$DATA"
bench_build kg
if has_engine virtuoso && ! { command -v virtuoso-t && command -v isql-vt; } >/dev/null; then
  apt_install Virtuoso virtuoso-opensource-7-bin
fi
if has_engine oxigraph; then bench_node_peers; fi
RESULTS="$DATA/sparql_http_bench.results.tsv"  # triples, engine, key, value
: > "$RESULTS"
FAILED=0

# ---- servers: each one started is stopped on the way out, whatever happens
PIDS=()
VDIR=""
stop_servers() {
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
  [[ -n "$VDIR" ]] && rm -rf "$VDIR"
  VDIR=""
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for WHAT FILE PATTERN SECONDS PID: until FILE has a line matching
# PATTERN; fails if PID ends first or SECONDS pass.
wait_for() {
  local what=$1 file=$2 pattern=$3 secs=$4 pid=$5 i
  for ((i = 0; i < secs * 10; i++)); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$file" >&2; die "$what exited before it was ready"; }
    sleep 0.1
  done
  die "$what was not ready after $secs s (see $file)"
}

# wait_quiet: until the 1-minute load average is below QUIET_LOAD, at most
# QUIET_WAIT_S seconds (timings taken while other work runs are noisy).
wait_quiet() {
  local i
  for ((i = 0; i < QUIET_WAIT_S; i += 5)); do
    awk -v max="$QUIET_LOAD" '{ exit !($1 < max || max <= 0) }' /proc/loadavg && return 0
    ((i % 60 == 0)) && log "waiting for the load average ($(cut -d' ' -f1 /proc/loadavg)) to fall below $QUIET_LOAD..."
    sleep 5
  done
  log "the load average is still $(cut -d' ' -f1 /proc/loadavg) after $QUIET_WAIT_S s: measuring anyway"
}

# rec ENGINE KEY VALUE: one figure of size $N for the report.
rec() { printf "%s\t%s\t%s\t%s\n" "$N" "$1" "$2" "$3" >> "$RESULTS"; }

# "WORD k1=v1 k2=v2 ..." -> value of key $2 on the line whose first word is $1.
line_field() { awk -v w="$1" -v k="$2" '$1 == w { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }'; }

# isql SQL: runs SQL in Virtuoso through isql-vt, values only; fails on an error.
isql() {
  local out
  out=$(isql-vt "127.0.0.1:$V_SQL_PORT" dba dba VERBOSE=OFF BANNER=OFF PROMPT=OFF ECHO=OFF ERRORS=stdout \
        exec="$1") || die "isql-vt failed: $1"
  if grep -q '^\*\*\* Error' <<< "$out"; then
    echo "$out" >&2
    die "Virtuoso: $1"
  fi
  sed '/^$/d' <<< "$out"
}

# start_virtuoso NT: a new Virtuoso database in VDIR, NT bulk-loaded into the
# graph urn:kg-bench; sets V_URL, V_LOAD_S, V_TRIPLES.
start_virtuoso() {
  local nt dir base start
  nt=$(readlink -f "$1")
  dir=$(dirname "$nt"); base=$(basename "$nt")
  VDIR=$(mktemp -d "$DATA/virtuoso_$N.XXXXXX")
  V_SQL_PORT=$(free_port); V_HTTP_PORT=$(free_port)
  # Settings from the virtuoso.ini Debian's package ships and Virtuoso's
  # performance-tuning guide: buffers for the whole database, no automatic
  # checkpoint during the measurements, no cap on the rows or time of a
  # SPARQL query.
  cat > "$VDIR/virtuoso.ini" << EOF
[Database]
DatabaseFile       = $VDIR/virtuoso.db
ErrorLogFile       = $VDIR/virtuoso.log
LockFile           = $VDIR/virtuoso.lck
TransactionFile    = $VDIR/virtuoso.trx
xa_persistent_file = $VDIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $VDIR/virtuoso-temp.db
TransactionFile    = $VDIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:$V_SQL_PORT
ServerThreads      = 20
CheckpointInterval = 0
NumberOfBuffers    = $VIRTUOSO_BUFFERS
MaxDirtyBuffers    = $((VIRTUOSO_BUFFERS * 3 / 4))
DirsAllowed        = ., $VDIR, $dir

[HTTPServer]
ServerPort          = 127.0.0.1:$V_HTTP_PORT
ServerRoot          = $VDIR
ServerThreads       = 10
MaxClientConnections = 10
KeepAliveTimeout    = 60
MaxKeepAlives       = 10

[SPARQL]
ResultSetMaxRows           = 100000000
MaxQueryExecutionTime      = 0
MaxQueryCostEstimationTime = 0
EOF
  log "starting Virtuoso (SQL 127.0.0.1:$V_SQL_PORT, HTTP $V_HTTP_PORT, database in $VDIR)..."
  virtuoso-t +foreground +configfile "$VDIR/virtuoso.ini" > "$VDIR/stdout.log" 2>&1 &
  PIDS+=($!)
  wait_for Virtuoso "$VDIR/virtuoso.log" "Server online at" 300 "${PIDS[-1]}"
  log "Virtuoso: bulk-loading $N triples (ld_dir, rdf_loader_run, checkpoint)..."
  start=$(date +%s.%N)
  isql "ld_dir('$dir', '$base', 'urn:kg-bench'); rdf_loader_run(); checkpoint;" > /dev/null
  V_LOAD_S=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
  [[ $(isql "select count(*) from DB.DBA.LOAD_LIST where ll_state <> 2 or ll_error is not null;") == 0 ]] \
    || die "Virtuoso's bulk load failed: $(isql "select ll_file, ll_error from DB.DBA.LOAD_LIST;")"
  V_TRIPLES=$(isql "sparql select count(*) from <urn:kg-bench> where { ?s ?p ?o };")
  V_URL="http://127.0.0.1:$V_HTTP_PORT/sparql"
}

VIRTUOSO_VERSION=""
if has_engine virtuoso; then
  VIRTUOSO_VERSION=$( { virtuoso-t -? 2>&1 || true; } | sed -n 's/^Version \([0-9.]*\).*/\1/p' | head -n 1)
fi
OXIGRAPH_VERSION=""
if has_engine oxigraph; then OXIGRAPH_VERSION=$(node "$PEERS_DIR/oxigraph.mjs" version); fi

for N in "${SIZES[@]}"; do
  bench_corpus "$N"
  bench_kg_store "$N"
  PARAMS="$PARAMS" python3 "$QUERIES" "$N" > "$DATA/queries_$N.json"
  mapfile -t Q < <(python3 -c 'import json, sys; q = json.load(open(sys.argv[1]))
for k in ("q1", "q2", "q3"): print(q["sparql"][k])
print(",".join(str(q["expected"][k]) for k in ("q1", "q2", "q3")))' "$DATA/queries_$N.json")
  EXPECT=${Q[3]}
  for i in 0 1 2; do log "q$((i + 1)): ${Q[$i]}"; done
  IFS=, read -r E1 E2 E3 <<< "$EXPECT"
  rec expected q1 "$E1"; rec expected q2 "$E2"; rec expected q3 "$E3"
  ENDPOINTS=()

  # ---- kg serve (the store was imported beforehand: its load is kg import's)
  rec kg label "kg serve"
  if [[ -n "$KG_LOAD_S" ]]; then rec kg load_s "$KG_LOAD_S"; else rec kg load_note "(store given)"; fi
  : > "$DATA/kg_serve_$N.access.log"  # one line per request, with the server's own ms
  "$KG" serve --db "$STORE" --host 127.0.0.1 --port 0 --access-log "$DATA/kg_serve_$N.access.log" \
    > "$DATA/kg_serve_$N.out" 2> "$DATA/kg_serve_$N.err" &
  PIDS+=($!)
  wait_for "kg serve" "$DATA/kg_serve_$N.out" "listening on" 120 "${PIDS[-1]}"
  KG_URL="$(sed -n 's|.*listening on \(http://[^ ]*/\).*|\1|p' "$DATA/kg_serve_$N.out" | head -n 1)sparql"
  log "kg serve: $KG_URL ($STORE)"
  ENDPOINTS+=("kg=$KG_URL")

  # ---- Oxigraph, loaded first (alone), then Virtuoso: loads are timed one at a time
  if has_engine oxigraph && [[ "$N" -gt "$OXIGRAPH_MAX" ]]; then
    rec oxigraph label "Oxigraph $OXIGRAPH_VERSION"
    rec oxigraph skipped "an in-memory store; N > OXIGRAPH_MAX=$OXIGRAPH_MAX"
  elif has_engine oxigraph; then
    log "Oxigraph: loading $NT into memory..."
    node "$PEERS_DIR/oxigraph_server.mjs" "$NT" 0 > "$DATA/oxigraph_server_$N.out" 2> "$DATA/oxigraph_server_$N.err" &
    PIDS+=($!)
    wait_for "Oxigraph's server" "$DATA/oxigraph_server_$N.out" "^listening" 1800 "${PIDS[-1]}"
    OX=$(cat "$DATA/oxigraph_server_$N.out")
    rec oxigraph label "Oxigraph $OXIGRAPH_VERSION"
    rec oxigraph load_s "$(line_field listening load_s <<< "$OX")"
    OX_TRIPLES=$(line_field listening triples <<< "$OX")
    log "Oxigraph: $OX_TRIPLES distinct triples in $(line_field listening load_s <<< "$OX") s"
    ENDPOINTS+=("oxigraph=$(line_field listening url <<< "$OX")")
  fi
  if has_engine virtuoso; then
    start_virtuoso "$NT"
    log "Virtuoso: $V_TRIPLES distinct triples in $V_LOAD_S s; $V_URL"
    if [[ -n "${OX_TRIPLES:-}" && "$V_TRIPLES" != "$OX_TRIPLES" ]]; then
      echo "!!!!! MISMATCH: Virtuoso holds $V_TRIPLES triples, Oxigraph $OX_TRIPLES" >&2
      FAILED=1
    fi
    rec virtuoso label "Virtuoso $VIRTUOSO_VERSION"
    rec virtuoso load_s "$V_LOAD_S"
    ENDPOINTS+=("virtuoso=$V_URL")
  fi

  # ---- the queries, all engines in one client, one results format at a time
  for fmt in $FORMATS; do
    wait_quiet
    log "load average: $(cut -d' ' -f1-3 /proc/loadavg); querying, $fmt results (at least $REPS runs per query and engine)..."
    ARGS=()
    for e in "${ENDPOINTS[@]}"; do ARGS+=(--endpoint "${e%%=*}.$fmt=${e#*=}"); done
    OUT=$(python3 "$CLIENT" run "${ARGS[@]}" --format "$fmt" --expect "$EXPECT" --reps "$REPS" \
          --max-reps "$MAX_REPS" --budget-s "$BUDGET_S" --warmup "$WARMUP" --block "$BLOCK" "${Q[0]}" "${Q[1]}" "${Q[2]}") || FAILED=1
    echo "$OUT" >&2
    while read -r engine q rest; do
      for kv in $rest; do rec "$engine" "${q}_${kv%%=*}" "${kv#*=}"; done
    done <<< "$OUT"
  done
  rec load loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
  stop_servers
done

python3 "$CLIENT" report "$RESULTS"
echo
echo "kg: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet 2>/dev/null || echo '+dirty'), $KG serve;" \
     "node $(node --version 2>/dev/null || echo '-'); load average after the queries: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
if [[ $FAILED -ne 0 ]]; then
  echo "MISMATCH or FAILED: some answers differ from the expected counts, or an engine failed (see above)" >&2
  exit 1
fi
