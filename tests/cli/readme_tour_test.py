#!/usr/bin/env python3
"""Runs the README's "A short tour" block in order, as a user pasting it into a
shell on a fresh clone would, with every answer redirected to a file, and
checks that each command succeeds and that no answer is cut ("…").

    tests/cli/readme_tour_test.py --kg build/cli/kg [--readme README.md]

The block runs in a scratch directory (examples/ linked into it); `kg=...` is
set to the binary under test and /tmp/ paths point into the scratch directory,
so the test writes nothing outside it.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--readme", default=os.path.join(root, "README.md"))
    args = ap.parse_args()
    readme = open(args.readme, encoding="utf-8").read()
    m = re.search(r"## A short tour\n.*?```sh\n(.*?)```", readme, re.S)
    if not m:
        print("readme_tour_test: FAILED: no ```sh block under '## A short tour'")
        return 1
    block = m.group(1)
    if not block.startswith("kg="):
        print("readme_tour_test: FAILED: the tour does not start by setting kg=")
        return 1
    work = tempfile.mkdtemp(prefix="kg-tour-")
    try:
        os.symlink(os.path.join(root, "examples"), os.path.join(work, "examples"))
        script = block.replace("/tmp/", work + "/")
        # Third-party data (FEVER) is read from the checkout's ../shared/.
        script = script.replace("../shared/", os.path.normpath(os.path.join(root, "..", "shared")) + "/")
        script = re.sub(r"^kg=[^;\s]+", "kg=" + os.path.abspath(args.kg), script, count=1)
        env = dict(os.environ)
        env.pop("COLUMNS", None)
        env["KG_HISTORY"] = os.path.join(work, "history")
        log_path = os.path.join(work, "tour.log")
        with open(log_path, "wb") as log:
            r = subprocess.run(["bash", "-euo", "pipefail", "-x", "-c", script], cwd=work,
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env=env, timeout=600)
        text = open(log_path, encoding="utf-8", errors="replace").read()
        problems = []
        if r.returncode != 0:
            problems.append("the tour stopped with exit %d" % r.returncode)
        cut = [line for line in text.splitlines() if "…" in line]
        if cut:
            problems.append("%d line(s) of output cut with …, e.g. %r" % (len(cut), cut[0][:200]))
        print("readme_tour_test: %d lines of the tour ran, %d lines of output" %
              (len([l for l in block.splitlines() if l.strip()]), len(text.splitlines())))
        for p in problems:
            print("readme_tour_test: FAILED: " + p)
        if problems:
            print(text[-4000:])
            return 1
        print("readme_tour_test: ok")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
