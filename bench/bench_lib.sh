# What bench/query_bench.sh and bench/sparql_http_bench.sh share, sourced by
# both: messages, apt installs, bringing kg up to date in the build directory,
# the peers' Node.js packages, and preparing a size's corpus and kg store in
# the data directory.
#
# The sourcing script sets, before calling these functions:
#   BENCH_SCRIPT  its own name, for messages
#   REPO          the repository root (the current directory)
#   DATA          the data directory ($KG_BENCH_DATA, default /tmp/kg-bench)
#   BUILD_DIR     the build directory ($KG_BUILD_DIR, default build)
#   FRESH         1: reload the stores even if present
#   KG            $BUILD_DIR/cli/kg

SHARED="$REPO/../shared/bench"
GEN="$SHARED/gen_nt.py"
QUERIES="$SHARED/queries.py"
PEERS_DIR="$REPO/bench/peers"

die() { echo "$BENCH_SCRIPT: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# apt_install WHAT PACKAGE...: installs with apt-get, through sudo when not root.
apt_install() {
  local what=$1 SUDO=""; shift
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  log "installing $what (apt)..."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null \
    || die "$what is not installed and apt-get install $* failed; install it and rerun"
}

# bench_build TARGET...: the project's packages (scripts/setup.sh, unless
# KG_SKIP_SETUP=1), then TARGET... built in $BUILD_DIR, configured as
# RelWithDebInfo (with jemalloc, the project's default) if it is new.
bench_build() {
  [[ -f "$GEN" && -f "$QUERIES" ]] || die "missing $GEN or $QUERIES"
  [[ "${KG_SKIP_SETUP:-0}" == 1 ]] || scripts/setup.sh >&2
  log "building $* in $BUILD_DIR..."
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target "$@" >/dev/null
}

# bench_node_peers: Node.js (>= 20) and the peers' npm packages
# (bench/peers/package-lock.json), installed with `npm ci` when missing or
# older than the lock file; compiling better-sqlite3 needs the compiler that
# setup.sh installs.
bench_node_peers() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install "Node.js and npm" nodejs npm libnode-dev  # libnode-dev: headers for node-gyp
  fi
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
    || die "the peers need Node.js >= 20 (better-sqlite3 12), this is $(node --version); install a newer nodejs or leave the peers out"
  if [[ ! -d "$PEERS_DIR/node_modules" || "$PEERS_DIR/package-lock.json" -nt "$PEERS_DIR/node_modules/.package-lock.json" ]]; then
    log "installing the peers' npm packages into bench/peers/node_modules (npm ci; better-sqlite3 compiles SQLite: minutes)..."
    # node-gyp builds better-sqlite3 against the installed headers, not downloaded ones.
    [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/common.gypi ]] && export npm_config_nodedir=/usr
    (cd "$PEERS_DIR" && npm ci --no-audit --no-fund) > "$DATA/npm-ci.log" 2>&1 \
      || { tail -n 30 "$DATA/npm-ci.log" >&2; die "npm ci in $PEERS_DIR failed (log: $DATA/npm-ci.log)"; }
  fi
}

# bench_corpus N: sets NT and PARAMS to DATA/claims_N.nt and its params file,
# generating both (gen_nt.py N --seed 42) if missing.
bench_corpus() {
  local n=$1
  NT="$DATA/claims_$n.nt"
  PARAMS="$NT.params.json"
  if [[ -f "$NT" && ! -f "$PARAMS" && -f "$(readlink -f "$NT").params.json" ]]; then
    PARAMS="$(readlink -f "$NT").params.json"  # a symlinked corpus keeps its params beside it
  fi
  if [[ ! -f "$NT" || ! -f "$PARAMS" ]]; then
    log "generating $NT (seed 42)..."
    python3 "$GEN" "$n" --seed 42 --out "$NT" 2>/dev/null
    PARAMS="$NT.params.json"
  fi
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(p["n_triples"] != int(sys.argv[2]) or p["seed"] != 42)' \
    "$PARAMS" "$n" || die "$PARAMS is not for $n triples, seed 42"
}

# bench_kg_store N: sets STORE to DATA/kg_N.db, importing $NT into it (`kg
# import`, the bulk path; into STORE.partial, renamed when complete) unless
# it exists, and KG_LOAD_S and KG_RSS_KB to the import's time and peak RSS
# (from STORE.load; empty if the store came without one).
bench_kg_store() {
  local n=$1
  STORE="$DATA/kg_$n.db"
  KG_LOAD_S=""; KG_RSS_KB=""
  [[ "$FRESH" == 1 ]] && rm -rf "$STORE" "$STORE.load"
  if [[ ! -d "$STORE" ]]; then
    [[ -e "$STORE.partial" ]] && die "$STORE.partial exists: an import is running or was interrupted (remove it to reimport)"
    log "kg import of $n triples into $STORE (bulk path)..."
    /usr/bin/time -f "%e %M" -o "$STORE.load.partial" "$KG" import --db "$STORE.partial" --format nt "$NT" \
      > "$DATA/kg_$n.import.log" 2>&1 || { cat "$DATA/kg_$n.import.log" >&2; die "kg import failed"; }
    mv "$STORE.load.partial" "$STORE.load"
    mv "$STORE.partial" "$STORE"
  else
    log "reusing $STORE"
  fi
  if [[ -f "$STORE.load" ]]; then
    read -r KG_LOAD_S KG_RSS_KB < "$STORE.load"
  fi
}
