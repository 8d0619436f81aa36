#!/usr/bin/env python3
"""A reader querying in a loop while a writer ingests: no errors, and every
answer comes from one consistent snapshot.

    tests/reliability/concurrency_test.py --kg build/cli/kg [--docs N]

The writer is `kg ingest --bulk off --commit-log LOG` of N generated
documents (one atomic write each). While it runs, the reader starts one
`kg query` process after the other (each opens the store read-only while the
writer holds it), each running two statements:

  * no claim without evidence: claims whose OPTIONAL evidence is unbound;
  * documents with evidence, distinct claims and pieces of evidence.

Checked for every answer: the query succeeded; no claim lacks evidence; every
document holds the generator's number of evidence (no half document); the
number of documents never decreases from one answer to the next; and it is
at least the number of documents the writer had logged as committed before
that query started. After the writer ends: all N documents, and `kg check`.
Prints how many queries ran and the documents seen; exit 0 when all held.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test  # noqa: E402  (the corpus generator)

QUERY = ("MATCH ?c = (?s ?p ?o) OPTIONAL { ?c EVIDENCE ?e } WHERE NOT bound(?e) "
         "RETURN COUNT(*) AS bare;\n"
         "MATCH ?c = (?s ?p ?o), ?c EVIDENCE ?e RETURN COUNT(DISTINCT ?e.document) AS docs, "
         "COUNT(DISTINCT ?c) AS claims, COUNT(*) AS evidence;")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--docs", type=int, default=int(os.environ.get("KG_CONCURRENCY_DOCS", "200")))
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    crash_test.DOCS = args.docs
    work = tempfile.mkdtemp(prefix="kg-concurrency-")
    try:
        corpus = os.path.join(work, "corpus")
        crash_test.write_corpus(corpus)
        # Each generated document has CLAIMS pieces of evidence, plus one
        # for its `@cites` link (all but the first).
        db, log = os.path.join(work, "db"), os.path.join(work, "commits.log")
        # The store exists before the reader starts (its first document).
        r = subprocess.run([kg, "ingest", "--db", db, "--bulk", "off",
                            os.path.join(corpus, "vocab.kgv"), os.path.join(corpus, "crash-0.kga")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("first ingest failed: " + r.stderr)
        rest = [os.path.join(corpus, "crash-%d.kga" % d) for d in range(1, args.docs)]
        writer = subprocess.Popen([kg, "ingest", "--db", db, "--bulk", "off", "--commit-log", log]
                                  + rest, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        start = time.monotonic()
        queries, problems, last_docs, seen = 0, [], 0, set()
        while True:
            done = writer.poll() is not None
            committed = 1 + (len(open(log).read().split()) if os.path.exists(log) else 0)
            q = subprocess.run([kg, "query", "--db", db, "--format", "csv", QUERY],
                               capture_output=True, text=True)
            queries += 1
            if q.returncode != 0:
                problems.append("query %d failed: %s" % (queries, q.stderr.strip()[:300]))
                break
            lines = q.stdout.split()
            # "bare", N, "docs,claims,evidence", "D,C,E"
            bare = int(lines[1])
            docs, claims, evidence = (int(x) for x in lines[3].split(","))
            seen.add(docs)
            expected_evidence = docs * crash_test.CLAIMS + max(docs - 1, 0)
            if bare != 0:
                problems.append("query %d: %d claim(s) without evidence" % (queries, bare))
            if evidence != expected_evidence:
                problems.append("query %d: %d documents but %d evidence (expected %d): a partial "
                                "document" % (queries, docs, evidence, expected_evidence))
            if docs < last_docs:
                problems.append("query %d: documents went from %d down to %d" % (queries, last_docs, docs))
            if docs < committed:
                problems.append("query %d: %d documents visible, %d already reported committed" %
                                (queries, docs, committed))
            last_docs = docs
            if done or problems:
                break
        writer.wait()
        elapsed = time.monotonic() - start
        if writer.returncode != 0:
            problems.append("writer failed: " + writer.stderr.read()[-300:])
        r = subprocess.run([kg, "check", "--db", db], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append("kg check: " + (r.stdout + r.stderr)[-300:])
        if last_docs != args.docs and not problems:
            problems.append("after the writer: %d documents, expected %d" % (last_docs, args.docs))
        print("concurrency_test: %d queries in %.1f s while the writer ingested %d documents; "
              "%d distinct document counts seen; %d problem(s)" % (
                  queries, elapsed, args.docs, len(seen), len(problems)))
        for p in problems:
            print("concurrency_test: FAILED: " + p)
        sys.exit(1 if problems else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
