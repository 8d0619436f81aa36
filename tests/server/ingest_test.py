#!/usr/bin/env python3
"""Uploads to `kg serve` (server/ingest_page.h), over HTTP as curl and a
browser send them: POST /ingest with a bearer token, and the workbench's
ingest page (a multipart form, a session cookie). Only a server started with
--write-token-file takes them; a bad file writes nothing and its errors come
with line and column; the token never shows in a response or a log; another
writer holding the store gets 409; a file over --max-upload-bytes gets 413.

    tests/server/ingest_test.py --kg build/cli/kg
"""
import argparse
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
from kg_serve import KgServe, run_kg, write_token_file  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
GOOD = open(os.path.join(HERE, "browser", "upload-good.kga"), "rb").read()
BROKEN = open(os.path.join(HERE, "browser", "upload-broken.kga"), "rb").read()

failures = []
bodies = []  # every response body, searched for the token at the end


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        failures.append(what)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(base, path, data=None, headers=None, method=None):
    """(status, headers, body text) of one request."""
    req = urllib.request.Request(base + path, data=data, headers=headers or {}, method=method)
    try:
        with OPENER.open(req, timeout=60) as r:
            status, hdrs, body = r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, hdrs, body = e.code, e.headers, e.read().decode("utf-8", "replace")
    bodies.append(body)
    return status, hdrs, body


def multipart(fields, files):
    """A multipart/form-data body and its Content-Type, as a browser's form sends."""
    boundary = "----kgtest" + os.urandom(8).hex()
    out = b""
    for name, value in fields:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" %
                (boundary, name, value)).encode()
    for name, filename, content in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)).encode()
        out += content + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


def documents(base):
    return json.loads(call(base, "/health")[2])["documents"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    args = ap.parse_args()
    kg = args.kg
    with tempfile.TemporaryDirectory(prefix="kg-ingest-test-") as work:
        db = os.path.join(work, "db")
        run_kg(kg, "ingest", "--db", db, os.path.join(ROOT, "examples", "corpus"))

        # Read-only unless started with a token.
        with KgServe(kg, db) as server:
            base = server.base
            status, _, body = call(base, "/ingest?name=a.kga", data=GOOD, method="POST")
            check(status == 403 and "read-only" in body, "a read-only server refuses /ingest (403)")
            status, _, body = call(base, "/ui/ingest", headers={"Accept": "text/html"})
            check(status == 403 and "read-only" in body, "a read-only server's ingest page says so")
            check(json.loads(call(base, "/health")[2])["read_only"] is True, "/health says read_only")
            check('href="/ui/ingest"' not in call(base, "/", headers={"Accept": "text/html"})[2],
                  "a read-only workbench has no Ingest link")

        # A short token is refused at start.
        short = os.path.join(work, "short")
        with open(short, "w") as f:
            f.write("abc\n")
        r = subprocess.run([kg, "serve", "--db", db, "--port", "0", "--write-token-file", short],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        check(r.returncode == 2 and b"shorter than 16" in r.stderr, "a token under 16 characters is refused")

        token, token_file = write_token_file(work)
        log = os.path.join(work, "access.log")
        with KgServe(kg, db, "--write-token-file", token_file, "--access-log", log,
                     "--max-upload-bytes", "4096") as server:
            base = server.base
            auth = {"Authorization": "Bearer " + token}
            check(json.loads(call(base, "/health")[2])["read_only"] is False,
                  "/health says writable")
            n0 = documents(base)

            # The API.
            status, hdrs, _ = call(base, "/ingest?name=a.kga", data=GOOD, method="POST")
            check(status == 401 and "Bearer" in (hdrs.get("WWW-Authenticate") or ""),
                  "no token: 401 with WWW-Authenticate")
            status, _, _ = call(base, "/ingest?name=a.kga", data=GOOD, method="POST",
                                headers={"Authorization": "Bearer " + token[:-1] + "x"})
            check(status == 401, "a wrong token: 401")
            status, _, body = call(base, "/ingest", data=GOOD, method="POST", headers=auth)
            check(status == 400 and "name" in body, "no file name: 400")
            status, _, body = call(base, "/ingest?name=a.docx", data=GOOD, method="POST", headers=auth)
            check(status == 415 and ".kga" in body, "an unknown kind of file: 415 naming the kinds")
            status, _, body = call(base, "/ingest?name=broken.kga", data=BROKEN, method="POST",
                                   headers=auth)
            report = json.loads(body)
            check(status == 422 and not report["written"] and
                  [(p["line"], p["column"]) for p in report["problems"]] == [(4, 17), (5, 8)],
                  "a broken file: 422, errors at 4:17 and 5:8, nothing written")
            check(documents(base) == n0, "the broken file left the store as it was")
            status, _, body = call(base, "/ingest?name=good.kga&check=1", data=GOOD, method="POST",
                                   headers=auth)
            report = json.loads(body)
            check(status == 200 and report["dry_run"] and report["documents"] == ["upload-browser"]
                  and documents(base) == n0, "check=1 checks and writes nothing")
            status, _, body = call(base, "/ingest?name=good.kga", data=GOOD, method="POST", headers=auth)
            report = json.loads(body)
            check(status == 200 and report["written"] and report["items"] == 1, "a good file loads")
            status, _, _ = call(base, "/ui/doc?id=upload-browser")
            check(status == 200 and documents(base) == n0 + 1,
                  "the loaded document is served at once (the follower caught up)")
            status, _, body = call(base, "/ingest?name=good.kga", data=GOOD, method="POST", headers=auth)
            check(json.loads(body)["replaced"] == ["upload-browser"], "loading it again replaces it")
            ttl = b"@prefix ex: <http://ex.org/> .\nex:a ex:p \"x\" .\n"
            status, _, body = call(base, "/ingest?name=notes.ttl", data=ttl, method="POST", headers=auth)
            check(status == 200 and json.loads(body)["documents"] == ["notes"], "Turtle loads as doc:notes")
            status, _, body = call(base, "/ingest?name=big.nt", data=b"#" * 5000, method="POST",
                                   headers=auth)
            check(status == 413 and "--max-upload-bytes" in body, "an upload over the limit: 413")

            # Another process holding the store's write lock: 409, nothing lost.
            with open(os.path.join(db, "LOCK"), "r+") as lock:
                fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                status, _, body = call(base, "/ingest?name=good.kga", data=GOOD, method="POST",
                                       headers=auth)
                check(status == 409 and "open for writing" in body,
                      "a store another process writes: 409 naming it")
                fcntl.lockf(lock, fcntl.LOCK_UN)

            # The page: a form with the token once, then a session cookie.
            html = {"Accept": "text/html"}
            check('href="/ui/ingest"' in call(base, "/", headers=html)[2], "the header links Ingest")
            body, ctype = multipart([("token", "not-the-token"), ("action", "load")],
                                    [("file", "good.kga", GOOD)])
            status, hdrs, page = call(base, "/ui/ingest", data=body, headers={"Content-Type": ctype})
            check(status == 403 and 'id="denied"' in page and not hdrs.get("Set-Cookie"),
                  "the page refuses a wrong token, no cookie")
            body, ctype = multipart([("token", token), ("action", "load")],
                                    [("file", "upload-broken.kga", BROKEN)])
            status, hdrs, page = call(base, "/ui/ingest", data=body, headers={"Content-Type": ctype})
            cookie = (hdrs.get("Set-Cookie") or "").split(";")[0]
            check(status == 422 and 'id="L4" class="bad"' in page and "nothing was written" in page,
                  "the page shows the broken file's error at line 4")
            flags = hdrs.get("Set-Cookie") or ""
            check(cookie.startswith("kg_write=") and token not in flags and "HttpOnly" in flags and
                  "SameSite=Strict" in flags, "the session cookie is HttpOnly, SameSite=Strict, not the token")
            body, ctype = multipart([("action", "check")], [("file", "again.kga",
                                                            GOOD.replace(b"upload-browser", b"upload-page"))])
            status, _, page = call(base, "/ui/ingest", data=body,
                                   headers={"Content-Type": ctype, "Cookie": cookie})
            held = page.split('name="upload" value="')[1].split('"')[0] if 'name="upload"' in page else ""
            check(status == 200 and held and documents(base) == n0 + 2, "the session checks a file and holds it")
            form = urllib.parse.urlencode({"upload": held, "action": "load"}).encode()
            status, _, _ = call(base, "/ui/ingest", data=form,
                                headers={"Cookie": cookie, "Origin": "http://evil.example"})
            check(status == 403, "a POST from another origin is refused")
            status, _, _ = call(base, "/ui/ingest", data=form, headers={"Cookie": "kg_write=00" * 16})
            check(status == 403, "a made-up session gets nothing")
            status, _, page = call(base, "/ui/ingest", data=form,
                                   headers={"Cookie": cookie, "Origin": server.base})
            check(status == 200 and "/ui/doc?id=upload-page" in page, "Load it loads the held file")
            status, _, _ = call(base, "/ui/ingest", data=form, headers={"Cookie": cookie})
            check(status == 410, "a held file loads once")
            status, hdrs, _ = call(base, "/ui/signout", data=b"", headers={"Cookie": cookie})
            check(status == 303 and "Max-Age=0" in (hdrs.get("Set-Cookie") or ""), "sign out clears the cookie")
            body, ctype = multipart([("action", "load")], [("file", "good.kga", GOOD)])
            status, _, _ = call(base, "/ui/ingest", data=body, headers={"Content-Type": ctype, "Cookie": cookie})
            check(status == 403, "after sign-out the old cookie writes nothing")

            check(server.stop() == 0, "kg serve exits 0")
            logs = open(log).read() + server.stderr()
            check(token not in logs, "the token is in no log line")
            check(not any(token in b for b in bodies), "the token is in no response")
        run_kg(kg, "check", "--db", db)
        print("ok: kg check passes on the store after the uploads")
    if failures:
        print("ingest_test: %d FAILED" % len(failures))
        return 1
    print("ingest_test: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
