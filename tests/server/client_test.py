#!/usr/bin/env python3
"""`kg serve` through a published SPARQL client from npm.

    tests/server/client_test.py --kg build/cli/kg [--corpus examples/corpus]

Ingests the sample corpus, starts `kg serve --port 0`, and runs
tests/server/client/sparql_client.mjs: sparql-http-client (pinned by
client/package-lock.json; installed with `npm ci` into client/node_modules
when that is missing or older than the lock file) asks a SELECT by GET and by
form POST, ASKs, a CONSTRUCT parsed into quads, the README's two questions
in SPARQL (docs/sparql.md) and a query with a syntax error, whose 400 the
client must report as an error. Each answer is checked here; the CONSTRUCT's
quads against the same pattern asked as a SELECT with urllib.

Prints "ok" or "FAILED" per question; exit 0 when none failed. Without node
or npm (Node.js >= 20), or when `npm ci` fails (no registry), it prints
SKIPPED with the reason and exits 0, as the other optional tests do.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ beside the tests
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from kg_serve import KgServe, run_kg  # noqa: E402
from npm_packages import npm_ci  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_DIR = os.path.join(HERE, "client")
KGE = "https://w3id.org/kg/entity/"
KGD = "https://w3id.org/kg/doc/"
KG = "https://w3id.org/kg/vocab#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(value):
    return {"termType": "NamedNode", "value": value}


def select_values(base, query, var):
    """The values of ?var in a SELECT asked with urllib (JSON results)."""
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=60) as r:
        rows = json.load(r)["results"]["bindings"]
    return rows, [row[var]["value"] for row in rows]


def check(answers, base):
    """{question name: [problems]} for the client's answers."""
    problems = {}

    def expect(name, cond, what):
        problems.setdefault(name, [])
        if not cond:
            problems[name].append(what)

    def answer(name):
        a = answers.get(name)
        expect(name, a is not None, "the client printed no answer")
        if a is None:
            return None
        expect(name, "error" not in a, "the client reported an error: %s" % a.get("error"))
        return a if "error" not in a else None

    for name in ("iran-supplied", "iran-supplied-form"):
        a = answer(name)
        if a:
            got = sorted(json.dumps(row, sort_keys=True) for row in a["rows"])
            want = sorted(json.dumps({"what": iri(KGE + w)}, sort_keys=True)
                          for w in ("Drones", "ShahedDrone"))
            expect(name, got == want, "rows %r, expected Drones and ShahedDrone" % a["rows"])

    for name, want in (("ask-true", True), ("ask-false", False)):
        a = answer(name)
        if a:
            expect(name, a.get("boolean") is want, "boolean %r, expected %r" % (a.get("boolean"), want))

    a = answer("construct-supplied")
    if a:
        rows, _ = select_values(base, "SELECT ?who ?what WHERE { ?who kge:supplied ?what }", "who")
        want = sorted(json.dumps([iri(r["who"]["value"]), iri(KGE + "supplied"),
                                  iri(r["what"]["value"]) if r["what"]["type"] == "uri" else
                                  {"termType": "Literal", "value": r["what"]["value"],
                                   "datatype": r["what"].get("datatype", XSD + "string")}])
                      for r in rows)
        got = sorted(json.dumps(q) for q in a["quads"])
        expect("construct-supplied", len(got) >= 2 and got == want,
               "quads %r, expected the %d triples the SELECT finds: %r" % (got, len(want), want))
        expect("construct-supplied",
               json.dumps([iri(KGE + "Iran"), iri(KGE + "supplied"), iri(KGE + "ShahedDrone")]) in got,
               "no quad Iran supplied ShahedDrone")

    name = "half-of-russias-munitions"
    a = answer(name)
    if a:
        rows = a["rows"]
        expect(name, len(rows) == 1, "%d rows, expected one: %r" % (len(rows), rows))
        if rows:
            r = rows[0]
            expect(name, "half of Russia" in r["quote"]["value"], "quote %r" % r["quote"])
            expect(name, r["source"] == iri(KGE + "UkrainianOfficials"),
                   "source %r, expected UkrainianOfficials" % r["source"])
            expect(name, r["hedge"] == iri(KG + "claimed"), "hedge %r" % r["hedge"])
            expect(name, r["document"] == iri(KGD + "crink-alliance-article-2025"),
                   "document %r" % r["document"])

    name = "iran-shahed-independent-sources"
    a = answer(name)
    if a:
        rows = a["rows"]
        expect(name, all(r["n"] == {"termType": "Literal", "value": "2", "datatype": XSD + "integer"}
                         for r in rows), "n is not 2 (xsd:integer) in every row: %r" % rows)
        roots = sorted(r["root"]["value"] for r in rows)
        expect(name, roots == [KGD + "atlantic-council-2025", KGD + "wsj-crink-2025"],
               "roots %r, expected atlantic-council-2025 and wsj-crink-2025" % roots)

    name = "syntax-error"
    a = answers.get(name)
    expect(name, a is not None, "the client printed no answer")
    if a:
        expect(name, "error" in a and a.get("status") == 400,
               "the client did not report the 400: %r" % a)
        expect(name, '"line":1' in a.get("error", "") and '"column":' in a.get("error", ""),
               "the error does not carry the position: %r" % a.get("error"))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "examples", "corpus"))
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    why_not = npm_ci(CLIENT_DIR, "client_test")
    if why_not:
        print("client_test: SKIPPED (%s)" % why_not)
        return 0
    work = tempfile.mkdtemp(prefix="kg-client-test-")
    failed = []
    try:
        db = os.path.join(work, "db")
        run_kg(kg, "ingest", "--db", db, args.corpus)
        with KgServe(kg, db) as server:
            r = subprocess.run(["node", os.path.join(CLIENT_DIR, "sparql_client.mjs"),
                                server.base + "/sparql"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            if r.returncode != 0:
                print("client_test: FAILED: the client exited %d: %s" % (
                    r.returncode, r.stderr.decode(errors="replace")[-2000:]))
                return 1
            answers = {}
            for line in r.stdout.decode().splitlines():
                a = json.loads(line)
                answers[a["name"]] = a
            for name, problems in check(answers, server.base).items():
                how = answers.get(name, {}).get("operation", "")
                print("client_test: sparql-http-client %-34s %-15s %s" % (
                    name, how, "FAILED" if problems else "ok"))
                for p in problems:
                    print("    " + p[:2000])
                if problems:
                    failed.append(name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("client_test: %s" % ("every answer held" if not failed else
                               "%d FAILED: %s" % (len(failed), ", ".join(failed))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
