#!/usr/bin/env python3
"""Helpers for bench/query_bench.sh (Python 3 stdlib only).

  load-sqlite NT DB            load N-Triples into SQLite triples(s,p,o) with the
                               covering indexes spo, pos, osp; prints seconds
  statements QUERIES_JSON      the three statements in our language, the three
                               SQL statements and the expected counts, one a line
  sqlite-time DB REPS WARMUP SQL...
                               in-process latency of each SQL statement, in the
                               output format of query_bench
  proc-time REPS WARMUP BUDGET_S CMD...
                               wall time of running CMD as a process (stdout to
                               /dev/null); fewer runs (>= 3) if REPS runs would
                               exceed BUDGET_S; prints "median_ms p90_ms runs"
  count-json                   number of rows in `kg query --format json` output
                               on stdin
  report RESULTS_TSV LOADS_TSV print the result tables
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
    for line in kg + sql + exp:
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
    text = text.strip()
    if not text:
        return 0
    data = json.loads(text)
    return len(data) if isinstance(data, list) else 1


def fmt_ms(v):
    if v in ("", "-"):
        return "-"
    v = float(v)
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3f" % v


def ratio(a, b):
    if a in ("", "-") or b in ("", "-"):
        return "-"
    a, b = float(a), float(b)
    if b <= 0:
        return "-"
    r = a / b
    return "%.0f" % r if r >= 100 else "%.1f" % r if r >= 10 else "%.2f" % r


def report(results_tsv, loads_tsv):
    print()
    print("Query latency, ms (medians; API and SQLite in-process with a warm cache, first run "
          "discarded; CLI = whole process)")
    print()
    hdr = ["triples", "query", "rows", "expected", "kg API", "kg API p90", "kg CLI (runs)",
           "SQLite", "SQLite p90", "SQLite CLI (runs)", "kg API / SQLite",
           "kg CLI / SQLite CLI"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "|".join("---" for _ in hdr) + "|")
    for line in open(results_tsv):
        f = line.rstrip("\n").split("\t")
        (n, q, rows_api, rows_cli, rows_sql, exp, api_med, api_p90, cli_med, cli_runs, sql_med,
         sql_p90, sqlcli_med, sqlcli_runs) = f
        rows = rows_api if rows_api == rows_cli == rows_sql else "%s/%s/%s" % (
            rows_api, rows_cli, rows_sql)
        print("| " + " | ".join([
            "{:,}".format(int(n)), q, rows, exp, fmt_ms(api_med), fmt_ms(api_p90),
            "%s (%s)" % (fmt_ms(cli_med), cli_runs), fmt_ms(sql_med), fmt_ms(sql_p90),
            "%s (%s)" % (fmt_ms(sqlcli_med), sqlcli_runs), ratio(api_med, sql_med),
            ratio(cli_med, sqlcli_med)]) + " |")
    print()
    print("Load and size")
    print()
    hdr = ["triples", "serdi parse s", "kg load s", "kg triples/s", "kg peak RSS MB",
           "kg disk MB", "kg open ms", "SQLite load s", "SQLite triples/s",
           "SQLite peak RSS MB", "SQLite disk MB", "kg load / SQLite load"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "|".join("---" for _ in hdr) + "|")
    for line in open(loads_tsv):
        (n, kg_s, kg_rss_kb, kg_mb, kg_open_ms, sq_s, sq_rss_kb, sq_mb,
         serdi_s) = line.rstrip("\n").split("\t")

        def per_s(s):
            try:
                return "{:,.0f}".format(int(n) / float(s))
            except (ValueError, ZeroDivisionError):
                return "-"

        def num(s, fmt):
            try:
                return fmt % float(s)
            except ValueError:
                return s

        def mb(kb):
            return "-" if kb in ("-", "") else "%.0f" % (float(kb) / 1024)

        print("| " + " | ".join([
            "{:,}".format(int(n)), num(serdi_s, "%.1f"), num(kg_s, "%.1f"), per_s(kg_s),
            mb(kg_rss_kb), kg_mb, num(kg_open_ms, "%.0f"), num(sq_s, "%.1f"), per_s(sq_s),
            mb(sq_rss_kb), sq_mb,
            ratio(kg_s, sq_s) if sq_s != "-" else "-"]) + " |")


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
        report(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
