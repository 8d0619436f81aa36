#!/usr/bin/env python3
"""Differential testing of kg's SPARQL against Oxigraph on real data.

    tests/differential/differential_test.py --kg build/cli/kg [--dataset NAME]...
        [--queries DIR] [--keep]

For each dataset of ../shared/external/rdf-datasets/ (LUBM lubm1, the
DBpedia 2015-10 sample, schema.org 30.0) the test imports the data into a
fresh kg store with `kg import`, starts `kg serve --port 0` on it and runs
every query of tests/differential/queries/<dataset>/*.rq over HTTP
(SPARQL JSON results; N-Triples for CONSTRUCT). The same triples go into an
in-memory Oxigraph Store (npm `oxigraph`, tests/differential/oxigraph_run.mjs,
run by Node.js beside kg), which answers the same queries. The answers are
compared (sparql_compare.py): SELECT as multisets of solutions (numbers of
one datatype by value; in order under a top-level ORDER BY), ASK as
booleans, CONSTRUCT as sets of triples, blank nodes up to a consistent
renaming.

One line per query (agree / DIFFER with a short diff), then
"differential vs Oxigraph: N/M queries agree". Exit 1 on any disagreement
not listed with its reason in tests/differential/known_differences.txt, and
on any query whose answer is empty on both sides (it would test nothing).

The whole of each dataset is loaded (about 100,000 triples at most). kg
imports the files as they are (LUBM with --keep-going: each file starts
with two lines whose subject is the relative IRI <>, not valid N-Triples,
which kg skips and reports: 30 lines); Oxigraph gets the same triples
decompressed by this script, the <> lines left out. schema.org: kg reads
the Turtle file, Oxigraph the N-Triples file of the same graph.

Oxigraph runs on Node.js >= 20; the package (tests/differential/
package-lock.json) is installed with `npm ci` into tests/differential/
node_modules when missing. Without node/npm or the external data the test
prints why and is skipped (exit 0).
"""
import argparse
import bz2
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from sparql_compare import Answer, compare, read_answer  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
from kg_serve import KgServe  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from npm_packages import npm_ci  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def external_dir():
    return os.environ.get("KG_EXTERNAL_DIR", os.path.join(REPO, "..", "shared", "external"))


# --- the datasets -----------------------------------------------------------

def numbered(folder, suffix):
    """Files of folder ending in suffix, in the numeric order of their names."""
    names = [n for n in os.listdir(folder) if n.endswith(suffix)]
    key = lambda n: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", n)]
    return [os.path.join(folder, n) for n in sorted(names, key=key)]


def lubm(ext):
    files = numbered(os.path.join(ext, "rdf-datasets", "lubm1"), ".nt.gz")
    return dict(kg_files=files, kg_flags=["--keep-going"], skipped_lines=30,
                ox_files=files, ox_open=gzip.open,
                ox_keep=lambda line: not line.startswith(b"<> "))


def dbpedia(ext):
    files = numbered(os.path.join(ext, "rdf-datasets", "dbpedia-2015-10-sample"), ".ttl.bz2")
    return dict(kg_files=files, kg_flags=[], skipped_lines=0,
                ox_files=files, ox_open=bz2.open, ox_keep=lambda line: True)


def schemaorg(ext):
    folder = os.path.join(ext, "rdf-datasets", "schemaorg-30.0")
    return dict(kg_files=[os.path.join(folder, "schemaorg-all-https.ttl")], kg_flags=[],
                skipped_lines=0, ox_files=[os.path.join(folder, "schemaorg-all-https.nt")],
                ox_open=open, ox_keep=lambda line: True)


DATASETS = {"lubm": lubm, "dbpedia": dbpedia, "schemaorg": schemaorg}


def write_oxigraph_input(spec, path):
    """Concatenates the dataset's files, decompressed and filtered, into path."""
    with open(path, "wb") as out:
        for f in spec["ox_files"]:
            with spec["ox_open"](f, "rb") as src:
                for line in src:
                    if spec["ox_keep"](line):
                        out.write(line if line.endswith(b"\n") else line + b"\n")


# --- queries ----------------------------------------------------------------

def strip_comment_lines(text):
    return "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))


PROLOGUE = re.compile(r"\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*", re.I)


def query_form(text):
    body = strip_comment_lines(text)
    while True:
        m = PROLOGUE.match(body)
        if not m:
            break
        body = body[m.end():]
    word = re.match(r"\s*([A-Za-z]+)", body)
    form = word.group(1).lower() if word else ""
    if form not in ("select", "ask", "construct"):
        raise ValueError("not a SELECT, ASK or CONSTRUCT query (%r)" % form)
    return form


def has_top_level_order_by(text):
    """ORDER BY outside every { } (strings skipped): the solution order is part
    of the answer."""
    body = strip_comment_lines(text)
    depth, i, n = 0, 0, len(body)
    while i < n:
        c = body[i]
        if c in "\"'":
            j = i + 1
            while j < n and body[j] != c:
                j += 2 if body[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and re.match(r"ORDER\s+BY\b", body[i:i + 20], re.I) and \
                (i == 0 or not (body[i - 1].isalnum() or body[i - 1] == "_")):
            return True
        i += 1
    return False


# "#@unordered ?var "SEP"" in a query: ?var is a GROUP_CONCAT with separator
# SEP, whose order SPARQL leaves open; its parts are compared sorted.
UNORDERED = re.compile(r'^\s*#@unordered\s+\?(\w+)\s+("(?:[^"\\]|\\.)*")', re.M)


def load_queries(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".rq"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            unordered = {m.group(1): json.loads(m.group(2)) for m in UNORDERED.finditer(text)}
            out.append(dict(name=name, query=text, form=query_form(text),
                            ordered=has_top_level_order_by(text), unordered=unordered))
    return out


def load_known(path):
    """dataset/query.rq -> reason, from known_differences.txt."""
    known = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    key, _, reason = line.partition(" ")
                    if not reason.strip():
                        raise ValueError("%s: %s has no reason" % (path, key))
                    known[key] = reason.strip()
    return known


# --- the engines ------------------------------------------------------------

def ensure_oxigraph():
    """None when Oxigraph can run, else why not (a failed npm ci raises)."""
    return npm_ci(HERE, "differential_test", fail_hard=True)


class Oxigraph:
    """oxigraph_run.mjs answering a list of queries over one N-Triples file,
    running while kg does its part (its output goes to files)."""

    def __init__(self, data, queries, work, name):
        self.forms = {q["name"]: q["form"] for q in queries}
        qfile = os.path.join(work, name + "-queries.json")
        with open(qfile, "w", encoding="utf-8") as f:
            json.dump([dict(name=q["name"], form=q["form"], query=q["query"]) for q in queries], f)
        self.out = os.path.join(work, name + "-oxigraph.out")
        self.err = os.path.join(work, name + "-oxigraph.err")
        with open(qfile, "rb") as stdin, open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                ["node", os.path.join(HERE, "oxigraph_run.mjs"), "run", data],
                stdin=stdin, stdout=out, stderr=err)

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def answers(self, timeout):
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError("Oxigraph took more than %d s" % timeout)
        if self.proc.returncode != 0:
            with open(self.err, encoding="utf-8", errors="replace") as f:
                raise RuntimeError("oxigraph_run.mjs failed (%d): %s" % (
                    self.proc.returncode, f.read()[-2000:]))
        with open(self.out, encoding="utf-8") as f:
            lines = f.read().split("\n")
        header, result = lines[0], {}
        for line in lines[1:]:
            if line.strip():
                d = json.loads(line)
                if "error" in d:
                    result[d["name"]] = Answer("error", d["error"])
                else:
                    result[d["name"]] = read_answer(self.forms[d["name"]], d["body"], d["ms"])
        return header, result


def ask(base, q):
    """Asks `kg serve` at `base` query `q` over the SPARQL protocol."""
    accept = ("application/n-triples" if q["form"] == "construct"
              else "application/sparql-results+json")
    req = urllib.request.Request(base + "/sparql", data=q["query"].encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": accept})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=90) as r:
            body = r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return Answer("error", "HTTP %d %s" % (e.code, e.read().decode(errors="replace")[:400]))
    except (urllib.error.URLError, OSError) as e:
        return Answer("error", "no answer: %s" % e)
    return read_answer(q["form"], body, round((time.monotonic() - start) * 1000))


# --- the run ----------------------------------------------------------------

def run_kg(name, spec, kg, work, queries):
    """Imports the dataset into a fresh store and asks kg serve each query:
    returns (kg import's summary line, {query name: Answer})."""
    db = os.path.join(work, name + ".db")
    r = subprocess.run([kg, "import", "--db", db] + spec["kg_flags"] + spec["kg_files"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    summary = r.stdout.decode(errors="replace").strip().split("\n")[0]
    # With lines skipped, kg import reports them and exits 1.
    expected_skips = "0 file(s) failed, %d line(s) skipped" % spec["skipped_lines"]
    if r.returncode != (1 if spec["skipped_lines"] else 0) or expected_skips not in summary:
        raise RuntimeError("kg import: exit %d, expected '%s': %s %s" % (
            r.returncode, expected_skips, summary, r.stderr.decode(errors="replace")[-2000:]))
    with KgServe(kg, db, "--timeout", "60",
                 "--access-log", os.path.join(work, name + "-access.log")) as server:
        return summary, {q["name"]: ask(server.base, q) for q in queries}


def run_dataset(name, spec, kg, work, known, query_dir):
    """Returns (agreeing, total, failures: list of str)."""
    queries = load_queries(os.path.join(query_dir, name))
    if not queries:
        return 0, 0, ["%s: no queries in %s" % (name, os.path.join(query_dir, name))]
    start = time.monotonic()
    data = os.path.join(work, name + ".nt")
    write_oxigraph_input(spec, data)
    ox = Oxigraph(data, queries, work, name)
    try:
        summary, kg_answers = run_kg(name, spec, kg, work, queries)
    except BaseException:
        ox.kill()
        raise
    header, ox_answers = ox.answers(timeout=300)
    print("differential_test: %s: %d queries; kg: %s; Oxigraph: %s" % (
        name, len(queries), summary.split(" in ")[0].replace("imported ", ""), header))

    agree, failures = 0, []
    for q in queries:
        key = "%s/%s" % (name, q["name"])
        a = kg_answers[q["name"]]
        b = ox_answers.get(q["name"]) or Answer("error", "no answer from oxigraph_run.mjs")
        diff = compare(q, a, b)
        timing = "kg %s ms, Oxigraph %s ms" % (a.ms, b.ms)
        if diff is None:
            agree += 1
            size = "%s" % a.value if a.kind == "ask" else "%d %s" % (
                a.size(), "triples" if a.kind == "construct" else "solutions")
            note = ""
            if a.kind != "ask" and a.size() == 0:
                failures.append(key + ": empty on both sides (it tests nothing)")
                note = "  EMPTY: the query tests nothing"
            elif key in known:
                note = "  (listed in known_differences.txt but agrees: remove the line)"
            print("  %-34s agree  (%s; %s)%s" % (q["name"], size, timing, note))
        else:
            status = "DIFFER (known: %s)" % known[key] if key in known else "DIFFER"
            if key not in known:
                failures.append(key)
            print("  %-34s %s  (%s)" % (q["name"], status, timing))
            for line in diff.split("\n"):
                print("      " + line)
    print("differential_test: %s: %d/%d agree in %.1f s" % (
        name, agree, len(queries), time.monotonic() - start))
    return agree, len(queries), failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kg", required=True, help="the kg binary")
    ap.add_argument("--dataset", action="append", choices=sorted(DATASETS),
                    help="only this dataset (repeatable; default: all)")
    ap.add_argument("--queries", default=os.path.join(HERE, "queries"),
                    help="folder of DATASET/*.rq (default: tests/differential/queries)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    ext = external_dir()
    if not os.path.isdir(os.path.join(ext, "rdf-datasets")):
        print("differential_test: SKIPPED (no %s/rdf-datasets: the external data is missing)" % ext)
        return 0
    try:
        why = ensure_oxigraph()
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("differential_test: FAILED %s" % e)
        return 1
    if why:
        print("differential_test: SKIPPED (%s)" % why)
        return 0
    known = load_known(os.path.join(HERE, "known_differences.txt"))
    work = tempfile.mkdtemp(prefix="kg-differential-")
    start = time.monotonic()
    agree = total = 0
    failures = []
    try:
        for name in args.dataset or ["lubm", "dbpedia", "schemaorg"]:
            try:
                a, t, f = run_dataset(name, DATASETS[name](ext), kg, work, known, args.queries)
            except RuntimeError as e:
                print("differential_test: %s: %s" % (name, e))
                a, t, f = 0, 0, ["%s: %s" % (name, str(e).split("\n")[0][:300])]
            agree, total, failures = agree + a, total + t, failures + f
    finally:
        if args.keep:
            print("differential_test: kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("differential vs Oxigraph: %d/%d queries agree (%.0f s)" % (
        agree, total, time.monotonic() - start))
    for f in failures:
        print("differential_test: FAILED " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
