#!/usr/bin/env python3
"""Render times of the workbench's pages (server/workbench.h), as a browser
asks for them: `kg serve` on a store, each page fetched over HTTP with
Accept: text/html, `--runs` times after one warm-up fetch; the median and the
slowest are printed, with the status and size of the page.

    bench/workbench_bench.py --kg build/cli/kg --db STORE --pages corpus
    bench/workbench_bench.py --kg build/cli/kg --db /tmp/kg-bench/kg_10000000.db \
        --pages bench --params /tmp/kg-bench/claims_10000000.nt.params.json

--pages corpus: the sample corpus's pages (the README's two questions, the
largest document, a query, the ingest page). --pages bench: a store of the
benchmark generator (../shared/bench/gen_nt.py), imported as RDF: its pages
for the q1 subject, a claim of q3's, the one document holding every
statement, and q1-q3 run from the query page. Issue 24's targets: under
100 ms on the corpus, under 300 ms on the 10M store.
"""
import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "tests", "server"))
from kg_serve import KgServe  # noqa: E402

Q = urllib.parse.quote


def corpus_pages():
    return [
        ("home (search page)", "/"),
        ("search a phrase", "/ui/search?q=" + Q("half of Russia's munitions")),
        ("search an entity (alias)", "/ui/search?q=Pyongyang"),
        ("search a misspelling", "/ui/search?q=Pyongyng"),
        ("claim: munitions", "/ui/claim?c=" + Q("(NorthKorea supplies_munitions_to Russia)")),
        ("claim: Shahed drones", "/ui/claim?c=" + Q("(Iran supplied ShahedDrone)")),
        ("document: Atlantic Council (240 quotes)", "/ui/doc?id=atlantic-council-2025"),
        ("document: WSJ (cited, not stored)", "/ui/doc?id=wsj-crink-2025"),
        ("query: kg", "/ui/query?q=" + Q("MATCH Tehran supplied ?what RETURN ?what;")),
        ("query: SPARQL", "/ui/query?lang=sparql&q=" +
         Q("SELECT ?what WHERE { kge:Iran kge:supplied ?what }")),
        ("download: trace as Markdown", "/ui/claim/download?format=md&c=" +
         Q("(Iran supplied ShahedDrone)")),
    ]


def bench_pages(params):
    p = json.load(open(params))
    base = p["prefix"]
    s1, claim3, source = p["q1"]["subject"], p["q3"]["claim"], base + "p/source"
    pre = "PREFIX p: <%sp/> " % base
    q1 = "SELECT ?p ?o WHERE { <%s> ?p ?o }" % s1
    q2 = pre + "SELECT ?c WHERE { ?c p:source ?d . ?d p:publisher <%s> }" % p["q2"]["publisher"]
    q3 = pre + "SELECT DISTINCT ?d WHERE { <%s> p:source/p:cites* ?d }" % claim3
    doc = "claims_%d" % p["n_triples"]
    return [
        ("home (search page)", "/"),
        ("search the q1 subject", "/ui/search?q=" + Q("<%s>" % s1)),
        ("search a claim (s p o)", "/ui/search?q=" + Q("(<%s> <%s> ?o)" % (claim3, source))),
        ("search words (no match)", "/ui/search?q=" + Q("Country 7")),
        ("claim: q3 claim's source", "/ui/claim?c=" + Q("(<%s> <%s> <%s>)" %
                                                        (claim3, source, p["q3"]["source_doc"]))),
        ("document: the whole import", "/ui/doc?id=" + doc),
        ("query: q1 (SPARQL)", "/ui/query?lang=sparql&q=" + Q(q1)),
        ("query: q2 (SPARQL)", "/ui/query?lang=sparql&q=" + Q(q2)),
        ("query: q3 (SPARQL)", "/ui/query?lang=sparql&q=" + Q(q3)),
    ]


def fetch(base, path):
    req = urllib.request.Request(base + path, headers={"Accept": "text/html"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            status, size = r.status, len(r.read())
    except urllib.error.HTTPError as e:
        status, size = e.code, len(e.read())
    return (time.perf_counter() - start) * 1000, status, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--pages", choices=["corpus", "bench"], default="corpus")
    ap.add_argument("--params", help="the generator's params.json (--pages bench)")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    pages = corpus_pages() if args.pages == "corpus" else bench_pages(args.params)
    with KgServe(args.kg, args.db) as server:
        print("| page | status | KB | median ms | slowest ms |")
        print("|---|---|---|---|---|")
        for name, path in pages:
            fetch(server.base, path)  # warm-up
            times, status, size = [], 0, 0
            for _ in range(args.runs):
                ms, status, size = fetch(server.base, path)
                times.append(ms)
            print("| %s | %d | %.1f | %.1f | %.1f |" %
                  (name, status, size / 1024, statistics.median(times), max(times)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
