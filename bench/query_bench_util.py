#!/usr/bin/env python3
"""Helpers for bench/query_bench.sh (Python 3 stdlib only).

  load-sqlite NT DB            load N-Triples into SQLite triples(s,p,o) with the
                               covering indexes spo, pos, osp; prints seconds
  statements QUERIES_JSON      one a line: the three statements in our language,
                               the three SQL statements over the strings table,
                               the expected counts, the three SQL statements over
                               the dictionary tables, the three SPARQL queries
  sqlite-time DB REPS WARMUP SQL...
                               in-process latency of each SQL statement, in the
                               output format of query_bench
  proc-time REPS WARMUP BUDGET_S CMD...
                               wall time of running CMD as a process (stdout to
                               /dev/null); fewer runs (>= 3) if REPS runs would
                               exceed BUDGET_S; prints "median_ms p90_ms runs"
  count-json                   number of rows in `kg query --format json` output
                               on stdin
  report RESULTS_TSV           print the table of all systems (see report())
"""
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import time


def percentile(sorted_ms, q):
    rank = max(1, math.ceil(q * len(sorted_ms)))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def split_nt(line):
    # "<s> <p> o .": subject and predicate are IRIs or blank nodes (no spaces);
    # the object is the rest up to the final " ." (literals may contain spaces).
    s, p, rest = line.split(" ", 2)
    rest = rest.rstrip("\n").rstrip()
    if not rest.endswith("."):
        raise ValueError("not an N-Triples line: %r" % line)
    return s, p, rest[:-1].rstrip()


def load_sqlite(nt, db):
    if os.path.exists(db):
        os.remove(db)
    start = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")  # 1 GB page cache while loading
    con.execute("CREATE TABLE triples(s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL)")
    con.execute("BEGIN")
    with open(nt, encoding="utf-8") as f:
        rows = (split_nt(line) for line in f if line.strip() and not line.startswith("#"))
        con.executemany("INSERT INTO triples(s, p, o) VALUES (?, ?, ?)", rows)
    # Three covering indexes, one per triple order.
    con.execute("CREATE INDEX spo ON triples(s, p, o)")
    con.execute("CREATE INDEX pos ON triples(p, o, s)")
    con.execute("CREATE INDEX osp ON triples(o, s, p)")
    con.execute("COMMIT")
    con.close()
    print("%.2f" % (time.perf_counter() - start))


def dict_sql(iri):
    """q1-q3 over the dictionary-encoded SQLite of peers/sqlite_dict.mjs:
    constants become ids through terms(term) and the answers are decoded
    through terms(id), so each returns the same strings as the strings table.
    CROSS JOIN (SQLite's way to fix a join order) gives the order SQLite picks
    by itself for the strings table, which it misses here without statistics
    (the ids are subqueries, not literals): q2 starts from the publisher's
    documents, not from every p/source triple; q3's recursive step looks up
    the new row's citations, not every p/cites triple (SQLite 3.53)."""
    def tid(term):
        return "(SELECT id FROM terms WHERE term = '<%s>')" % term
    return [
        "SELECT tp.term, tv.term FROM triples t JOIN terms tp ON tp.id = t.p "
        "JOIN terms tv ON tv.id = t.o WHERE t.s = %s" % tid(iri["q1_subject"]),
        "SELECT tc.term FROM triples t2 CROSS JOIN triples t1 ON t1.o = t2.s "
        "JOIN terms tc ON tc.id = t1.s WHERE t2.p = %s AND t2.o = %s AND t1.p = %s"
        % (tid(iri["publisher"]), tid(iri["q2_publisher"]), tid(iri["source"])),
        "WITH RECURSIVE r(d) AS (SELECT o FROM triples WHERE s = %s AND p = %s "
        "UNION SELECT t.o FROM r CROSS JOIN triples t ON t.s = r.d WHERE t.p = %s) "
        "SELECT terms.term FROM r JOIN terms ON terms.id = r.d"
        % (tid(iri["q3_claim"]), tid(iri["source"]), tid(iri["cites"])),
    ]


def statements(path):
    q = json.load(open(path))
    iri = q["iri"]
    kg = [
        "MATCH <%s> ?p ?o RETURN ?p, ?o;" % iri["q1_subject"],
        "MATCH ?c <%s> ?d, ?d <%s> <%s> RETURN ?c;" % (iri["source"], iri["publisher"],
                                                      iri["q2_publisher"]),
        "MATCH <%s> <%s>/<%s>* ?d RETURN DISTINCT ?d;" % (iri["q3_claim"], iri["source"],
                                                          iri["cites"]),
    ]
    sql = [q["sql"]["q1"], q["sql"]["q2"], q["sql"]["q3"]]
    exp = [str(q["expected"][k]) for k in ("q1", "q2", "q3")]
    sparql = [q["sparql"]["q1"], q["sparql"]["q2"], q["sparql"]["q3"]]
    for line in kg + sql + exp + dict_sql(iri) + sparql:
        assert "\n" not in line
        print(line)


def sqlite_time(db, reps, warmup, sqls):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    for i, sql in enumerate(sqls):
        ms, rows = [], None
        for r in range(warmup + reps):
            start = time.perf_counter()
            n = len(con.execute(sql).fetchall())
            elapsed = (time.perf_counter() - start) * 1000.0
            if rows is not None and n != rows:
                sys.exit("sqlite q%d: row count changed between runs" % (i + 1))
            rows = n
            if r >= warmup:
                ms.append(elapsed)
        ms.sort()
        print("q%d  rows=%d  median_ms=%.4f  p90_ms=%.4f  min_ms=%.4f  max_ms=%.4f  reps=%d"
              % (i + 1, rows, statistics.median(ms), percentile(ms, 0.9), ms[0], ms[-1], reps))
        sys.stdout.flush()


def proc_time(reps, warmup, budget_s, cmd):
    """Runs cmd warmup + reps times; when the last warm-up run (or the first
    run, without warm-up) shows that reps runs would take longer than
    budget_s, runs fewer (at least 3)."""
    ms = []
    r = 0
    while r < warmup + reps:
        start = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000.0
        if p.returncode != 0:
            sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                       p.stderr.decode(errors="replace")))
        if r >= warmup:
            ms.append(elapsed)
        if r == max(warmup - 1, 0) and budget_s > 0:
            reps = min(reps, max(3, int(budget_s * 1000.0 / max(elapsed, 1e-3))))
        r += 1
    ms.sort()
    print("%.4f %.4f %d" % (statistics.median(ms), percentile(ms, 0.9), len(ms)))


def count_json(text):
    """Rows in `kg query --format json` output: one object per statement with
    `rows` (and `row_count`); an array of rows is counted as it is."""
    text = text.strip()
    if not text:
        return 0
    data = json.loads(text)
    if isinstance(data, list):
        return len(data)
    rows = len(data["rows"])
    if data.get("row_count", rows) != rows:
        sys.exit("count-json: row_count %s but %d rows" % (data["row_count"], rows))
    return rows


def fmt_num(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3f" % v


def fmt_mb(v):
    return "%.0f" % v if v >= 10 else "%.1f" % v


def fmt_ratio(r):
    if r >= 10:
        return "%.0f×" % r
    return "%.2g×" % r


# The rows of the report: (system key, label, what its query times compare
# with: the in-process kg API or the whole `kg query` process).
SYSTEMS = [
    ("kg-api", "kg API (query_bench)", "kg-api"),
    ("kg-cli", "kg process (`kg query`)", "kg-cli"),
    ("sqlite", "SQLite strings (python sqlite3)", "kg-api"),
    ("sqlite-cli", "SQLite strings, `sqlite3` process", "kg-cli"),
    ("sqlite-dict", "SQLite dictionary (better-sqlite3)", "kg-api"),
    ("sqlite-dict-cli", "SQLite dictionary, `sqlite3` process", "kg-cli"),
    ("duckdb", "DuckDB (node-api)", "kg-api"),
    ("oxigraph", "Oxigraph (in memory, npm)", "kg-api"),
    ("serdi", "serdi parse (no store)", "kg-api"),
]


def report(results_tsv):
    """RESULTS_TSV lines: triples, system, key, value. Keys: load_s, rss_kb,
    disk_mb, q1_ms..q3_ms (medians), q1_rows..q3_rows, runs (of the process
    rows), open_ms (kg), skipped (a reason); system "gen" holds the expected
    q1_rows..q3_rows."""
    res, sizes = {}, []
    for line in open(results_tsv):
        n, system, key, value = line.rstrip("\n").split("\t", 3)
        if n not in sizes:
            sizes.append(n)
        res.setdefault((n, system), {})[key] = value

    def num(n, system, key):
        try:
            return float(res.get((n, system), {}).get(key, ""))
        except ValueError:
            return None

    def cell(n, system, key, ref, scale=1.0, fmt=fmt_num):
        v = num(n, system, key)
        if v is None:
            return "–"
        text = fmt(v * scale)
        r = num(n, ref, key)
        if system != ref and r:
            text += " (%s)" % fmt_ratio(v / r)
        return text

    print()
    print("kg against its peers, same corpus, same run. Query columns: medians in ms of "
          "REPS runs in process (warm, first run discarded) or CLI_REPS whole processes. "
          "(×) = the system's figure / kg's: in-process rows against kg API, process rows "
          "against kg process, load/RSS/disk against kg's import; below 1× the peer is "
          "faster or smaller.")
    print()
    hdr = ["triples", "system", "load s", "load peak RSS MB", "disk MB", "q1 ms", "q2 ms",
           "q3 ms"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "|".join("---" for _ in hdr) + "|")
    notes = []
    for n in sizes:
        for system, label, qref in SYSTEMS:
            r = res.get((n, system))
            if r is None:
                continue
            if "skipped" in r:
                notes.append("%s at %s triples: skipped, %s" % (label, "{:,}".format(int(n)),
                                                                r["skipped"]))
                continue
            load_ref = "kg-api"
            print("| " + " | ".join([
                "{:,}".format(int(n)), label,
                cell(n, system, "load_s", load_ref),
                cell(n, system, "rss_kb", load_ref, 1 / 1024, fmt_mb),
                cell(n, system, "disk_mb", load_ref, fmt=fmt_mb),
                cell(n, system, "q1_ms", qref),
                cell(n, system, "q2_ms", qref),
                cell(n, system, "q3_ms", qref)]) + " |")
    print()
    for n in sizes:
        exp = res.get((n, "gen"), {})
        checked = [label for system, label, _ in SYSTEMS
                   if all(k in res.get((n, system), {}) for k in ("q1_rows", "q2_rows",
                                                                   "q3_rows"))]
        bad = [label for system, label, _ in SYSTEMS
               if any(res.get((n, system), {}).get(k, exp.get(k)) != exp.get(k)
                      for k in ("q1_rows", "q2_rows", "q3_rows"))]
        print("- %s triples: rows q1 %s, q2 %s, q3 %s expected; %s" % (
            "{:,}".format(int(n)), exp.get("q1_rows"), exp.get("q2_rows"), exp.get("q3_rows"),
            ("MISMATCH in " + ", ".join(bad)) if bad else
            "%d systems returned exactly these" % len(checked)))
        kg = res.get((n, "kg-api"), {})
        if "open_ms" in kg:
            print("- %s triples: kg opens its store read-only in %s ms" % (
                "{:,}".format(int(n)), fmt_num(float(kg["open_ms"]))))
        runs = ["%s %s" % (label, res[(n, system)]["runs"]) for system, label, _ in SYSTEMS
                if "runs" in res.get((n, system), {})]
        if runs:
            print("- %s triples: process runs per query (q1/q2/q3): %s" % (
                "{:,}".format(int(n)), "; ".join(runs)))
    for note in notes:
        print("- " + note)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "load-sqlite":
        load_sqlite(args[0], args[1])
    elif cmd == "statements":
        statements(args[0])
    elif cmd == "sqlite-time":
        sqlite_time(args[0], int(args[1]), int(args[2]), args[3:])
    elif cmd == "proc-time":
        proc_time(int(args[0]), int(args[1]), float(args[2]), args[3:])
    elif cmd == "count-json":
        print(count_json(sys.stdin.read()))
    elif cmd == "report":
        report(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
