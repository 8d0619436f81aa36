#!/usr/bin/env bash
# `kg upgrade` on a format-2 store of the generated corpus, end to end: builds
# the last format-2 kg (commit 0ca0978) in a git worktree, imports N triples
# with it, answers the three reference queries and `kg stats` with it, runs
# `kg upgrade` with this build, and checks that the upgraded store answers the
# same (row sets compared, sorted) and passes `kg check`. Prints the times.
#   bench/upgrade_bench.sh [TRIPLES=1000000]
# Environment: KG_BENCH_DATA (default /tmp/kg-bench), KG_BUILD_DIR (build),
# KG_FORMAT2_BIN (a format-2 kg already built, instead of building one).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
N="${1:-1000000}"
DATA="${KG_BENCH_DATA:-/tmp/kg-bench}"
BUILD_DIR="${KG_BUILD_DIR:-build}"
V2_COMMIT=0ca0978
V2_TREE="$DATA/kg-format2-src"
KG="$REPO/$BUILD_DIR/cli/kg"
FILE="$DATA/claims_$N.nt"
PARAMS="$FILE.params.json"
die() { echo "upgrade_bench.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

mkdir -p "$DATA"
[[ -f "$FILE" ]] || python3 ../shared/bench/gen_nt.py "$N" --seed 42 --out "$FILE" >/dev/null
cmake --build "$BUILD_DIR" --target kg >/dev/null
KG2="${KG_FORMAT2_BIN:-$V2_TREE/build/cli/kg}"
if [[ ! -x "$KG2" ]]; then
  log "building the format-2 kg ($V2_COMMIT) in $V2_TREE..."
  [[ -d "$V2_TREE" ]] || git worktree add --detach "$V2_TREE" "$V2_COMMIT" >/dev/null 2>&1 \
    || die "cannot check out $V2_COMMIT"
  cmake -S "$V2_TREE" -B "$V2_TREE/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$V2_TREE/build" --target kg >/dev/null
fi
DB="$DATA/upgrade_$N.db"
rm -rf "$DB" "$DB".format2 "$DB".format3
log "importing $N triples with the format-2 kg..."
/usr/bin/time -f "%e" -o "$DATA/upgrade.v2load" "$KG2" --db "$DB" import "$FILE" >/dev/null

# The reference queries in kg's language (as bench/query_bench.sh asks them).
mapfile -t QUERIES < <(python3 - "$PARAMS" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
b = p["prefix"]
s, x, c = p["q1"]["subject"], p["q2"]["publisher"], p["q3"]["claim"]
print("MATCH <%s> ?p ?o RETURN ?p, ?o;" % s)
print("MATCH ?c <%sp/source> ?d, ?d <%sp/publisher> <%s> RETURN ?c;" % (b, b, x))
print("MATCH <%s> <%sp/source>/<%sp/cites>* ?d RETURN DISTINCT ?d;" % (c, b, b))
PY
)
answers() {  # KG -> one sorted answer file per query, plus stats
  local kg="$1" tag="$2" i=0
  for q in "${QUERIES[@]}"; do
    i=$((i + 1))
    "$kg" --db "$DB" query --format csv "$q" | sort > "$DATA/upgrade.$tag.q$i" \
      || die "$tag: query $i failed: $q"
  done
  "$kg" --db "$DB" stats | sort > "$DATA/upgrade.$tag.stats"  # rows in id order: sorted
}
answers "$KG2" before
log "upgrading with this build..."
/usr/bin/time -f "%e %M" -o "$DATA/upgrade.time" "$KG" --db "$DB" upgrade
answers "$KG" after
for f in q1 q2 q3 stats; do
  cmp -s "$DATA/upgrade.before.$f" "$DATA/upgrade.after.$f" \
    || { diff "$DATA/upgrade.before.$f" "$DATA/upgrade.after.$f" | head; die "$f differs after the upgrade"; }
done
"$KG" --db "$DB" check
read -r secs rss < "$DATA/upgrade.time"
echo "upgrade of $N triples: format-2 load $(cat "$DATA/upgrade.v2load") s; kg upgrade $secs s, peak RSS $((rss / 1024)) MB;" \
     "q1-q3 rows: $(wc -l < "$DATA/upgrade.after.q1") $(wc -l < "$DATA/upgrade.after.q2") $(wc -l < "$DATA/upgrade.after.q3") (header included), the same before and after; stats identical"
