#!/usr/bin/env python3
"""The HTTP client of bench/sparql_http_bench.sh (Python 3 stdlib only).

  run --endpoint NAME=URL... --expect R1,R2,R3 [--format json|xml|csv|tsv]
      [--reps N] [--max-reps M] [--budget-s S] [--warmup W] [--block B] QUERY...
      Sends each SPARQL query to every endpoint as a SPARQL 1.1 Protocol GET
      (?query=..., Accept: the format's media type, default SPARQL JSON:
      application/sparql-results+json), one keep-alive
      connection per endpoint (http.client; reopened only when a server closes
      it). Per query: W untimed requests to each endpoint, then rounds; a
      round sends each endpoint in turn (the order rotating each round) one
      untimed request, which warms it again after the other engines' work,
      and B timed ones. Rounds go on until each endpoint has at least N timed
      requests, then until S seconds have passed or M are done (fast queries
      get more runs). With B = 1 there is no untimed request: every request
      follows the other engines' (their work has evicted its caches). A
      request is timed from sending it to the
      last byte of the body; the body is then parsed (untimed) and its rows
      counted (JSON: results.bindings; XML: <result> elements; CSV, TSV: lines
      after the header), which must equal the query's expected count on
      every request. Prints one line per endpoint and query:
        NAME  qI  rows=R  median_ms=M  p90_ms=P  min_ms=L  max_ms=H  reps=N
        connections=C  bytes=B
      (C: connections opened by the timed requests; B: body bytes). Exits 1
      on an HTTP error or a wrong row count.
  breakdown --url http://HOST:PORT/ [--reps N] QUERY...
      Where a `kg serve` request's time goes, in rounds over one keep-alive
      connection: GET /health (the HTTP round trip with this client, no
      query), GET /sparql?query=Q&explain=1 (that plus parsing, binding and
      planning Q, the plan sent as text) and GET /sparql?query=Q (that plus
      running Q and writing SPARQL JSON). Requests that had to open a new
      connection (kg serve closes one after 5 requests) are counted apart:
      new_conn_run_ms is the median of those runs of Q. Prints medians in ms:
        qI  health_ms=H  explain_ms=E  run_ms=R  new_conn_run_ms=N
  report RESULTS_TSV
      The table of sparql_http_bench.sh from its results file (triples,
      engine, key, value lines).
"""
import argparse
import csv
import http.client
import io
import json
import math
import re
import statistics
import sys
import time
import urllib.parse

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def percentile(sorted_ms, q):
    rank = max(1, math.ceil(q * len(sorted_ms)))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


class Endpoint:
    def __init__(self, name, url, accept):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "http" or not u.hostname or not u.port:
            raise SystemExit("sparql_http_client.py: %s: expected http://HOST:PORT/PATH, got %s" % (name, url))
        self.name, self.url, self.path = name, url, u.path or "/"
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        self.opened = 0
        self.accept = accept

    def ask(self, query, count_connection=True):
        """(milliseconds, status, body) of one GET of `query`. A kept
        connection the server has closed meanwhile (its keep-alive timeout
        ran out while other engines were asked) is reopened and the request
        sent again, as HTTP clients do; the time is then that of the retry."""
        target = self.path + "?" + urllib.parse.urlencode({"query": query})
        for attempt in (0, 1):
            reused = self.conn.sock is not None
            if not reused and count_connection:
                self.opened += 1  # http.client connects (again) on this request
            start = time.perf_counter()
            try:
                self.conn.request("GET", target, headers={"Accept": self.accept})
                resp = self.conn.getresponse()
                body = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if reused and attempt == 0:
                    continue
                raise
            ms = (time.perf_counter() - start) * 1000
            return ms, resp.status, body


def count_rows(endpoint, qname, status, body, fmt):
    if status != 200:
        raise SystemExit("sparql_http_client.py: %s %s: HTTP %d: %s" %
                         (endpoint.name, qname, status, body[:500].decode("utf-8", "replace")))
    if fmt == "json":
        return len(json.loads(body)["results"]["bindings"])
    if fmt == "xml":
        return len(re.findall(rb"<result[\s>]", body))
    if fmt == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    return body.decode("utf-8").rstrip("\n").count("\n")  # tsv: no newline inside a value


def run(args):
    endpoints = []
    for spec in args.endpoint:
        name, _, url = spec.partition("=")
        endpoints.append(Endpoint(name, url, MEDIA_TYPES[args.format]))
    expect = [int(x) for x in args.expect.split(",")]
    if len(expect) != len(args.queries):
        raise SystemExit("sparql_http_client.py: %d expected counts for %d queries" % (len(expect), len(args.queries)))
    failed = False
    for qi, query in enumerate(args.queries):
        qname = "q%d" % (qi + 1)
        times = {e.name: [] for e in endpoints}
        rows, size = {}, {}

        def once(e, timed):
            nonlocal failed
            ms, status, body = e.ask(query, timed)
            n = count_rows(e, qname, status, body, args.format)
            if n != expect[qi] and e.name not in rows:
                print("!!!!! MISMATCH: %s %s returned %d rows, expected %d" % (e.name, qname, n, expect[qi]),
                      file=sys.stderr)
                failed = True
            rows[e.name], size[e.name] = n, len(body)
            if timed:
                times[e.name].append(ms)

        for e in endpoints:
            for _ in range(args.warmup):
                once(e, False)
            e.opened = 0
        start = time.perf_counter()
        r = 0
        while r * args.block < args.reps or (r * args.block < args.max_reps and
                                              time.perf_counter() - start < args.budget_s):
            k = r % len(endpoints)
            for e in endpoints[k:] + endpoints[:k]:
                if args.block > 1:
                    once(e, False)
                for _ in range(args.block):
                    once(e, True)
            r += 1
        for e in endpoints:
            ms = sorted(times[e.name])
            print("%s  %s  rows=%d  median_ms=%.4f  p90_ms=%.4f  min_ms=%.4f  max_ms=%.4f  reps=%d  connections=%d  bytes=%d" %
                  (e.name, qname, rows[e.name], statistics.median(ms), percentile(ms, 0.9), ms[0], ms[-1], len(ms),
                   e.opened, size[e.name]), flush=True)
    return 1 if failed else 0


def breakdown(args):
    u = urllib.parse.urlsplit(args.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)

    def get(target, accept):
        fresh = conn.sock is None
        start = time.perf_counter()
        conn.request("GET", target, headers={"Accept": accept})
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise SystemExit("sparql_http_client.py: GET %s: HTTP %d" % (target[:80], resp.status))
        return (time.perf_counter() - start) * 1000, fresh

    for qi, query in enumerate(args.queries):
        targets = {
            "health": ("/health", "application/json"),
            "explain": ("/sparql?" + urllib.parse.urlencode({"query": query, "explain": "1"}), "text/plain"),
            "run": ("/sparql?" + urllib.parse.urlencode({"query": query}), MEDIA_TYPES["json"]),
        }
        ms = {k: [] for k in targets}
        ms["new_conn_run"] = []
        for r in range(args.reps + 3):
            for k, (target, accept) in targets.items():
                t, fresh = get(target, accept)
                if r >= 3 and not fresh:
                    ms[k].append(t)
                elif r >= 3 and k == "run":
                    ms["new_conn_run"].append(t)
        print("q%d  %s" % (qi + 1, "  ".join("%s_ms=%.4f" % (k, statistics.median(v)) for k, v in ms.items() if v)),
              flush=True)
    return 0


def report(path):
    """One table from the results file: per size, results format and engine,
    the load time and each query's median and p90 in ms, with the ratio of
    the engine's figure to kg's (above 1×: kg is faster); then the row
    counts, the runs per query and the load average. Engines' keys are NAME
    (label, load_s, skipped) and NAME.FORMAT (qI_median_ms, ...)."""
    data = {}  # (triples, key) -> {field: value}
    order = []
    with open(path) as f:
        for line in f:
            n, engine, key, value = line.rstrip("\n").split("\t", 3)
            if (n, engine) not in data:
                data[(n, engine)] = {}
                order.append((n, engine))
            data[(n, engine)][key] = value

    def num(d, key):
        try:
            return float(d[key])
        except (KeyError, ValueError):
            return None

    def ratio(x, base):
        return "" if x is None or not base else " (%.2g×)" % (x / base)

    sizes = sorted({n for n, _ in order}, key=int)
    print("| triples | engine | results | load s | q1 ms median / p90 | q2 ms median / p90 | q3 ms median / p90 |")
    print("|---|---|---|---|---|---|---|")
    notes, runs = [], []
    for n in sizes:
        kg = data.get((n, "kg"), {})
        for n2, key in order:
            if n2 != n or "." not in key:
                continue
            engine, fmt = key.split(".", 1)
            base, d = data.get((n, engine), {}), data[(n, key)]
            kgf = data.get((n, "kg." + fmt), {})
            label = base.get("label", engine)
            load = num(base, "load_s")
            cells = ["%.1f%s" % (load, "" if engine == "kg" else ratio(load, num(kg, "load_s")))
                     if load is not None else base.get("load_note", "?")]
            for q in ("q1", "q2", "q3"):
                med, p90 = num(d, q + "_median_ms"), num(d, q + "_p90_ms")
                ref = None if engine == "kg" else num(kgf, q + "_median_ms")
                cells.append("–" if med is None else "%s / %s%s" % (fmt_ms(med), fmt_ms(p90), ratio(med, ref)))
            print("| %s | %s | %s | %s |" % (human(n), label, fmt.upper(), " | ".join(cells)))
            runs.append("%s %s %s: %s (connections opened %s)" % (
                human(n), label, fmt.upper(), "/".join(d.get(q + "_reps", "?") for q in ("q1", "q2", "q3")),
                "/".join(d.get(q + "_connections", "?") for q in ("q1", "q2", "q3"))))
        for n2, key in order:
            if n2 == n and "skipped" in data[(n, key)]:
                notes.append("%s at %s triples: skipped, %s" % (data[(n, key)].get("label", key), human(n),
                                                              data[(n, key)]["skipped"]))
    print()
    print("Ratios: the engine's figure / kg's, same size and results format (above 1×: kg is faster). "
          "Rows per query q1/q2/q3, every engine and request: " +
          "; ".join("%s %s" % (human(n), "/".join(data[(n, "expected")].get(q, "?") for q in ("q1", "q2", "q3")))
                    for n in sizes if (n, "expected") in data))
    if runs:
        print("Timed runs per query q1/q2/q3: " + "; ".join(runs))
    for note in notes:
        print(note)
    loads = ["%s: %s" % (human(n), data[(n, "load")]["loadavg"]) for n in sizes if "loadavg" in data.get((n, "load"), {})]
    if loads:
        print("Load average (1, 5, 15 min) when the queries ended: " + "; ".join(loads))


def fmt_ms(x):
    return "%.3g" % x if x < 100 else "%.0f" % x


def human(n):
    n = int(n)
    return "%dM" % (n // 1000000) if n % 1000000 == 0 else "%dk" % (n // 1000) if n % 1000 == 0 else str(n)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "report" and len(sys.argv) == 3:
        report(sys.argv[2])
        return 0
    if len(sys.argv) >= 2 and sys.argv[1] == "breakdown":
        p = argparse.ArgumentParser(prog="sparql_http_client.py breakdown")
        p.add_argument("--url", required=True)
        p.add_argument("--reps", type=int, default=200)
        p.add_argument("queries", nargs="+")
        return breakdown(p.parse_args(sys.argv[2:]))
    p = argparse.ArgumentParser(prog="sparql_http_client.py run")
    p.add_argument("cmd", choices=["run"])
    p.add_argument("--endpoint", action="append", required=True, help="NAME=URL")
    p.add_argument("--expect", required=True, help="expected row counts, comma-separated")
    p.add_argument("--format", choices=sorted(MEDIA_TYPES), default="json")
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--max-reps", type=int, default=500)
    p.add_argument("--budget-s", type=float, default=5.0)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--block", type=int, default=10)
    p.add_argument("queries", nargs="+")
    return run(p.parse_args())


if __name__ == "__main__":
    sys.exit(main())
