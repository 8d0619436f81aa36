#!/usr/bin/env python3
"""Kill -9 harness: every ingest path, killed at random moments, leaves each
document either fully present or absent, and keeps every document it had
reported as committed.

    tests/reliability/crash_test.py --kg build/cli/kg [--rounds N] [--seed S]

Each round runs the six ways of loading a corpus into a new store, each
killed with SIGKILL after a random delay drawn over the whole length of an
uninterrupted run of that path (measured first):

  ingest        `kg ingest --bulk off` of annotated documents (one atomic
                write per document)
  ingest-bulk   `kg ingest --bulk on`  (all or nothing)
  import        `kg import --format nq --bulk off` of the same corpus
                exported as N-Quads (one graph per document, each small
                enough to be one atomic write)
  import-bulk   `kg import --format nq --bulk on`  (all or nothing)
  import-plain  `kg import --format nq --bulk on` of plain RDF (no kg
                vocabulary: the bulk path's plain lane), one graph per
                document, against a reference imported with --bulk off
  import-trig   `kg import --format trig --bulk on` of the same plain RDF
                written as TriG (the plain lane, parsed on one thread)

Each run writes a --commit-log. After the kill the store is reopened and
  * `kg check` passes (every index, the statistics and the text index agree)
    and `kg verify` passes (every quote matches its document's text);
  * every document in the store exports (JSON lines: the document record and
    all its evidence) exactly as in a reference store loaded without a kill;
  * every document id in the commit log is in the store;
  * the bulk paths hold all documents or none.
A kill before the store existed counts as "absent" for every document.
Exit status 0 when every round held; prints one line per kill and a summary.
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

DOCS = 40
CLAIMS = 120
ENTITIES = 30
PLAIN_STATEMENTS = 1500
PREDICATES = ["supplies", "funds", "trains", "arms", "hosts"]
HEDGES = ["asserted", "reported", "claimed", "alleged", "estimated"]


def write_corpus(root):
    os.makedirs(root)
    with open(os.path.join(root, "vocab.kgv"), "w") as f:
        f.write("@type Country ; parent Agent\n")
        for p in PREDICATES:
            f.write("@predicate %s\n" % p)
        for e in range(ENTITIES):
            f.write("@entity E%d ; type Country ; alias Entity number %d\n" % (e, e))
    rng = random.Random(7)
    for d in range(DOCS):
        lines = ["@doc crash-%d" % d, "@title Crash test document %d" % d,
                 "@publisher Harness Press", "@date 2025-03"]
        if d > 0:
            lines.append("@cites doc:crash-%d" % (d - 1))
        for c in range(CLAIMS):
            s, o = rng.randrange(ENTITIES), rng.randrange(ENTITIES)
            p, h = rng.choice(PREDICATES), rng.choice(HEDGES)
            lines.append("In item %d the report says [[E%d %s E%d]]{#c%d} plainly." % (c, s, p, o, c))
            lines.append("@claim c%d: E%d %s E%d ; hedge %s" % (c, s, p, o, h))
        with open(os.path.join(root, "crash-%d.kga" % d), "w") as f:
            f.write("\n".join(lines) + "\n")


def write_plain_rdf(path):
    """Foreign RDF: DOCS graphs of PLAIN_STATEMENTS statements, some repeated."""
    rng = random.Random(11)
    with open(path, "w") as f:
        for d in range(DOCS):
            for i in range(PLAIN_STATEMENTS):
                s, o = rng.randrange(ENTITIES * 4), rng.randrange(ENTITIES * 4)
                obj = ('"value %d"@en' % o) if i % 5 == 0 else "<http://example.org/e/%d>" % o
                f.write("<http://example.org/e/%d> <http://example.org/p/%s> %s <http://example.org/graph/%d> .\n"
                        % (s, rng.choice(PREDICATES), obj, d))


def write_trig(nq_path, path):
    """The N-Quads of write_plain_rdf as TriG: one block per graph."""
    with open(nq_path) as f, open(path, "w") as out:
        graph = None
        for line in f:
            body, g = line.rstrip(" .\n").rsplit(" ", 1)
            if g != graph:
                if graph is not None:
                    out.write("}\n")
                out.write("%s {\n" % g)
                graph = g
            out.write("  %s .\n" % body)
        if graph is not None:
            out.write("}\n")


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def export_by_doc(kg, db):
    """document id -> sorted JSON lines of it; plus the other lines."""
    out = run([kg, "export", "--db", db, "--format", "jsonl"])
    if out.returncode != 0:
        raise RuntimeError("kg export failed: " + out.stderr)
    docs = collections.defaultdict(list)
    other = set()
    for line in out.stdout.splitlines():
        rec = json.loads(line)
        if rec.get("type") == "document":
            docs[rec["id"]].append(line)
        elif "document" in rec:
            docs[rec["document"]].append(line)
        else:
            other.add(line)
    return {k: sorted(v) for k, v in docs.items()}, other


def load_command(kg, mode, db, corpus, nq, log):
    if mode.startswith("ingest"):
        return [kg, "ingest", "--db", db, "--bulk", "on" if mode.endswith("bulk") else "off",
                "--commit-log", log, corpus]
    return [kg, "import", "--db", db, "--format", "trig" if mode == "import-trig" else "nq",
            "--bulk", "off" if mode == "import" else "on", "--commit-log", log, nq]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("KG_CRASH_ROUNDS", "3")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("KG_CRASH_SEED", "0")) or None)
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    print("crash_test: seed %d (KG_CRASH_SEED=%d reproduces the kill moments)" % (seed, seed))
    work = tempfile.mkdtemp(prefix="kg-crash-")
    try:
        corpus = os.path.join(work, "corpus")
        write_corpus(corpus)
        ref = os.path.join(work, "ref.db")
        r = run([kg, "ingest", "--db", ref, "--bulk", "off", corpus])
        if r.returncode != 0:
            sys.exit("reference ingest failed: " + r.stderr)
        nq = os.path.join(work, "corpus.nq")
        r = run([kg, "export", "--db", ref, "--format", "nq", "-o", nq])
        if r.returncode != 0:
            sys.exit("reference export failed: " + r.stderr)
        ref_docs, ref_other = export_by_doc(kg, ref)
        assert len(ref_docs) == DOCS, len(ref_docs)
        plain_nq = os.path.join(work, "plain.nq")
        write_plain_rdf(plain_nq)
        plain_ref = os.path.join(work, "plain-ref.db")
        r = run([kg, "import", "--db", plain_ref, "--format", "nq", "--bulk", "off", plain_nq])
        if r.returncode != 0:
            sys.exit("reference plain import failed: " + r.stderr)
        refs = {mode: (ref_docs, ref_other) for mode in ("ingest", "ingest-bulk", "import", "import-bulk")}
        refs["import-plain"] = export_by_doc(kg, plain_ref)
        assert len(refs["import-plain"][0]) == DOCS, len(refs["import-plain"][0])
        refs["import-trig"] = refs["import-plain"]
        plain_trig = os.path.join(work, "plain.trig")
        write_trig(plain_nq, plain_trig)
        inputs = {mode: nq for mode in refs}
        inputs["import-plain"] = plain_nq
        inputs["import-trig"] = plain_trig

        modes = ["ingest", "ingest-bulk", "import", "import-bulk", "import-plain", "import-trig"]
        length = {}
        for mode in modes:  # an uninterrupted run of each path: its length
            db, log = os.path.join(work, "full.db"), os.path.join(work, "full.log")
            ref_docs, ref_other = refs[mode]
            start = time.monotonic()
            r = run(load_command(kg, mode, db, corpus, inputs[mode], log))
            length[mode] = time.monotonic() - start
            if r.returncode != 0:
                sys.exit("%s failed without a kill: %s" % (mode, r.stderr))
            if mode in ("import-plain", "import-trig") and "plain RDF" not in r.stdout:
                sys.exit("%s did not take the plain lane: %s" % (mode, r.stdout))
            docs, _ = export_by_doc(kg, db)
            if docs != ref_docs:
                sys.exit("%s without a kill does not reproduce the reference store" % mode)
            committed = open(log).read().split()
            if set(committed) != set(ref_docs):
                sys.exit("%s: the commit log lists %d documents, expected %d" %
                         (mode, len(set(committed)), DOCS))
            shutil.rmtree(db)
            os.remove(log)
            print("crash_test: %-12s uninterrupted run %.2f s" % (mode, length[mode]))

        failures = 0
        tally = collections.Counter()
        for rnd in range(args.rounds):
            for mode in modes:
                db = os.path.join(work, "r%d-%s.db" % (rnd, mode))
                log = os.path.join(work, "r%d-%s.log" % (rnd, mode))
                delay = rng.uniform(0, length[mode])
                ref_docs, ref_other = refs[mode]
                proc = subprocess.Popen(load_command(kg, mode, db, corpus, inputs[mode], log),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay)
                killed = proc.poll() is None
                if killed:
                    proc.send_signal(signal.SIGKILL)
                proc.wait()
                problems = []
                committed = set(open(log).read().split()) if os.path.exists(log) else set()
                if os.path.exists(os.path.join(db, "CURRENT")):
                    for what in ("check", "verify"):
                        r = run([kg, what, "--db", db])
                        if r.returncode != 0:
                            problems.append("kg %s: %s" % (what, (r.stdout + r.stderr).strip()[-400:]))
                    docs, other = export_by_doc(kg, db)
                    for doc, lines in docs.items():
                        if ref_docs.get(doc) != lines:
                            problems.append("document %s is not as in the reference (%d lines)" %
                                            (doc, len(lines)))
                    if not other <= ref_other:
                        problems.append("entity records differ from the reference")
                else:
                    docs = {}
                missing = committed - set(docs)
                if missing:
                    problems.append("reported committed but absent: %s" % sorted(missing)[:5])
                if mode != "import" and mode != "ingest" and len(docs) not in (0, DOCS):
                    problems.append("bulk load left %d of %d documents" % (len(docs), DOCS))
                state = "complete" if len(docs) == DOCS else "empty" if not docs else "partial"
                tally[(mode, state)] += 1
                print("crash_test: round %d %-12s %s after %.3f s: %2d/%d documents present, "
                      "%2d reported committed%s" % (
                          rnd, mode, "killed" if killed else "finished", delay, len(docs), DOCS,
                          len(committed), "" if not problems else " -- FAILED: " + "; ".join(problems)))
                failures += bool(problems)
                shutil.rmtree(db, ignore_errors=True)
        kills = args.rounds * len(modes)
        print("crash_test: %d runs, %d failed; outcomes: %s" % (
            kills, failures, ", ".join("%s %s: %d" % (m, s, n) for (m, s), n in sorted(tally.items()))))
        sys.exit(1 if failures else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
