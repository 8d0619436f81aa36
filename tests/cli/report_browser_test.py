#!/usr/bin/env python3
"""`kg trace --format html` as a reader sees it: the page rendered by headless
Chromium (Debian's chromium package), its text read back from the DOM and its
screenshot inspected.

    tests/cli/report_browser_test.py --kg build/cli/kg [--corpus examples/corpus]

Checks that the page is self-contained (no scripts, nothing loaded from
elsewhere), that the rendered text holds the quotes, hedges, document titles
and the primary sources, that links go to the documents' URLs, and that the
screenshot shows the picture: the claim box (blue) and the primary-source
boxes (yellow) are drawn. Skips with a message when Chromium is missing
(`scripts/setup.sh --tests` installs it).
"""
import argparse
import html as html_lib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), "unsupported PNG (depth %d, color %d)" % (
                depth, color)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        prev = line
    return width, height, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "examples", "corpus"))
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("report_browser_test: SKIPPED (no chromium; scripts/setup.sh --tests installs it)")
        return 0
    kg = os.path.abspath(args.kg)
    work = tempfile.mkdtemp(prefix="kg-report-test-")
    problems = []
    try:
        db = os.path.join(work, "db")
        r = subprocess.run([kg, "ingest", "--db", db, args.corpus], capture_output=True)
        assert r.returncode == 0, r.stderr
        page = os.path.join(work, "trace.html")
        with open(page, "wb") as f:
            r = subprocess.run([kg, "trace", "--db", db, "--format", "html",
                                "NorthKorea supplies_munitions_to Russia"], stdout=f,
                               stderr=subprocess.PIPE)
        if r.returncode != 0:
            problems.append("kg trace --format html: exit %d: %s" % (r.returncode, r.stderr))
        html = open(page, encoding="utf-8").read()
        if re.search(r"<script|<link|<img|<iframe|\bsrc=", html):
            problems.append("the page loads or runs something: it is not self-contained")
        if "<svg" not in html:
            problems.append("the page has no picture")

        flags = CHROMIUM_FLAGS + ["--user-data-dir=" + os.path.join(work, "profile")]
        dom = subprocess.run([chromium] + flags + ["--dump-dom", "file://" + page],
                             capture_output=True, timeout=120)
        text = re.sub(r"<[^>]+>", " ", dom.stdout.decode("utf-8", errors="replace"))
        text = re.sub(r"\s+", " ", html_lib.unescape(text))
        for want in ["Provenance of << NorthKorea supplies_munitions_to Russia >>",
                     "half of Russia’s munitions now come from Pyongyang",
                     "claimed", "The emerging CRINK alliance: A new challenge to US influence",
                     "The Wall Street Journal", "UkrainianOfficials", "primary source"]:
            if want not in text:
                problems.append("the rendered page does not show %r" % want)

        shot = os.path.join(work, "trace.png")
        subprocess.run([chromium] + flags + ["--window-size=1200,900", "--screenshot=" + shot,
                                             "file://" + page], capture_output=True, timeout=120)
        if not os.path.exists(shot):
            problems.append("Chromium wrote no screenshot")
        else:
            width, height, rows = read_png(shot)
            pixels = [p for row in rows for p in row]
            ink = sum(1 for p in pixels if sum(p) < 600)
            # The claim box's border (#3367d6) and the primary sources' fill (#fff3c4).
            blue = sum(1 for (r_, g, b) in pixels if b > 180 and r_ < 90 and 80 < g < 130)
            yellow = sum(1 for (r_, g, b) in pixels if r_ > 245 and 235 < g < 250 and 180 < b < 210)
            if (width, height) != (1200, 900):
                problems.append("screenshot is %dx%d" % (width, height))
            if ink < 2000:
                problems.append("the screenshot is nearly blank (%d dark pixels)" % ink)
            if blue < 100:
                problems.append("no claim box in the picture (%d blue pixels)" % blue)
            if yellow < 500:
                problems.append("no primary-source box in the picture (%d yellow pixels)" % yellow)
            print("report_browser_test: screenshot %dx%d, %d dark, %d blue, %d yellow pixels" %
                  (width, height, ink, blue, yellow))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for p in problems:
        print("report_browser_test: FAILED: " + p)
    print("report_browser_test: %s" % ("ok" if not problems else "FAILED"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
