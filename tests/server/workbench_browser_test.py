#!/usr/bin/env python3
"""The workbench in a real browser: Debian's Chromium, headless, loads the
search, claim, document and query pages from `kg serve`, and the DOM it
renders must show what a reader looks for (the independent sources, the
marked quote); a screenshot of each page, at 1100 px and at 360 px wide, is
kept as an artefact for a person to look at.

    tests/server/workbench_browser_test.py --kg build/cli/kg --out DIR

Skips (exit 0, with a message) where Chromium is not installed. The pages
need no JavaScript, so loading each URL is what clicking its link does;
driving clicks and the ingest form through puppeteer-core is not written
yet (issue 24).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kg_serve import KgServe  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_browser(browser, profile, args, url):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--user-data-dir=" + profile] + args + [url]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--out", required=True, help="directory for the screenshots (PNG)")
    args = ap.parse_args()
    browser = chromium()
    if browser is None:
        print("workbench_browser_test: SKIPPED: no chromium on this machine "
              "(apt-get install chromium)")
        return 0
    os.makedirs(args.out, exist_ok=True)
    failures = []
    with tempfile.TemporaryDirectory(prefix="kg-workbench-browser-") as work:
        db = os.path.join(work, "db")
        subprocess.run([args.kg, "ingest", "--db", db, os.path.join(ROOT, "examples", "corpus")],
                       check=True, stdout=subprocess.DEVNULL)
        profile = os.path.join(work, "profile")
        with KgServe(args.kg, db) as server:
            munitions = "/ui/claim?c=" + urllib.parse.quote("(NorthKorea supplies_munitions_to Russia)")
            shahed = "/ui/claim?c=" + urllib.parse.quote("(Iran supplied ShahedDrone)")
            pages = [
                ("search", "/ui/search?q=" + urllib.parse.quote_plus("half of Russia's munitions"),
                 ["NorthKorea supplies_munitions_to Russia", "half of Russia\u2019s munitions"]),
                ("claim-munitions", munitions,
                 ["2 independent source(s) support, 0 oppose", "UkrainianOfficials",
                  "<mark>half of Russia\u2019s munitions now come from Pyongyang</mark>"]),
                ("claim-shahed", shahed,
                 ["2 independent source(s) support", "doc:atlantic-council-2025", "doc:wsj-crink-2025"]),
                ("document", "/ui/doc?id=crink-alliance-article-2025",
                 ["half of Russia\u2019s munitions now come from Pyongyang</a></mark>"]),
                ("query", "/ui/query?q=" + urllib.parse.quote("MATCH Tehran supplied ?what RETURN ?what;"),
                 ["ShahedDrone", "row(s)"]),
            ]
            for name, path, expected in pages:
                url = server.base + path
                rc, dom = run_browser(browser, profile, ["--dump-dom"], url)
                for e in expected:
                    if e not in dom:
                        failures.append("%s: the rendered page lacks %r (chromium exit %d)" % (name, e, rc))
                for width, suffix in ((1100, ""), (360, "-360px")):
                    png = os.path.join(args.out, "workbench-%s%s.png" % (name, suffix))
                    run_browser(browser, profile, ["--window-size=%d,1400" % width, "--screenshot=" + png], url)
                    if not os.path.exists(png) or os.path.getsize(png) < 1000:
                        failures.append("%s: no screenshot at %d px" % (name, width))
            code = server.stop()
            if code != 0:
                failures.append("kg serve exited %s: %s" % (code, server.stderr()[-2000:]))
    for f in failures:
        print("workbench_browser_test: FAILED: " + f)
    if failures:
        return 1
    print("workbench_browser_test: %d pages rendered in %s; screenshots in %s" %
          (len(pages), os.path.basename(browser), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
