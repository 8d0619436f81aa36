#!/usr/bin/env python3
"""The W3C SPARQL 1.1 Protocol tests against `kg serve`.

    tests/server/protocol_test.py --kg build/cli/kg [--suite DIR]

Reads the 34 cases of sparql11/protocol/manifest.ttl (from
$KG_EXTERNAL_DIR, else ../shared/external/, under
w3c-sparql-tests/sparql/sparql11/protocol/), imports every data file the
cases name (ut:graphData) into one store, each as a document named by its
label, starts `kg serve --port 0` on it, and sends each case's requests as
the manifest writes them (method, path with its query string, headers,
body in its character encoding) with http.client. A response passes when
its status is in the expected classes (2xx, 3xx, 4xx), its result is of the
expected form (boolean, tabular, RDF) by its Content-Type, and an
expected boolean is the one answered.

The update cases (named *update*) do not apply: the service is read-only.
Each update request must still be refused with a 4xx JSON error, and the
store must be unchanged afterwards; the query that would check an update's
effect is not sent. Every other case applies, the dataset ones too: kg
serve takes default-graph-uri and named-graph-uri as documents (the data
files are imported under the labels the cases give them).

Prints one line per case (pass, FAILED, not applicable with the reason)
and "W3C SPARQL protocol: N/M applicable cases pass, K not applicable";
exit 0 when no case failed. Without the suite it prints SKIPPED and exits
0, as the other tests of third-party data do.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ beside the tests
from kg_serve import KgServe, run_kg  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SRX = "{http://www.w3.org/2005/sparql-results#}"

# ---------------------------------------------------------------------------
# The Turtle the manifest is written in: prefixes, IRIs, prefixed names,
# strings (short and long), booleans, 'a', blank-node property lists and
# collections. Terms: ("iri", s), ("bnode", n), ("lit", s, datatype), and a
# collection as a Python list.

TOKEN = re.compile(r'''
    (?P<skip>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<long>"""(?:[^"\\]|\\.|"(?!""))*""")
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<directive>@prefix|@base)
  | (?P<pname>(?:[A-Za-z][\w-]*)?:(?:[\w-](?:[\w.-]*[\w-])?)?)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[\[\]();,.])
''', re.X)
ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape(s):
    def one(m):
        e = m.group(1)
        return chr(int(e[1:], 16)) if e[0] in "uU" else ESCAPES[e]
    return re.sub(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)', one, s)


class Turtle:
    """Parses `text`; `triples` maps subject -> predicate -> [objects]."""

    def __init__(self, text, base):
        self.tokens, pos = [], 0
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m:
                raise ValueError("manifest: cannot read Turtle at %r" % text[pos:pos + 40])
            pos = m.end()
            if m.lastgroup != "skip":
                self.tokens.append((m.lastgroup, m.group()))
        self.i, self.base, self.prefixes, self.bnodes = 0, base, {}, 0
        self.triples = {}
        while self.i < len(self.tokens):
            if self.peek() == ("directive", "@prefix"):
                self.i += 1
                name = self.next()[1]
                self.prefixes[name[:-1]] = self.term()[1]
            else:
                subject = self.term()
                if self.peek() != ("punct", "."):
                    self.predicate_objects(subject)
            self.expect(".")

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def expect(self, punct):
        t = self.next()
        if t != ("punct", punct):
            raise ValueError("manifest: expected %r, found %r" % (punct, t))

    def add(self, s, p, o):
        self.triples.setdefault(s, {}).setdefault(p, []).append(o)

    def term(self):
        kind, text = self.next()
        if kind == "iri":
            return ("iri", urllib.parse.urljoin(self.base, text[1:-1]))
        if kind == "pname":
            prefix, local = text.split(":", 1)
            return ("iri", self.prefixes[prefix] + local)
        if kind == "long":
            return ("lit", unescape(text[3:-3]), XSD + "string")
        if kind == "str":
            return ("lit", unescape(text[1:-1]), XSD + "string")
        if kind == "word" and text in ("true", "false"):
            return ("lit", text, XSD + "boolean")
        if (kind, text) == ("punct", "["):
            self.bnodes += 1
            node = ("bnode", self.bnodes)
            if self.peek() != ("punct", "]"):
                self.predicate_objects(node)
            self.expect("]")
            return node
        if (kind, text) == ("punct", "("):
            items = []
            while self.peek() != ("punct", ")"):
                items.append(self.term())
            self.i += 1
            return items
        raise ValueError("manifest: unexpected %r" % text)

    def predicate_objects(self, subject):
        while True:
            if self.peek() == ("word", "a"):
                self.i += 1
                predicate = RDF + "type"
            else:
                predicate = self.term()[1]
            self.add(subject, predicate, self.term())
            while self.peek() == ("punct", ","):
                self.i += 1
                self.add(subject, predicate, self.term())
            while self.peek() == ("punct", ";"):
                self.i += 1
            if self.peek() in (("punct", "."), ("punct", "]"), (None, None)):
                return

    def one(self, node, predicate, default=None):
        values = self.triples.get(node, {}).get(predicate, [])
        return values[0] if values else default

    def all(self, node, predicate):
        return self.triples.get(node, {}).get(predicate, [])


def read_manifest(path):
    """The cases in manifest order: dicts of name, title, data, requests."""
    t = Turtle(open(path, encoding="utf-8").read(), "file://" + os.path.abspath(path))
    manifest = ("iri", "file://" + os.path.abspath(path))
    cases = []
    for entry in t.one(manifest, MF + "entries"):
        action = t.one(entry, MF + "action")
        requests = []
        for req in t.one(action, HT + "requests"):
            body = t.one(req, HT + "body")
            resp = t.one(req, HT + "resp")
            requests.append({
                "method": t.one(req, HT + "methodName")[1],
                "path": t.one(req, HT + "absolutePath")[1],
                "headers": [(t.one(h, HT + "fieldName")[1], t.one(h, HT + "fieldValue")[1])
                            for h in t.one(req, HT + "headers", [])],
                "body": None if body is None else t.one(body, CNT + "chars")[1],
                "encoding": None if body is None else t.one(body, CNT + "characterEncoding")[1],
                "status": sorted(s[1][len(HTS + "StatusCode"):][0] for s in t.all(resp, MF + "expectedStatus")),
                "format": (t.one(resp, MF + "expectedFormat") or (None, None))[1],
                "boolean": {None: None, "true": True, "false": False}[
                    (t.one(resp, MF + "expectedBoolean") or (None, None))[1]],
            })
        cases.append({
            "name": entry[1].rsplit("#", 1)[1],
            "title": t.one(entry, MF + "name")[1],
            "data": [(urllib.parse.urlparse(t.one(g, UT + "graph")[1]).path,
                      t.one(g, RDFS + "label")[1]) for g in t.all(entry, UT + "graphData")],
            "requests": requests,
        })
    return cases


# ---------------------------------------------------------------------------
# Requests and what their responses must be.

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def type(self):
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def __repr__(self):
        return "%d %s %r" % (self.status, self.type(), self.body[:200])


def send(port, req, path=None, body_text=None):
    """Sends `req` (path and body as the manifest has them unless given)."""
    text = req["body"] if body_text is None else body_text
    body = None if text is None else text.encode(req["encoding"] or "utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        # skip_accept_encoding: nothing but what the manifest gives (and Host).
        conn.putrequest(req["method"], path or req["path"], skip_accept_encoding=True)
        for name, value in req["headers"]:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples", "text/html",
             "application/xhtml+xml"}


def boolean_of(r):
    if r.type() == "application/sparql-results+json":
        return json.loads(r.body)["boolean"]
    node = ET.fromstring(r.body).find(SRX + "boolean")
    return {"true": True, "false": False}[node.text.strip()]


def judge(req, r):
    """Problems of response `r` to `req` against the manifest's expectations."""
    problems = []
    if str(r.status)[0] not in req["status"]:
        return ["status %d, expected %s" % (r.status, " or ".join(c + "xx" for c in req["status"])) +
                ": %r" % r]
    try:
        if req["format"] == "boolean":
            if r.type() not in BOOLEAN_TYPES:
                problems.append("a boolean result as %r" % r.type())
            elif req["boolean"] is not None and boolean_of(r) is not req["boolean"]:
                problems.append("boolean %r, expected %r" % (boolean_of(r), req["boolean"]))
        elif req["format"] == "tabular":
            if r.type() not in TABULAR_TYPES:
                problems.append("a tabular result as %r" % r.type())
            elif r.type() == "application/sparql-results+json":
                body = json.loads(r.body)
                if "vars" not in body["head"] or "bindings" not in body["results"]:
                    problems.append("not SPARQL JSON results: %r" % body)
            elif r.type() == "application/sparql-results+xml":
                if ET.fromstring(r.body).find(SRX + "results") is None:
                    problems.append("no <results>: %r" % r)
        elif req["format"] == "RDF":
            if r.type() not in RDF_TYPES:
                problems.append("an RDF graph as %r" % r.type())
            r.body.decode("utf-8")
    except (ValueError, KeyError, ET.ParseError, UnicodeDecodeError) as e:
        problems.append("unreadable %s result (%s): %r" % (req["format"], e, r))
    if str(r.status)[0] == "4":
        problems += json_error(r)
    return problems


def json_error(r):
    """kg serve answers every error with a JSON object {"error": ...}."""
    try:
        if r.type() == "application/json" and json.loads(r.body).get("error"):
            return []
    except ValueError:
        pass
    return ["the %d is not a JSON error: %r" % (r.status, r)]


def params_of(req):
    """The request's parameters: its URL's, and a form body's."""
    query = urllib.parse.urlsplit(req["path"]).query
    params = urllib.parse.parse_qsl(query, keep_blank_values=True)
    if dict(req["headers"]).get("content-type") == "application/x-www-form-urlencoded":
        params += urllib.parse.parse_qsl(req["body"] or "", keep_blank_values=True)
    return params


def run_case(case, port):
    """("pass" | "FAIL" | "n/a", detail)."""
    problems = []
    if "update" in case["name"]:
        statuses = []
        for req in case["requests"]:
            is_update = (case["name"].startswith("bad_") or
                         dict(req["headers"]).get("content-type") == "application/sparql-update" or
                         any(k == "update" for k, _ in params_of(req)))
            if not is_update:
                continue  # the query that would check the update's effect
            r = send(port, req)
            statuses.append(str(r.status))
            if str(r.status)[0] != "4":
                problems.append("an update answered %r; a read-only service must refuse it" % r)
            problems += json_error(r)
        if problems:
            return "FAIL", "; ".join(problems)
        return "n/a", "update: the service is read-only (refused: %s)" % ", ".join(statuses)
    for req in case["requests"]:
        problems += judge(req, send(port, req))
    return ("FAIL", "; ".join(problems)) if problems else ("pass", "")


def load_store(kg, db, suite, cases):
    """Imports every data file the cases name, once, as a document named by its label."""
    done = set()
    for case in cases:
        for path, label in case["data"]:
            if path not in done:
                run_kg(kg, "import", "--db", db, "--doc", label, path)
                done.add(path)
    if not done:  # kg serve needs a store
        run_kg(kg, "import", "--db", db, os.path.join(suite, "data1.nt"))
    return len(done)


def claims(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/health")
        return json.loads(conn.getresponse().read())["claims"]
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    external = os.environ.get("KG_EXTERNAL_DIR") or os.path.join(HERE, "..", "..", "..", "shared",
                                                                  "external")
    ap.add_argument("--suite", default=os.path.join(external, "w3c-sparql-tests", "sparql",
                                                    "sparql11", "protocol"))
    args = ap.parse_args()
    manifest = os.path.join(args.suite, "manifest.ttl")
    if not os.path.exists(manifest):
        print("protocol_test: SKIPPED (the W3C protocol tests are not at %s)" %
              os.path.normpath(manifest))
        return 0
    kg = os.path.abspath(args.kg)
    cases = read_manifest(manifest)
    work = tempfile.mkdtemp(prefix="kg-protocol-test-")
    results = []
    try:
        db = os.path.join(work, "db")
        files = load_store(kg, db, args.suite, cases)
        print("protocol_test: %d cases from %s; %d data file(s) imported" % (
            len(cases), os.path.normpath(manifest), files))
        with KgServe(kg, db, "--access-log", os.path.join(work, "access.log")) as server:
            before = claims(server.port)
            for case in cases:
                try:
                    outcome, detail = run_case(case, server.port)
                except (OSError, http.client.HTTPException) as e:
                    outcome, detail = "FAIL", "request failed: %s" % e
                results.append((case["name"], outcome))
                label = {"pass": "pass", "FAIL": "FAILED", "n/a": "not applicable"}[outcome]
                print("protocol_test: %-36s %s%s" % (case["name"], label,
                                                     ": " + detail if detail else ""))
            after = claims(server.port)
            if after != before:
                results.append(("store unchanged", "FAIL"))
                print("protocol_test: FAILED: the store had %d claims, now %d" % (before, after))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    applicable = [n for n, o in results if o != "n/a"]
    passed = [n for n, o in results if o == "pass"]
    failed = [n for n, o in results if o == "FAIL"]
    print("W3C SPARQL protocol: %d/%d applicable cases pass, %d not applicable" % (
        len(passed), len(applicable), len(results) - len(applicable)))
    if failed:
        print("protocol_test: FAILED: " + ", ".join(failed))
    if len(cases) != 34:
        print("protocol_test: FAILED: the manifest has %d cases, expected 34" % len(cases))
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
