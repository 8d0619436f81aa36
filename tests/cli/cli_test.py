#!/usr/bin/env python3
"""The `kg` command line as a user runs it: output redirected to files and
pipes, parsed as JSON and CSV, under a terminal of a given width, bad
arguments and failing output.

    tests/cli/cli_test.py --kg build/cli/kg [--corpus examples/corpus]

Each case prints one line, "ok" or "FAILED" with what went wrong; exit 0 when
every case held. The cases are the findings of issue 19 (answers cut off,
machine-readable output that was not, I/O errors, the demo writing into the
user's store, kg trace guessing, import formats) and the browsing commands
(docs, show, entity, claims, stats).
"""
import argparse
import csv
import io
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile

FAILED = []


def run(cmd, env=None, stdin=None, stdout=subprocess.PIPE):
    e = dict(os.environ)
    e.pop("COLUMNS", None)
    if env:
        e.update(env)
    return subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, env=e,
                          input=stdin, timeout=120)


def out(r):
    return r.stdout.decode("utf-8", errors="replace") if r.stdout is not None else ""


def err(r):
    return r.stderr.decode("utf-8", errors="replace")


def case(name, problems, detail=""):
    if problems:
        FAILED.append(name)
        print("cli_test: %-68s FAILED" % name)
        for p in problems:
            print("    " + p)
        if detail:
            print("    --- output ---\n    " + detail[:3000].replace("\n", "\n    "))
    else:
        print("cli_test: %-68s ok" % name)


def expect_rc(r, rc, what):
    if r.returncode != rc:
        return ["%s: exit %d, expected %d (stderr: %s)" % (what, r.returncode, rc,
                                                          err(r).strip()[:400])]
    return []


def on_terminal(cmd, columns, env=None):
    """Runs cmd with stdout on a pseudo-terminal `columns` wide; returns its output."""
    import fcntl
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    e = dict(os.environ)
    e.pop("COLUMNS", None)
    if env:
        e.update(env)
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
                         env=e)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=30)
    os.close(master)
    return b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")


def max_line(text):
    return max((len(line) for line in text.splitlines()), default=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "examples", "corpus"))
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    work = tempfile.mkdtemp(prefix="kg-cli-test-")
    try:
        db = os.path.join(work, "db")
        r = run([kg, "ingest", "--db", db, args.corpus])
        if r.returncode != 0:
            print("cli_test: cannot ingest the corpus: " + err(r))
            return 1
        cases(kg, db, work, args.corpus)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("cli_test: %s" % ("every case held" if not FAILED else
                            "%d case(s) FAILED: %s" % (len(FAILED), ", ".join(FAILED))))
    return 1 if FAILED else 0


def cases(kg, db, work, corpus):
    q = [kg, "query", "--db", db]

    # --- answers whole where nobody reads a terminal --------------------
    sources = "SOURCES OF (NorthKorea supplies_munitions_to Russia);"
    path = os.path.join(work, "out.txt")
    with open(path, "wb") as f:
        r = run(q + [sources], stdout=f)
    text = open(path, encoding="utf-8").read()
    problems = expect_rc(r, 0, "kg query > file")
    if "…" in text:
        problems.append("a cell is cut with … in output to a file")
    if "doc:crink-alliance-article-2025 -> doc:wsj-crink-2025 -> UkrainianOfficials" not in text:
        problems.append("the whole chain is not in the file")
    case("query into a file: every cell whole", problems, text)

    r = run([kg, "trace", "--db", db, "half of Russia's munitions"])
    problems = expect_rc(r, 0, "kg trace | pipe")
    if "…" in out(r):
        problems.append("a tree line is cut with … in output to a pipe")
    if "The emerging CRINK alliance: A new challenge to US influence" not in out(r):
        problems.append("the document title is not whole")
    case("trace into a pipe: every line whole", problems, out(r))

    r = run(q + ["--width", "60", sources])
    problems = expect_rc(r, 0, "--width 60")
    if max_line(out(r)) > 60:
        problems.append("--width 60 printed a line of %d columns" % max_line(out(r)))
    if "…" not in out(r):
        problems.append("--width 60 cut nothing")
    r0 = run(q + ["--width", "0", sources])
    if "…" in out(r0):
        problems.append("--width 0 cut a cell")
    case("--width N cuts to N, --width 0 never cuts", problems, out(r))

    wide = on_terminal(q + [sources], 250)
    narrow = on_terminal(q + [sources], 80)
    env_cols = on_terminal(q + [sources], 80, env={"COLUMNS": "100"})
    problems = []
    if max_line(wide) <= 120:
        problems.append("a 250-column terminal got lines of at most %d columns" % max_line(wide))
    if max_line(wide) > 250:
        problems.append("a 250-column terminal got a line of %d columns" % max_line(wide))
    if max_line(narrow) > 80:
        problems.append("an 80-column terminal got a line of %d columns" % max_line(narrow))
    if max_line(env_cols) > 100 or max_line(env_cols) <= 80:
        problems.append("COLUMNS=100 gave lines of %d columns" % max_line(env_cols))
    case("on a terminal: its width, or $COLUMNS", problems, wide + narrow)

    # --- machine-readable output ----------------------------------------
    statements = ("SOURCES OF (Iran supplied ShahedDrone); "
                  "TRACE (Iran supplied ShahedDrone); "
                  "CONFLICTS ABOUT CRINK; SEARCH \"Shahed drones\"; "
                  "MATCH Tehran supplied ?what RETURN ?what, count(*) AS n GROUP BY ?what;")
    r = run(q + ["--format", "json", statements])
    problems = expect_rc(r, 0, "--format json")
    lines = [l for l in out(r).splitlines() if l.strip()]
    objs = []
    for i, line in enumerate(lines):
        try:
            objs.append(json.loads(line))
        except ValueError as e:
            problems.append("line %d is not JSON: %s" % (i + 1, e))
    if len(objs) != 5:
        problems.append("%d JSON lines for 5 statements" % len(objs))
    else:
        src, trace, conflicts, search, match = objs
        if not isinstance(src.get("counts", {}).get("supporting"), int):
            problems.append("SOURCES OF: no numeric counts.supporting: %s" % src.get("counts"))
        if "summary" not in src:
            problems.append("SOURCES OF: no summary")
        for row in src.get("rows", []):
            if not isinstance(row.get("evidence"), int):
                problems.append("SOURCES OF: evidence is not a number: %r" % row.get("evidence"))
            chains = row.get("chains")
            if not (isinstance(chains, list) and chains and all(isinstance(c, list) for c in chains)):
                problems.append("SOURCES OF: chains is not an array of arrays: %r" % chains)
        t = trace.get("trace", {})
        if t.get("kind") != "claim" or not isinstance(t.get("fields", {}).get("evidence"), int):
            problems.append("TRACE: the claim's evidence count is not a number: %r" %
                            t.get("fields"))
        spans = []

        def walk(n):
            if "span" in n.get("fields", {}):
                spans.append(n["fields"]["span"])
            for c in n.get("children", []):
                walk(c)
        walk(t)
        if not spans or not all(isinstance(s, list) and len(s) == 2 and
                                all(isinstance(x, int) for x in s) for s in spans):
            problems.append("TRACE: spans are not [start, end] numbers: %r" % spans)
        if not all(isinstance(row.get("n"), int) for row in match.get("rows", [])):
            problems.append("count(*) is not a number")
        if search.get("row_count") != len(search.get("rows", [])):
            problems.append("row_count disagrees with rows")
    case("--format json: one JSON object per statement and line", problems, out(r))

    r = run(q + ["--format", "csv", "SEARCH \"Shahed drones\"; "
                 "MATCH Tehran supplied ?what RETURN ?what;"])
    problems = expect_rc(r, 0, "--format csv")
    blocks = out(r).replace("\r\n", "\n").split("\n\n")
    blocks = [b for b in blocks if b.strip()]
    if len(blocks) != 2:
        problems.append("%d CSV tables for 2 statements (not set apart by an empty line)" %
                        len(blocks))
    else:
        first = list(csv.reader(io.StringIO(blocks[0])))
        second = list(csv.reader(io.StringIO(blocks[1])))
        if first[0][:2] != ["claim", "document"] or second[0] not in (["?what"], ["what"]):
            problems.append("headers: %r, %r" % (first[0], second[0]))
        if any(len(row) != len(first[0]) for row in first):
            problems.append("rows of the first table differ in width from its header")
    case("--format csv: several statements are separate tables", problems, out(r))

    json_commands = [
        ("kg docs", [kg, "docs", "--db", db, "--format", "json"]),
        ("kg show", [kg, "show", "--db", db, "doc:crink-alliance-article-2025", "--format", "json",
                     "--quote", "Shahed drones"]),
        ("kg entity", [kg, "entity", "--db", db, "Tehran", "--format", "json"]),
        ("kg claims", [kg, "claims", "--db", db, "Pyongyang", "--format", "json"]),
        ("kg stats", [kg, "stats", "--db", db, "--format", "json", "--storage"]),
        ("kg trace", [kg, "trace", "--db", db, "Iran supplied ShahedDrone", "--format", "json"]),
    ]
    problems = []
    for name, cmd in json_commands:
        r = run(cmd)
        problems += expect_rc(r, 0, name)
        try:
            json.loads(out(r))
        except ValueError as e:
            problems.append("%s --format json is not JSON: %s" % (name, e))
    case("every command's --format json parses", problems)

    # --- browsing ---------------------------------------------------------
    r = run([kg, "docs", "--db", db, "--format", "json"])
    problems = expect_rc(r, 0, "kg docs")
    docs = json.loads(out(r)) if r.returncode == 0 else {}
    ids = {d["document"]: d for d in docs.get("documents", [])}
    if ids.get("doc:crink-alliance-article-2025", {}).get("stored") is not True:
        problems.append("the stored article is not listed as stored (a JSON true)")
    if "doc:wsj-crink-2025" not in ids or ids["doc:wsj-crink-2025"]["stored"] is not False:
        problems.append("the cited-only WSJ report is not listed as cited only (a JSON false)")
    # kg docs and kg show count a document's claims alike, and with what the
    # document says about itself they add up to what ingest loaded.
    r2 = run([kg, "show", "--db", db, "doc:crink-alliance-article-2025", "--format", "json"])
    shown = json.loads(out(r2)) if r2.returncode == 0 else {}
    listed = ids.get("doc:crink-alliance-article-2025", {})
    if (shown.get("claims"), shown.get("evidence")) != (listed.get("claims"), listed.get("evidence")):
        problems.append("kg show says %s claims / %s evidence, kg docs %s / %s" % (
            shown.get("claims"), shown.get("evidence"), listed.get("claims"),
            listed.get("evidence")))
    total = sum(d["evidence"] + d["about itself"] for d in docs.get("documents", []))
    stats = json.loads(out(run([kg, "stats", "--db", db, "--format", "json"])))
    if total != stats["evidence"]:
        problems.append("kg docs accounts for %d pieces of evidence, the store has %d" %
                        (total, stats["evidence"]))
    if not isinstance(ids.get("doc:crink-alliance-article-2025", {}).get("claims"), int):
        problems.append("claims is not a number")
    case("kg docs: stored and cited-only documents", problems, out(r))

    r = run([kg, "show", "--db", db, "doc:crink-alliance-article-2025", "--around", "2284:2334",
             "--context", "40"])
    problems = expect_rc(r, 0, "kg show --around")
    if ">>>half of Russia’s munitions now come from Pyongyang<<<" not in out(r):
        problems.append("the span is not marked in the text around it")
    if "reports doc:wsj-crink-2025" not in out(r) and "doc:wsj-crink-2025" not in out(r):
        problems.append("the citation of the WSJ report is not listed")
    huge = run([kg, "show", "--db", db, "doc:crink-alliance-article-2025", "--around", "5:10",
                "--context", "18446744073709551615"])
    problems += expect_rc(huge, 0, "kg show --context 2^64-1")
    if ">>>mergi<<<ng CRINK" not in out(huge):
        problems.append("a huge --context does not give the whole text around the span: " +
                        out(huge)[:300])
    r2 = run([kg, "show", "--db", db, "doc:crink-aliance-article-2025"])
    problems += expect_rc(r2, 1, "kg show of a misspelt id")
    if "did you mean doc:crink-alliance-article-2025" not in err(r2):
        problems.append("no suggestion for a misspelt document id: " + err(r2))
    case("kg show: metadata, citations, text around a span", problems, out(r))

    r = run([kg, "entity", "--db", db, "Tehran"])
    problems = expect_rc(r, 0, "kg entity Tehran")
    if "entity Iran" not in out(r):
        problems.append("the alias Tehran does not show the entity Iran")
    rc = run([kg, "entity", "--db", db, "Tehran", "--format", "csv"])
    rows = list(csv.reader(io.StringIO(out(rc))))
    if not rows or rows[0][:2] != ["entity", "role"] or len({len(x) for x in rows}) != 1:
        problems.append("kg entity --format csv is not one CSV table: %r" % out(rc)[:200])
    rj = run([kg, "entity", "--db", db, "Tehran", "--format", "json"])
    if json.loads(out(rj)).get("entities", [{}])[0].get("entity") != "Iran":
        problems.append("kg entity --format json is not {name, entities: [...]}")
    r2 = run([kg, "entity", "--db", db, "Tehrann"])
    problems += expect_rc(r2, 1, "kg entity Tehrann")
    if "did you mean 'Tehran'" not in err(r2):
        problems.append("no suggestion for a misspelt entity: " + err(r2))
    case("kg entity: names, claims, suggestions", problems, out(r))

    # --- kg trace: claim or quote -----------------------------------------
    problems = []
    r = run([kg, "trace", "--db", db, "allegedly supplied Moscow"])
    problems += expect_rc(r, 0, "kg trace 'allegedly supplied Moscow' (words of a quote)")
    if "has allegedly supplied Moscow" not in out(r):
        problems.append("the quote's evidence is not traced")
    r = run([kg, "trace", "--db", db, "Iran supplied ShahedDrone"])
    problems += expect_rc(r, 0, "kg trace 'Iran supplied ShahedDrone' (a claim)")
    for words in ["no such phrase really", "Iran supplied", "", "a\nb"]:
        r = run([kg, "trace", "--db", db, words])
        problems += expect_rc(r, 1, "kg trace %r (neither a stored claim nor a quote)" % words)
        if "TRACE" in err(r):
            problems.append("the error shows a statement the user never typed: " + err(r))
    r = run([kg, "trace", "--db", db, "Iran suplied ShahedDrone"])
    problems += expect_rc(r, 1, "kg trace with a misspelt predicate")
    if "column 6" not in err(r) or "did you mean supplied" not in err(r):
        problems.append("the error does not point into what the user typed: " + err(r))
    case("kg trace: a claim, else words of a quote; errors in the user's text", problems)

    # --- reports --------------------------------------------------------------
    r = run([kg, "trace", "--db", db, "Iran supplied ShahedDrone", "--format", "md"])
    problems = expect_rc(r, 0, "--format md")
    for want in ["# Provenance of", "> Tehran has provided Moscow with Shahed drones",
                 "*claimed*", "**primary source**"]:
        if want not in out(r):
            problems.append("the Markdown report lacks %r" % want)
    case("kg trace --format md: a report to paste", problems, out(r))

    # --- one statement without its ';' --------------------------------------
    r = run(q + ["MATCH Tehran supplied ?what RETURN ?what"])
    problems = expect_rc(r, 0, "a statement without ';'")
    if "ShahedDrone" not in out(r):
        problems.append("no answer: " + out(r))
    r = run(q + ["MATCH Tehran suplied ?what RETURN ?what"])
    problems += expect_rc(r, 1, "a misspelt statement without ';'")
    if "1:14: unknown predicate 'suplied'" not in err(r) or "^" not in err(r):
        problems.append("the error is not at 1:14 with a caret: " + err(r))
    case("a single statement may omit its ';'; errors point at it", problems, err(r))

    # --- errors and exit codes --------------------------------------------
    problems = []
    r = run([kg, "--version"])
    problems += expect_rc(r, 0, "kg --version")
    if not out(r).startswith("kg "):
        problems.append("kg --version printed %r" % out(r))
    r = run([kg, "nosuch"])
    problems += expect_rc(r, 2, "kg nosuch")
    if "unknown command 'nosuch'" not in err(r):
        problems.append("kg nosuch said: " + err(r))
    r = run([kg, "--db", db, "nosuch"])
    if "unknown command 'nosuch'" not in err(r):
        problems.append("kg --db DIR nosuch said: " + err(r))
    r = run([kg, "qurey"])
    if "did you mean 'query'" not in err(r):
        problems.append("kg qurey said: " + err(r))
    r = run(q + ["-f", work])
    problems += expect_rc(r, 1, "kg query -f DIR")
    if "is a directory" not in err(r):
        problems.append("kg query -f DIR said: " + err(r))
    if os.path.exists("/dev/full"):
        with open("/dev/full", "wb") as full:
            r = run(q + [sources], stdout=full)
        problems += expect_rc(r, 1, "kg query > /dev/full")
        if "cannot write" not in err(r):
            problems.append("kg query > /dev/full said: " + err(r))
    case("--version, unknown commands, unreadable input, unwritable output", problems)

    # --- the demo never touches the user's store ------------------------
    before = run([kg, "export", "--db", db, "--format", "nq"])
    r = run([kg, "demo"], env={"KG_DB": db})
    problems = expect_rc(r, 0, "KG_DB=store kg demo")
    r2 = run([kg, "demo", "--db", db])
    problems += expect_rc(r2, 1, "kg demo --db STORE-WITH-DOCUMENTS")
    after = run([kg, "export", "--db", db, "--format", "nq"])
    if before.stdout != after.stdout:
        problems.append("the user's store changed")
    case("kg demo: a temporary store, never the user's", problems, out(r) + err(r2))

    # --- import: formats inferred, failures named ---------------------------
    nt = os.path.join(work, "data.nt")
    with open(nt, "w") as f:
        f.write('<http://x.org/a> <http://x.org/p> <http://x.org/b> .\n')
    bare = os.path.join(work, "data-without-extension")
    shutil.copy(nt, bare)
    ttl = os.path.join(work, "data.ttl")
    with open(ttl, "w") as f:
        f.write('@prefix x: <http://x.org/> .\nx:a x:p x:b .\n')
    idb = os.path.join(work, "idb")
    problems = []
    r = run([kg, "import", "--db", idb, nt])
    problems += expect_rc(r, 0, "kg import data.nt")
    r = run([kg, "import", "--db", idb, "--doc", "doc:bare", bare])
    problems += expect_rc(r, 0, "kg import --doc doc:bare FILE-WITHOUT-EXTENSION")
    r = run([kg, "export", "--db", idb, "--format", "nq", "--doc", "doc:bare"])
    problems += expect_rc(r, 0, "kg export --doc doc:bare")
    if "<http://x.org/a>" not in out(r):
        problems.append("the document imported as doc:bare is not exported")
    r = run([kg, "import", "--db", idb, ttl])
    problems += expect_rc(r, 0, "kg import data.ttl")
    if "as Turtle" not in out(r):
        problems.append("the summary does not say Turtle: " + out(r))
    r = run([kg, "export", "--db", idb, "--format", "nq", "--doc", "doc:data"])
    if "<http://x.org/a> <http://x.org/p> <http://x.org/b> <https://w3id.org/kg/doc/data> ." not in out(r):
        problems.append("the Turtle statement is not in doc:data: " + out(r))
    rdfxml = os.path.join(work, "data.rdf")
    with open(rdfxml, "w") as f:
        f.write('<rdf:RDF/>\n')
    r = run([kg, "import", "--db", idb, rdfxml])
    problems += expect_rc(r, 2, "kg import data.rdf")
    if "data.rdf" not in err(r):
        problems.append("the refusal of RDF/XML does not name the file: " + err(r))
    badttl = os.path.join(work, "bad.ttl")
    with open(badttl, "w") as f:
        f.write('@prefix x: <http://x.org/> .\nx:c x:p x:d ;\n  x:q "open .\n')
    r = run([kg, "import", "--db", idb, badttl])
    problems += expect_rc(r, 1, "kg import bad.ttl")
    if badttl + ":3:7: error: expected the end of the string" not in err(r):
        problems.append("the bad Turtle statement is not reported at its position: " + err(r))
    r = run([kg, "export", "--db", idb, "--format", "nq"])
    if "http://x.org/c" in out(r):
        problems.append("a statement of the bad Turtle file was loaded: " + out(r))
    partly = os.path.join(work, "partly-bad.nt")
    with open(partly, "w") as f:
        f.write('<http://x.org/c> <http://x.org/p> <http://x.org/d> .\nnot a triple\n')
    r = run([kg, "import", "--db", idb, "--keep-going", partly])
    if "loaded with bad lines skipped: " + partly not in out(r):
        problems.append("the summary does not name the file with skipped lines: " + out(r))
    if partly + ":2:" not in err(r):
        problems.append("the skipped line is not reported at its position: " + err(r))
    nodb = os.path.join(work, "never-created")
    r = run([kg, "import", "--db", nodb, os.path.join(work, "nothing-here.nt")])
    problems += expect_rc(r, 1, "kg import of a missing file")
    if os.path.exists(nodb):
        problems.append("a failed import of nothing left an empty store behind")
    missing = os.path.join(work, "missing.nt")
    r = run([kg, "import", "--db", idb, nt, missing])
    if missing not in out(r) + err(r) or "failed" not in out(r):
        problems.append("the summary does not name the failed file: " + out(r))
    case("kg import: format from the file, doc: ids, failed files named", problems)

    # --- a nanopublication of the W3C-style test suite, traced ---------------
    suite = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                          "..", "shared", "external", "provenance",
                                          "nanopub-testsuite", "valid", "plain", "aida1.trig"))
    if not os.path.exists(suite):
        print("cli_test: %-68s skipped (%s not found)" % ("kg trace of a nanopublication", suite))
    else:
        npdb = os.path.join(work, "npdb")
        problems = []
        r = run([kg, "import", "--db", npdb, "--lenient", suite])
        problems += expect_rc(r, 0, "kg import aida1.trig")
        r = run([kg, "trace", "--db", npdb,
                 "<http://example.org/nanopub-validator-example/assertion> "
                 "<http://purl.org/nanopub/x/asSentence> "
                 "<http://purl.org/aida/Malaria+is+transmitted+by+mosquitoes.>"])
        problems += expect_rc(r, 0, "kg trace of the nanopublication's assertion")
        want = ["evidence doc:http://example.org/nanopub-validator-example/ ",
                "date=2014-07-29",
                "document doc:http://dx.doi.org/10.3233/ISU-2010-0613 [primary source]"]
        for w in want:
            if w not in out(r):
                problems.append("the trace lacks %r" % w)
        case("kg trace of a nanopublication: to its primary source", problems, out(r) + err(r))

    # --- ingest: replacements and failures named -------------------------
    adb = os.path.join(work, "adb")
    doc = os.path.join(work, "note.kga")
    with open(doc, "w") as f:
        f.write("@doc note-1\n@title A note\n\nIran supplied drones.\n")
    bad = os.path.join(work, "bad.kga")
    with open(bad, "w") as f:
        f.write("no directive here\n")
    problems = []
    r = run([kg, "ingest", "--db", adb, doc])
    problems += expect_rc(r, 0, "kg ingest note")
    with open(doc, "w") as f:
        f.write("@doc note-1\n@title A note\n\nIran supplied many drones.\n")
    r = run([kg, "ingest", "--db", adb, doc, bad])
    if "replaced doc:note-1" not in out(r) or "the text changed" not in out(r):
        problems.append("re-ingesting a changed document does not say it replaced one: " + out(r))
    if bad not in out(r):
        problems.append("the summary does not name the failed file: " + out(r))
    case("kg ingest: replaced documents and failed files named", problems, out(r) + err(r))

    # --- kg upgrade: a format-2 store migrated in place -------------------
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kg", "fixtures",
                           "format2-sample")
    udb = os.path.join(work, "v2")
    shutil.copytree(fixture, udb)
    problems = []
    r = run(q[:2] + ["--db", udb, sources])
    problems += expect_rc(r, 1, "kg query on a format-2 store")
    if "kg upgrade --db " + udb not in err(r):
        problems.append("the refusal does not give the command that migrates: " + err(r))
    r = run([kg, "upgrade", "--db", udb])
    problems += expect_rc(r, 0, "kg upgrade")
    if "from format 2 to format 3: 5 document(s)" not in out(r):
        problems.append("the upgrade does not say what it did: " + out(r))
    if os.path.exists(udb + ".format2") or os.path.exists(udb + ".format3"):
        problems.append("the upgrade left the old or new store beside the store")
    r = run(q[:2] + ["--db", udb, sources])
    problems += expect_rc(r, 0, "kg query after the upgrade")
    if "2 independent source(s) support" not in out(r):
        problems.append("the upgraded store does not answer as the sample corpus does: " + out(r))
    r = run([kg, "check", "--db", udb])
    problems += expect_rc(r, 0, "kg check after the upgrade")
    r = run([kg, "upgrade", "--db", udb])
    problems += expect_rc(r, 1, "kg upgrade of a format-3 store")
    if "nothing to upgrade" not in err(r):
        problems.append("a second upgrade does not say there is nothing to do: " + err(r))
    case("kg upgrade: refused until migrated, then answers the same", problems, out(r) + err(r))


if __name__ == "__main__":
    sys.exit(main())
