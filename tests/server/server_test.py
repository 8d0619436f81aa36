#!/usr/bin/env python3
"""`kg serve` over HTTP, driven with Python's urllib and with curl.

    tests/server/server_test.py --kg build/cli/kg [--corpus examples/corpus]

Ingests the sample corpus, starts `kg serve --port 0` on it, reads the port
from the first line of its standard output, and checks: /health; /query
answering exactly as `kg query --format json`; errors as JSON with line and
column; 404, 405, 413, 415, 406, 422 (row cap), 504 (timeout); unknown
parameters ignored; a dataset in the request (default-graph-uri,
named-graph-uri) restricting the answer, over the query's FROM; CORS
headers and preflight; the service description; the access log; queries
while an import writes; a port in use; SIGTERM and SIGINT ending it with
exit 0.

The SPARQL cases (results in each format, Accept negotiation, ASK,
CONSTRUCT as Turtle and N-Triples) run only once /sparql answers queries:
while it answers 501 (SPARQL not implemented yet) they are skipped with a
message. Each case prints "ok", "skipped" or "FAILED"; exit 0 when none
failed. curl cases are skipped when curl is not installed.
"""
import argparse
import csv
import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

FAILED = []
KGE = "https://w3id.org/kg/entity/"
KGD = "https://w3id.org/kg/doc/"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def case(name, problems, skipped=None):
    if skipped:
        print("server_test: %-66s skipped: %s" % (name, skipped))
    elif problems:
        FAILED.append(name)
        print("server_test: %-66s FAILED" % name)
        for p in problems:
            print("    " + str(p)[:2000])
    else:
        print("server_test: %-66s ok" % name)


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def type(self):
        return self.headers.get("content-type", "").split(";")[0].strip()

    def __repr__(self):
        return "HTTP %d %s %r" % (self.status, self.headers.get("content-type"), self.body[:300])


class Server:
    """A `kg serve` process on a free port."""

    def __init__(self, kg, db, work, *extra):
        self.log = os.path.join(work, "access-%d.log" % time.monotonic_ns())
        self.proc = subprocess.Popen(
            [kg, "serve", "--db", db, "--port", "0", "--access-log", self.log] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        self.first_line = self.proc.stdout.readline().decode() if ready else ""
        if not self.first_line.startswith("kg serve: listening on http://127.0.0.1:"):
            self.proc.kill()
            raise RuntimeError("kg serve did not start: %r %r" % (
                self.first_line, self.proc.stderr.read().decode()))
        self.base = self.first_line.split(" on ")[1].split()[0].rstrip("/")
        self.port = int(self.base.rsplit(":", 1)[1])

    def request(self, method, path, body=None, headers=None):
        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return Reply(r.status, r.getheaders(), r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, e.headers.items(), e.read())

    def get(self, path, _headers=None, **params):
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        return self.request("GET", path + query, headers=_headers)

    def curl(self, *args):
        """curl -s ARGS URL... -> Reply (the last response of the exchange)."""
        r = subprocess.run(["curl", "-s", "-i", "--max-time", "60"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
        raw = r.stdout
        # Skip interim responses (100 Continue).
        while raw.startswith(b"HTTP/1.1 100"):
            raw = raw.split(b"\r\n\r\n", 1)[1]
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
        headers = [tuple(x.strip() for x in l.split(":", 1)) for l in lines[1:] if ":" in l]
        return Reply(status, headers, body)

    def stop(self):
        """SIGTERM; returns (exit code or None if it hung, seconds, stderr)."""
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        return rc, time.monotonic() - start, self.proc.stderr.read().decode()


def expect(problems, cond, what):
    if not cond:
        problems.append(what)
    return cond


def expect_error(problems, reply, status, what, position=None):
    """reply is a JSON error with `status` (and line/column `position`)."""
    if not expect(problems, reply.status == status, "%s: expected %d, got %r" % (what, status, reply)):
        return
    if not expect(problems, reply.type() == "application/json", "%s: not JSON: %r" % (what, reply)):
        return
    body = reply.json()
    expect(problems, isinstance(body.get("error"), str) and body["error"],
           "%s: no error message: %r" % (what, body))
    if position:
        expect(problems, (body.get("line"), body.get("column")) == position,
               "%s: expected line, column %r: %r" % (what, position, body))
    expect(problems, reply.headers.get("access-control-allow-origin") == "*",
           "%s: no CORS header: %r" % (what, reply.headers))


def cli_json(kg, db, statements):
    r = subprocess.run([kg, "query", "--db", db, "--format", "json", statements],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("kg query failed: " + r.stderr.decode())
    return r.stdout


STATEMENTS = ["SOURCES OF \"half of Russia's munitions\";",
              "SOURCES OF (Iran supplied ShahedDrone);"]


def query_cases(s, kg, db, have_curl):
    problems = []
    r = s.get("/health")
    if expect(problems, r.status == 200 and r.type() == "application/json", "/health: %r" % r):
        h = r.json()
        expect(problems, h.get("status") == "ok" and h.get("store") == db and h.get("version"),
               "/health body: %r" % h)
        expect(problems, h.get("documents") == 3, "/health documents: %r" % h)
    if have_curl:
        c = s.curl(s.base + "/health?verbose=1&x=y")
        expect(problems, c.status == 200 and c.json().get("status") == "ok", "curl /health: %r" % c)
    case("health answers ok with the store and version", problems)

    for statement in STATEMENTS:
        problems = []
        want = cli_json(kg, db, statement)
        replies = {
            "GET ?q=": s.get("/query", q=statement),
            "GET ?q= without ';'": s.get("/query", q=statement.rstrip(";")),
            "POST text/plain": s.request("POST", "/query", statement.encode(),
                                         {"Content-Type": "text/plain"}),
            "POST JSON": s.request("POST", "/query", json.dumps({"query": statement}).encode(),
                                   {"Content-Type": "application/json"}),
            "POST form": s.request("POST", "/query",
                                   urllib.parse.urlencode({"q": statement}).encode(),
                                   {"Content-Type": "application/x-www-form-urlencoded"}),
            "GET with unknown parameters": s.get("/query", q=statement, foo="bar", format="xml"),
        }
        if have_curl:
            replies["curl --data-binary"] = s.curl("--data-binary", statement, "-H",
                                                   "Content-Type: text/plain", s.base + "/query")
            replies["curl -d (a form without fields)"] = s.curl("-d", statement, s.base + "/query")
            replies["curl -G --data-urlencode"] = s.curl("-G", "--data-urlencode",
                                                         "q=" + statement, s.base + "/query")
        for how, r in replies.items():
            if expect(problems, r.status == 200, "%s: %r" % (how, r)):
                expect(problems, r.type() == "application/json", "%s: type %r" % (how, r.type()))
                expect(problems, r.body == want,
                       "%s: not what kg query --format json prints:\n  %r\n  %r" % (how, r.body, want))
        expect(problems, json.loads(want)["row_count"] > 0, "no rows for " + statement)
        case("/query %s = kg query --format json" % statement[:40], problems)

    problems = []
    both = "\n".join(STATEMENTS)
    r = s.request("POST", "/query", both.encode(), {"Content-Type": "text/plain"})
    want = [json.loads(line) for line in cli_json(kg, db, both).splitlines()]
    expect(problems, r.status == 200 and r.json() == want,
           "two statements: expected a JSON array of both objects: %r" % r)
    case("/query with two statements answers a JSON array", problems)

    problems = []
    expect_error(problems, s.get("/query", q="MATCH (Iran"), 400, "syntax error", (1, 12))
    expect_error(problems, s.request("POST", "/query", (STATEMENTS[1] + "\nMATCH (Iran").encode(),
                                     {"Content-Type": "text/plain"}),
                 400, "syntax error on line 2", (2, 12))
    expect_error(problems, s.get("/query", q="SOURCES OF (Nobody supplied Nothing);"), 400,
                 "unknown name", (1, 13))
    expect_error(problems, s.get("/query"), 400, "no statements")
    expect_error(problems, s.request("POST", "/query", b"{\"query\": 1}",
                                     {"Content-Type": "application/json"}), 400, "JSON without query")
    expect_error(problems, s.request("POST", "/query", b"{not json",
                                     {"Content-Type": "application/json"}), 400, "bad JSON")
    if have_curl:
        expect_error(problems, s.curl("-G", "--data-urlencode", "q=SOURCES OF (Iran", s.base + "/query"),
                     400, "curl syntax error", (1, 17))
    case("query errors are 400 JSON with line and column", problems)


def http_cases(s, have_curl):
    problems = []
    expect_error(problems, s.get("/nosuch"), 404, "unknown path")
    expect_error(problems, s.request("POST", "/nosuch", b"x", {"Content-Type": "text/plain"}), 404,
                 "POST to an unknown path")
    for method, path in [("PUT", "/sparql"), ("DELETE", "/sparql"), ("PUT", "/query"),
                         ("PATCH", "/query"), ("POST", "/health"), ("DELETE", "/health")]:
        r = s.request(method, path, b"data", {"Content-Type": "text/turtle"})
        expect_error(problems, r, 405, "%s %s" % (method, path))
        expect(problems, "GET" in r.headers.get("allow", ""), "%s %s: no Allow: %r" % (method, path, r))
    if have_curl:
        expect_error(problems, s.curl("-X", "DELETE", s.base + "/query"), 405, "curl DELETE")
    case("unknown paths 404, writes 405, as JSON", problems)

    problems = []
    big = b"-- " + b"x" * 70000 + b"\nSOURCES OF (Iran supplied ShahedDrone);"
    expect_error(problems, s.request("POST", "/query", big, {"Content-Type": "text/plain"}), 413,
                 "70 kB body (limit 64 KiB)")
    expect_error(problems, s.request("POST", "/sparql", urllib.parse.urlencode({"query": big}).encode(),
                                     {"Content-Type": "application/x-www-form-urlencoded"}),
                 413, "70 kB form")
    if have_curl:
        expect_error(problems, s.curl("-H", "Content-Type: text/plain", "--data-binary", big.decode(),
                                      s.base + "/query"), 413, "curl 70 kB body")
        expect_error(problems, s.curl("-H", "Content-Type: text/plain", "-H",
                                      "Transfer-Encoding: chunked", "--data-binary", big.decode(),
                                      s.base + "/query"), 413, "curl chunked 70 kB body")
    # Just under the limit is fine: a long comment, then the statement.
    ok = b"-- " + b"x" * 60000 + b"\nSOURCES OF (Iran supplied ShahedDrone);"
    r = s.request("POST", "/query", ok, {"Content-Type": "text/plain"})
    expect(problems, r.status == 200, "60 kB body: %r" % r)
    # A form longer than cpp-httplib's own 8 KiB form limit still reaches us.
    form = urllib.parse.urlencode({"q": "-- " + "y" * 10000 + "\n" + STATEMENTS[1]}).encode()
    r = s.request("POST", "/query", form, {"Content-Type": "application/x-www-form-urlencoded"})
    expect(problems, r.status == 200, "10 kB form: %r" % r)
    case("request bodies over --max-request-bytes get 413", problems)

    problems = []
    for path in ["/health", "/query?q=MATCH", "/nosuch", "/sparql"]:
        r = s.get(path)
        expect(problems, r.headers.get("access-control-allow-origin") == "*",
               "GET %s: no Access-Control-Allow-Origin: *: %r" % (path, r.headers))
    for path in ["/sparql", "/query"]:
        r = s.request("OPTIONS", path, headers={
            "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        expect(problems, r.status in (200, 204), "OPTIONS %s: %r" % (path, r))
        methods = r.headers.get("access-control-allow-methods", "")
        allowed = r.headers.get("access-control-allow-headers", "").lower()
        expect(problems, all(m in methods for m in ("GET", "POST", "OPTIONS")),
               "OPTIONS %s: Allow-Methods %r" % (path, methods))
        expect(problems, "content-type" in allowed and "accept" in allowed,
               "OPTIONS %s: Allow-Headers %r" % (path, allowed))
        expect(problems, r.headers.get("access-control-allow-origin") == "*",
               "OPTIONS %s: no Allow-Origin" % path)
    if have_curl:
        r = s.curl("-X", "OPTIONS", "-H", "Origin: http://yasgui.example", "-H",
                   "Access-Control-Request-Method: POST", s.base + "/sparql")
        expect(problems, r.status == 204 and r.headers.get("access-control-allow-origin") == "*",
               "curl preflight: %r" % r)
    case("CORS headers on every response, OPTIONS preflight", problems)

    problems = []
    r = s.get("/sparql", unknown="1")
    if expect(problems, r.status == 200 and r.type() == "text/turtle", "service description: %r" % r):
        t = r.text()
        for want in ["sd:Service", "sd:endpoint <%s/sparql>" % s.base,
                     "sd:SPARQL11Query", "sd:resultFormat", "format:SPARQL_Results_JSON"]:
            expect(problems, want in t, "service description lacks %r:\n%s" % (want, t))
    q = "SELECT ?p WHERE { <%sIran> ?p ?o }" % KGE
    expect_error(problems, s.request("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"), 400,
                 "two queries")
    expect_error(problems, s.request("POST", "/sparql", q.encode(), {"Content-Type": "text/plain"}),
                 415, "query as text/plain")
    expect_error(problems, s.request("POST", "/sparql", q.encode(),
                                     {"Content-Type": "application/sparql-query; charset=UTF-16"}),
                 415, "query in UTF-16")
    expect_error(problems, s.request("POST", "/sparql", b"update=CLEAR+ALL",
                                     {"Content-Type": "application/x-www-form-urlencoded"}),
                 403, "SPARQL Update")
    expect_error(problems, s.request("POST", "/sparql", b"CLEAR ALL",
                                     {"Content-Type": "application/sparql-update"}), 403, "update body")
    expect_error(problems, s.get("/sparql", query=q, _headers={"Accept": "image/png"}), 406,
                 "Accept: image/png")
    case("/sparql protocol errors and the service description", problems)


def sparql_available(s):
    r = s.get("/sparql", query="ASK {}")
    if r.status == 501:
        return "the server answers 501 (%s)" % r.json().get("error")
    return None


def bindings(reply):
    return reply.json()["results"]["bindings"]


def sparql_cases(s, have_curl):
    skip = sparql_available(s)
    select = "SELECT ?what WHERE { <%sIran> ?p ?what }" % KGE
    names = ["SELECT: JSON results by default", "SELECT: XML, CSV and TSV results",
             "Accept negotiation and the format parameter", "ASK in JSON, XML, CSV",
             "CONSTRUCT as Turtle and N-Triples", "POST forms of the query, syntax errors",
             "default-graph-uri, named-graph-uri: documents, over FROM"]
    if skip:
        for name in names:
            case("/sparql " + name, [], skipped=skip)
        return

    problems = []
    r = s.get("/sparql", query=select)
    rows = []
    if expect(problems, r.status == 200 and r.type() == "application/sparql-results+json",
              "SELECT: %r" % r):
        body = r.json()
        expect(problems, body["head"]["vars"] == ["what"], "vars: %r" % body["head"])
        rows = bindings(r)
        expect(problems, rows and all(b["what"]["type"] in ("uri", "literal", "bnode", "triple")
                                      for b in rows), "bindings: %r" % rows[:5])
    case("/sparql " + names[0], problems)

    problems = []
    r = s.get("/sparql", query=select, _headers={"Accept": "application/sparql-results+xml"})
    if expect(problems, r.status == 200 and r.type() == "application/sparql-results+xml", "XML: %r" % r):
        root = ET.fromstring(r.body)
        results = root.findall("%sresults/%sresult" % (SRX, SRX))
        expect(problems, len(results) == len(rows), "XML: %d results, JSON %d" % (len(results), len(rows)))
    r = s.get("/sparql", query=select, _headers={"Accept": "text/csv"})
    if expect(problems, r.status == 200 and r.type() == "text/csv", "CSV: %r" % r):
        table = list(csv.reader(io.StringIO(r.text(), newline="")))
        expect(problems, table[0] == ["what"] and len(table) == len(rows) + 1, "CSV: %r" % table[:3])
        expect(problems, r.body.endswith(b"\r\n"), "CSV lines not CRLF")
    r = s.get("/sparql", query=select, _headers={"Accept": "text/tab-separated-values"})
    if expect(problems, r.status == 200 and r.type() == "text/tab-separated-values", "TSV: %r" % r):
        lines = r.text().split("\n")
        expect(problems, lines[0] == "?what" and len(lines) == len(rows) + 2, "TSV: %r" % lines[:3])
    case("/sparql " + names[1], problems)

    problems = []
    for accept, params, want in [
            (None, {}, "application/sparql-results+json"),
            ("*/*", {}, "application/sparql-results+json"),
            ("text/csv;q=0.5, text/tab-separated-values", {}, "text/tab-separated-values"),
            ("application/sparql-results+xml, application/sparql-results+json;q=0.9", {},
             "application/sparql-results+xml"),
            ("application/sparql-results+xml", {"format": "json"}, "application/sparql-results+json"),
            (None, {"output": "csv"}, "text/csv"),
            ("application/xml", {"unknown": "x"}, "application/sparql-results+xml")]:
        headers = {"Accept": accept} if accept else {}
        r = s.get("/sparql", query=select, _headers=headers, **params)
        expect(problems, r.status == 200 and r.type() == want,
               "Accept %r %r: expected %s, got %r" % (accept, params, want, r))
    if have_curl:
        r = s.curl("-G", "-H", "Accept: text/csv", "--data-urlencode", "query=" + select,
                   s.base + "/sparql")
        expect(problems, r.status == 200 and r.type() == "text/csv", "curl CSV: %r" % r)
    construct = "CONSTRUCT { <%sIran> ?p ?o } WHERE { <%sIran> ?p ?o }" % (KGE, KGE)
    expect_error(problems, s.get("/sparql", query=construct, _headers={"Accept": "text/csv"}), 406,
                 "CONSTRUCT with Accept: text/csv")
    expect_error(problems, s.get("/sparql", query=select, _headers={"Accept": "text/turtle"}), 406,
                 "SELECT with Accept: text/turtle")
    case("/sparql " + names[2], problems)

    problems = []
    ask = "ASK { <%sIran> ?p ?o }" % KGE
    r = s.get("/sparql", query=ask)
    expect(problems, r.status == 200 and r.json() == {"head": {}, "boolean": True}, "ASK: %r" % r)
    r = s.get("/sparql", query="ASK { <%sNobodyAtAll> ?p ?o }" % KGE)
    expect(problems, r.status == 200 and r.json().get("boolean") is False, "ASK false: %r" % r)
    r = s.get("/sparql", query=ask, _headers={"Accept": "application/sparql-results+xml"})
    expect(problems, r.status == 200 and ET.fromstring(r.body).find(SRX + "boolean").text == "true",
           "ASK XML: %r" % r)
    r = s.get("/sparql", query=ask, _headers={"Accept": "text/csv"})
    expect(problems, r.status == 200 and r.body == b"boolean\r\ntrue\r\n", "ASK CSV: %r" % r)
    case("/sparql " + names[3], problems)

    problems = []
    r = s.get("/sparql", query=construct, _headers={"Accept": "text/turtle"})
    expect(problems, r.status == 200 and r.type() == "text/turtle" and b"Iran" in r.body,
           "CONSTRUCT Turtle: %r" % r)
    r = s.get("/sparql", query=construct)
    expect(problems, r.status == 200 and r.type() == "text/turtle", "CONSTRUCT default: %r" % r)
    r = s.get("/sparql", query=construct, _headers={"Accept": "application/n-triples"})
    if expect(problems, r.status == 200 and r.type() == "application/n-triples", "N-Triples: %r" % r):
        lines = [l for l in r.text().split("\n") if l]
        expect(problems, lines and all(l.startswith("<%sIran> " % KGE) and l.endswith(" .")
                                       for l in lines), "N-Triples lines: %r" % lines[:3])
    if have_curl:
        r = s.curl("-G", "-H", "Accept: application/n-triples", "--data-urlencode",
                   "query=" + construct, s.base + "/sparql")
        expect(problems, r.status == 200 and r.type() == "application/n-triples", "curl NT: %r" % r)
    case("/sparql " + names[4], problems)

    problems = []
    want = s.get("/sparql", query=select).json()
    r = s.request("POST", "/sparql", select.encode(), {"Content-Type": "application/sparql-query"})
    expect(problems, r.status == 200 and r.json() == want, "POST direct: %r" % r)
    r = s.request("POST", "/sparql", urllib.parse.urlencode({"query": select}).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"})
    expect(problems, r.status == 200 and r.json() == want, "POST form: %r" % r)
    expect_error(problems, s.get("/sparql", query="SELECT ?x WHERE { ?x"), 400, "SPARQL syntax error")
    if have_curl:
        r = s.curl("-H", "Content-Type: application/sparql-query", "--data-binary", select,
                   s.base + "/sparql")
        expect(problems, r.status == 200 and r.json() == want, "curl POST: %r" % r)
    case("/sparql " + names[5], problems)

    # (Iran supplied ShahedDrone) has evidence in two documents, not in the third.
    problems = []
    atlantic, carnegie = KGD + "atlantic-council-2025", KGD + "carnegie-cgsr-commentary-2025"
    ask = "ASK { <%sIran> <%ssupplied> <%sShahedDrone> }" % (KGE, KGE, KGE)
    for graphs, want in [([atlantic], True), ([carnegie], False), ([carnegie, atlantic], True),
                         (["http://example.org/no-such-graph"], False)]:
        r = s.request("GET", "/sparql?" + urllib.parse.urlencode(
            [("query", ask)] + [("default-graph-uri", g) for g in graphs]))
        expect(problems, r.status == 200 and r.json().get("boolean") is want,
               "default-graph-uri %r: expected %r, got %r" % (graphs, want, r))
    graph_of = "SELECT ?g WHERE { GRAPH ?g { <%sIran> <%ssupplied> <%sShahedDrone> } }" % (
        KGE, KGE, KGE)
    r = s.request("POST", "/sparql?" + urllib.parse.urlencode(
        [("named-graph-uri", atlantic), ("named-graph-uri", carnegie)]), graph_of.encode(),
                  {"Content-Type": "application/sparql-query"})
    expect(problems, r.status == 200 and [b["g"]["value"] for b in bindings(r)] == [atlantic],
           "named-graph-uri: expected only %s: %r" % (atlantic, r))
    r = s.request("POST", "/sparql", urllib.parse.urlencode(
        [("query", graph_of), ("default-graph-uri", atlantic)]).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"})
    expect(problems, r.status == 200 and bindings(r) == [],
           "default-graph-uri alone leaves no named graph: %r" % r)
    from_carnegie = ask.replace("ASK", "ASK FROM <%s>" % carnegie)
    r = s.get("/sparql", query=from_carnegie)
    expect(problems, r.status == 200 and r.json().get("boolean") is False, "FROM: %r" % r)
    r = s.get("/sparql", query=from_carnegie, **{"default-graph-uri": atlantic})
    expect(problems, r.status == 200 and r.json().get("boolean") is True,
           "default-graph-uri must win over FROM: %r" % r)
    case("/sparql " + names[6], problems)


def concurrency_and_log_cases(s, kg, db, corpus):
    problems = []
    rdf = os.path.join(corpus, "..", "rdf", "drones.ttl")
    r = subprocess.run([kg, "import", "--db", db, "--doc", "server-test-drones", rdf],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if expect(problems, r.returncode == 0, "kg import while serving: " + r.stderr.decode()):
        deadline = time.monotonic() + 10
        documents = None
        while time.monotonic() < deadline:
            documents = s.get("/health").json().get("documents")
            if documents == 4:
                break
            time.sleep(0.2)
        expect(problems, documents == 4, "/health after an import: %r documents, expected 4" % documents)
    case("queries run while an import writes, and then see it", problems)

    problems = []
    with open(s.log) as f:
        lines = f.read().splitlines()
    expect(problems, len(lines) >= 20, "only %d access log lines" % len(lines))
    fields = [l.split(" ") for l in lines]
    expect(problems, all(len(f) == 7 and f[5].isdigit() and float(f[6]) >= 0 for f in fields),
           "malformed lines: %r" % [l for l, f in zip(lines, fields) if len(f) != 7][:3])
    expect(problems, any(f[1:5] == ["127.0.0.1", "GET", "/health", "200"] for f in fields),
           "no line for GET /health 200: %r" % lines[:3])
    expect(problems, any(f[2:5] == ["POST", "/query", "413"] for f in fields), "no 413 line")
    case("the access log has one line per request", problems)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "examples", "corpus"))
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    have_curl = shutil.which("curl") is not None
    if not have_curl:
        print("server_test: curl is not installed: the curl checks are skipped")
    work = tempfile.mkdtemp(prefix="kg-server-test-")
    server = None
    try:
        db = os.path.join(work, "db")
        r = subprocess.run([kg, "ingest", "--db", db, args.corpus], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        if r.returncode != 0:
            print("server_test: cannot ingest the corpus: " + r.stderr.decode())
            return 1
        server = Server(kg, db, work, "--max-request-bytes", "65536", "--threads", "4")
        case("the first line names the address", [] if server.first_line.endswith(
            "/ (read-only)\n") else ["first line: %r" % server.first_line])
        query_cases(server, kg, db, have_curl)
        http_cases(server, have_curl)
        sparql_cases(server, have_curl)
        concurrency_and_log_cases(server, kg, db, args.corpus)

        problems = []
        try:
            r = subprocess.run([kg, "serve", "--db", db, "--port", str(server.port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            expect(problems, r.returncode == 1 and b"cannot listen" in r.stderr,
                   "a second server on the same port: exit %d, %r" % (r.returncode, r.stderr))
            r = subprocess.run([kg, "serve", "--db", os.path.join(work, "nosuch"), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            expect(problems, r.returncode == 1 and r.stdout == b"", "no store: exit %d" % r.returncode)
        except subprocess.TimeoutExpired as e:
            problems.append("%s kept running (killed after 30 s)" % " ".join(e.cmd))
        case("a port in use or a missing store: exit 1 with a message", problems)

        problems = []
        rc, seconds, stderr = server.stop()
        server = None
        expect(problems, rc == 0, "exit code after SIGTERM: %r (stderr: %s)" % (rc, stderr[-500:]))
        expect(problems, seconds < 10, "took %.1f s to stop" % seconds)
        expect(problems, "stopped" in stderr, "no 'stopped' note: %r" % stderr[-500:])
        case("SIGTERM stops it promptly with exit 0", problems)

        problems = []
        everything = "MATCH ?s ?p ?o RETURN ?s, ?o;"
        server = Server(kg, db, work, "--max-rows", "2")
        expect_error(problems, server.get("/query", q=everything), 422, "row cap")
        if not sparql_available(server):
            expect_error(problems, server.get("/sparql", query="SELECT * WHERE { ?s ?p ?o }"), 422,
                         "SPARQL row cap")
        server.stop()
        # A timeout too short for any query.
        server = Server(kg, db, work, "--timeout", "0.000001")
        expect_error(problems, server.get("/query", q=everything), 504, "timeout")
        server.proc.send_signal(signal.SIGINT)
        rc = server.proc.wait(timeout=15)
        server = None
        expect(problems, rc == 0, "exit code after SIGINT: %r" % rc)
        case("row cap 422, timeout 504; SIGINT stops it with exit 0", problems)
    finally:
        if server is not None:
            server.stop()  # SIGTERM, then SIGKILL if it hangs
        shutil.rmtree(work, ignore_errors=True)
    print("server_test: %s" % ("every case held" if not FAILED else
                               "%d case(s) FAILED: %s" % (len(FAILED), ", ".join(FAILED))))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
