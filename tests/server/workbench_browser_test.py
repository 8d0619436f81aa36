#!/usr/bin/env python3
"""The workbench in a real browser, used as a reader uses it: Debian's
Chromium, headless, driven by puppeteer-core (tests/server/browser/, pinned
by its package-lock.json and installed there with `npm ci`; it never
downloads a browser). browser/workbench.mjs searches from the keyboard for
"half of Russia's munitions", opens the claim, checks the root through the
WSJ report down to Ukrainian officials, clicks through to the document and
finds the highlighted quote; does the same for the Shahed drones claim (two
roots) and at 360 px; runs a query; and on the ingest page uploads a broken
file (each error shown under its line, nothing written) and a good one
(checked, loaded, its page opened). A screenshot of each page is kept in
--out for a person to look at.

    tests/server/workbench_browser_test.py --kg build/cli/kg --out DIR

Checked here: the store holds the good upload and not the broken one, the
write token is in no log line, and kg serve exits 0. Skips (exit 0, with a
message) without Chromium, or without Node.js >= 20 and npm, or when
`npm ci` cannot reach the registry.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from kg_serve import KgServe, write_token_file  # noqa: E402
from npm_packages import npm_ci  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BROWSER_DIR = os.path.join(HERE, "browser")


def chromium():
    # The binary itself, not Debian's wrapper script, when it is there.
    for path in ("/usr/lib/chromium/chromium",):
        if os.access(path, os.X_OK):
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--out", required=True, help="directory for the screenshots (PNG)")
    args = ap.parse_args()
    browser = chromium()
    if browser is None:
        print("workbench_browser_test: SKIPPED: no chromium on this machine "
              "(scripts/setup.sh installs it: apt-get install chromium)")
        return 0
    why_not = npm_ci(BROWSER_DIR, "workbench_browser_test")
    if why_not:
        print("workbench_browser_test: SKIPPED: puppeteer-core cannot run: " + why_not)
        return 0
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):  # only this run's screenshots stay
        if old.startswith("workbench-") and old.endswith(".png"):
            os.remove(os.path.join(args.out, old))
    failures = []
    with tempfile.TemporaryDirectory(prefix="kg-workbench-browser-") as work:
        db = os.path.join(work, "db")
        subprocess.run([args.kg, "ingest", "--db", db, os.path.join(ROOT, "examples", "corpus")],
                       check=True, stdout=subprocess.DEVNULL)
        token, token_file = write_token_file(work)
        log = os.path.join(work, "access.log")
        with KgServe(args.kg, db, "--write-token-file", token_file, "--access-log", log) as server:
            config = os.path.join(work, "config.json")
            with open(config, "w") as f:
                json.dump({"base": server.base, "token": token, "chromium": browser,
                           "out": args.out,
                           "broken": os.path.join(BROWSER_DIR, "upload-broken.kga"),
                           "good": os.path.join(BROWSER_DIR, "upload-good.kga")}, f)
            r = subprocess.run(["node", os.path.join(BROWSER_DIR, "workbench.mjs"), config],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
            output = r.stdout.decode(errors="replace")
            print(output, end="")
            if r.returncode != 0:
                failures.append("the browser session failed (exit %d)" % r.returncode)
            # What the store holds now: the corpus and the good upload only.
            def status(path):
                try:
                    with urllib.request.urlopen(server.base + path, timeout=30) as resp:
                        return resp.status
                except urllib.error.HTTPError as e:
                    return e.code
            if status("/ui/doc?id=upload-browser") != 200 or status("/ui/doc?id=upload-broken") != 404:
                failures.append("the store should hold the good upload and not the broken one")
            code = server.stop()
            if code != 0:
                failures.append("kg serve exited %s: %s" % (code, server.stderr()[-2000:]))
            for name, text in (("access log", open(log).read()), ("stderr", server.stderr())):
                if token in text:
                    failures.append("the write token appears in the server's " + name)
    shots = sorted(f for f in os.listdir(args.out) if f.endswith(".png"))
    for f in failures:
        print("workbench_browser_test: FAILED: " + f)
    if failures:
        return 1
    print("workbench_browser_test: ok; %d screenshots in %s" % (len(shots), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
