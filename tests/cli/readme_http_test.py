#!/usr/bin/env python3
"""Runs the README's "Over HTTP" block as a user would after the tour: a store
of the sample corpus, `kg serve` in the background, curl asking the README's
two questions in SPARQL and in kg's language, then kill. Checks the answers
(UkrainianOfficials; 2 independent sources) and that the server exits.

    tests/cli/readme_http_test.py --kg build/cli/kg [--readme README.md]

The block runs in a scratch directory with /tmp/ paths pointing into it and
port 7878 replaced by a free one, so it can run beside anything else.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--readme", default=os.path.join(root, "README.md"))
    args = ap.parse_args()
    if shutil.which("curl") is None:
        print("readme_http_test: SKIPPED: curl is not installed")
        return 0
    readme = open(args.readme, encoding="utf-8").read()
    m = re.search(r"## Over HTTP: `kg serve`\n.*?```sh\n(.*?)```", readme, re.S)
    if not m:
        print("readme_http_test: FAILED: no ```sh block under '## Over HTTP'")
        return 1
    work = tempfile.mkdtemp(prefix="kg-http-")
    try:
        kg = os.path.abspath(args.kg)
        db = os.path.join(work, "kg.db")
        subprocess.run([kg, "ingest", "--db", db, os.path.join(root, "examples", "corpus")],
                       check=True, stdout=subprocess.DEVNULL)
        script = m.group(1).replace("/tmp/", work + "/").replace("7878", str(free_port()))
        script = re.sub(r"^kg=[^;\s]+", "kg=" + kg, script, count=1)
        r = subprocess.run(["bash", "-eu", "-c", script + "\nwait\n"], cwd=work,
                           capture_output=True, text=True, timeout=120)
        out = r.stdout
        problems = []
        if r.returncode != 0:
            problems.append("the block stopped with exit %d: %s" % (r.returncode, r.stderr[-2000:]))
        # SPARQL, CSV: the quote's source, then the count.
        if "https://w3id.org/kg/entity/UkrainianOfficials" not in out:
            problems.append("the SPARQL answer to the first question names no UkrainianOfficials")
        if not re.search(r"^n\r?\n2\r?$", out, re.M):
            problems.append("the SPARQL answer to the second question is not n=2")
        # kg's language, JSON: the same answers as `kg query --format json`.
        json_lines = [line for line in out.splitlines() if line.startswith("{")]
        if len(json_lines) != 2:
            problems.append("expected 2 JSON answers from /query, got %d" % len(json_lines))
        else:
            for statement, line in zip(["SOURCES OF \"half of Russia's munitions\";",
                                        "SOURCES OF (Iran supplied ShahedDrone);"], json_lines):
                cli = subprocess.run([kg, "query", "--db", db, "--format", "json", statement],
                                     capture_output=True, text=True, check=True).stdout.strip()
                if cli != line.strip():
                    problems.append("/query and kg query --format json differ for %s" % statement)
        log = open(os.path.join(work, "kg-serve.log"), encoding="utf-8").read()
        if "listening on http://127.0.0.1:" not in log:
            problems.append("the server's first line does not name its address: %r" % log[:200])
        for p in problems:
            print("readme_http_test: FAILED: " + p)
        if problems:
            print(out[-3000:])
            return 1
        print("readme_http_test: ok (%d lines of answers)" % len(out.splitlines()))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
