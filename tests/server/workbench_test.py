#!/usr/bin/env python3
"""The workbench pages of `kg serve` (server/workbench.h), fetched over HTTP
as a browser would: search for a phrase, open the claim, check its
independent sources, follow the link to the document and find the quote
marked there; the same for the Shahed claim; a document whose text is
hostile HTML comes out escaped.

    tests/server/workbench_test.py --kg build/cli/kg

The same reader's path in a real browser is workbench_browser_test.py;
uploads are ingest_test.py.
"""
import argparse
import html.parser
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kg_serve import KgServe  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

HOSTILE = """@doc hostile-2025
@title <script>alert("title")</script> & "quotes'
@publisher Evil "Press" <b>
Someone wrote that [[Iran supplied <script>alert(1)</script> drones "and" 'more' <img src=x onerror=alert(2)>]]{#h1} today.
@claim h1: Iran supplied Drones ; hedge claimed
"""


class Page(html.parser.HTMLParser):
    """The links (text, href), the marked texts and every tag of a page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.links, self.marks, self.tags = [], [], []
        self._href, self._link_text, self._mark_depth, self._mark_text = None, "", 0, ""
        self.text = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self._href, self._link_text = dict(attrs).get("href"), ""
        if tag == "mark":
            self._mark_depth += 1
            self._mark_text = ""

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._link_text, self._href))
            self._href = None
        if tag == "mark":
            self._mark_depth -= 1
            self.marks.append(self._mark_text)

    def handle_data(self, data):
        self.text += data
        if self._href is not None:
            self._link_text += data
        if self._mark_depth:
            self._mark_text += data


def get(base, path, accept="text/html"):
    req = urllib.request.Request(base + path, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def link(page, text_part):
    for text, href in page.links:
        if text_part in text:
            return href
    raise AssertionError("no link with %r among %r" % (text_part, page.links[:20]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    args = ap.parse_args()
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("workbench_test: FAILED: " + what)

    with tempfile.TemporaryDirectory(prefix="kg-workbench-") as work:
        db = os.path.join(work, "db")
        hostile = os.path.join(work, "hostile.kga")
        with open(hostile, "w", encoding="utf-8") as f:
            f.write(HOSTILE)
        subprocess.run([args.kg, "ingest", "--db", db, os.path.join(ROOT, "examples", "corpus"), hostile],
                       check=True, stdout=subprocess.DEVNULL)
        # A document imported as RDF: no text, statements about IRIs.
        rdf = os.path.join(work, "facts.nt")
        with open(rdf, "w") as f:
            f.write("<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .\n"
                    "<http://ex.org/c> <http://ex.org/q> <http://ex.org/a> .\n")
        subprocess.run([args.kg, "import", "--db", db, rdf], check=True, stdout=subprocess.DEVNULL)
        with KgServe(args.kg, db) as server:
            base = server.base
            # / is the search page for a browser, the JSON index otherwise.
            status, ctype, body = get(base, "/")
            check(status == 200 and ctype.startswith("text/html") and 'name="q"' in body,
                  "GET / with Accept: text/html is the search page")
            status, ctype, body = get(base, "/", accept="application/json")
            check(ctype.startswith("application/json") and '"service":"kg serve"' in body,
                  "GET / for JSON is still the service index")

            # Question 1: search the phrase, open the claim, one root via the WSJ.
            q = urllib.parse.quote_plus("half of Russia's munitions")
            status, _, body = get(base, "/ui/search?q=" + q)
            page = Page(body)
            check(status == 200, "search answers 200")
            claim_href = link(page, "NorthKorea supplies_munitions_to Russia")
            status, _, body = get(base, claim_href)
            page = Page(body)
            check(status == 200, "the claim page answers 200")
            check("2 independent source(s) support, 0 oppose" in page.text,
                  "the munitions claim has 2 independent sources")
            check(any("half of Russia\u2019s munitions now come from Pyongyang" == m for m in page.marks),
                  "the quote is marked inside its sentence")
            check("Ukrainian officials claim that half of Russia" in page.text,
                  "the quote is shown in its sentence")
            roots = body[body.index('id="roots"'):body.index("</ul>", body.index('id="roots"'))]
            check("doc:wsj-crink-2025" in roots and "UkrainianOfficials" in roots,
                  "one independent root is the WSJ report, down to Ukrainian officials")
            check("Permalink" in page.text and claim_href in body, "the claim page has its permalink")
            # Click through to the document: the quote is marked there.
            doc_href = link(page, "doc:crink-alliance-article-2025")
            status, _, body = get(base, doc_href)
            page = Page(body)
            check(status == 200 and "half of Russia\u2019s munitions now come from Pyongyang" in page.marks,
                  "the document page marks the quote")
            check(any(href == claim_href for _, href in page.links),
                  "the marked quote links back to its claim")

            # Question 2: the Shahed claim, two roots.
            status, _, body = get(base, "/ui/claim?c=" + urllib.parse.quote("(Iran supplied ShahedDrone)"))
            page = Page(body)
            check("2 independent source(s) support" in page.text, "the Shahed claim has 2 roots")
            roots = body[body.index('id="roots"'):body.index("</ul>", body.index('id="roots"'))]
            check("doc:atlantic-council-2025" in roots and "doc:wsj-crink-2025" in roots,
                  "the Shahed roots are the Atlantic Council and the WSJ")

            # The provenance graph is drawn on the page; the trace downloads.
            check("<svg" in body and 'aria-label="provenance tree"' in body, "the claim page draws the graph")
            c = urllib.parse.quote("(Iran supplied ShahedDrone)")
            for fmt, ctype_want, marker in (("md", "text/markdown", "Iran supplied ShahedDrone"),
                                            ("html", "text/html", "<svg"),
                                            ("json", "application/json", '"trace"'),
                                            ("dot", "text/vnd.graphviz", "digraph provenance")):
                status, ctype, text = get(base, "/ui/claim/download?c=%s&format=%s" % (c, fmt))
                check(status == 200 and ctype.startswith(ctype_want) and marker in text,
                      "the %s download of the trace" % fmt)
            status, _, _ = get(base, "/ui/claim/download?c=%s&format=pdf" % c)
            check(status == 400, "an unknown download format is a 400")

            # A misspelt name gets a suggestion.
            status, _, body = get(base, "/ui/search?q=Pyongyng")
            check('id="suggestion"' in body and ">Pyongyang</a>" in body, "a misspelt name is suggested")

            # Entity search resolves an alias.
            status, _, body = get(base, "/ui/search?q=Pyongyang")
            check("Claims about" in body and "NorthKorea" in body, "an alias finds the entity's claims")

            # Hostile text comes out escaped, on every page that shows it.
            for path in ["/ui/doc?id=hostile-2025",
                         "/ui/claim?c=" + urllib.parse.quote("(Iran supplied Drones)"),
                         "/ui/search?q=" + urllib.parse.quote_plus("Iran supplied <script>alert(1)</script>")]:
                status, _, body = get(base, path)
                page = Page(body)
                check("script" not in page.tags and "img" not in page.tags and "b" not in page.tags,
                      "no tag from the document's text on " + path)
                check("<script>alert" not in body, "no raw <script> on " + path)
            status, _, body = get(base, "/ui/doc?id=hostile-2025")
            check('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;' in body,
                  "the hostile title is shown as text")

            # The query page: kg's language and SPARQL, terms linked, EXPLAIN, time.
            status, _, body = get(base, "/ui/query?q=" + urllib.parse.quote(
                "MATCH ?c = (Iran supplied ?x), ?c EVIDENCE ?e RETURN ?c, ?e.document ORDER BY ?e.document;"))
            page = Page(body)
            check(status == 200 and 'id="time"' in body, "the query page answers with the time taken")
            check(any(href.startswith("/ui/claim?c=") for _, href in page.links) and
                  any(href == "/ui/doc?id=atlantic-council-2025" for _, href in page.links),
                  "query results link claims and documents to their pages")
            status, _, body = get(base, "/ui/query?lang=sparql&q=" + urllib.parse.quote(
                "SELECT ?what WHERE { kge:Iran kge:supplied ?what }"))
            check(status == 200 and "2 row(s)" in body and "ShahedDrone" in body, "SPARQL on the query page")
            status, _, body = get(base, "/ui/query?q=" + urllib.parse.quote("EXPLAIN MATCH Iran supplied ?x RETURN ?x;"))
            check(status == 200 and "scan" in body, "EXPLAIN on the query page")
            status, _, body = get(base, "/ui/query?q=" + urllib.parse.quote("MATCH Iran suplied ?x RETURN ?x;"))
            check(status == 400 and "unknown predicate" in body and 'role="alert"' in body,
                  "a query error is shown on the page")

            # An IRI is searched as a term; a document without text links
            # to its statements instead of listing them all.
            status, _, body = get(base, "/ui/search?q=" + urllib.parse.quote("<http://ex.org/a>"))
            page = Page(body)
            check(status == 200 and "Claims about" in body and
                  sum(href.startswith("/ui/claim?c=") for _, href in page.links) == 2,
                  "an IRI finds the claims it is the subject or object of")
            status, _, body = get(base, "/ui/doc?id=facts")
            page = Page(body)
            href = link(page, "its first 100 statements")
            check(status == 200 and "No stored text" in body and href.startswith("/ui/query?"),
                  "a document without text links to its statements")
            status, _, body = get(base, href)
            check(status == 200 and "2 row(s)" in body and "http://ex.org/c" in body,
                  "the link lists the document's statements (SPARQL)")

            # The transaction log, and a document's own history.
            status, _, body = get(base, "/ui/log")
            page = Page(body)
            check(status == 200 and "What changed" in body and
                  any(href == "/ui/doc?id=crink-alliance-article-2025" for _, href in page.links),
                  "the log page lists the writes with links to their documents")
            status, _, body = get(base, "/ui/doc?id=crink-alliance-article-2025")
            check("<h2>History</h2>" in body and ">write<" in body,
                  "a document's page shows its transactions")
            status, _, _ = get(base, "/ui/log?n=0")
            check(status == 400, "a bad n on the log page is a 400")

            # A document known only from citations: who cites it.
            status, _, body = get(base, "/ui/doc?id=wsj-crink-2025")
            check(status == 200 and "known only from citations" in body and "Cited by" in body and
                  "doc:crink-alliance-article-2025" in body, "a cited, unstored document has a page")

            # Errors are pages with the right status.
            status, ctype, body = get(base, "/ui/doc?id=no-such-doc")
            check(status == 404 and ctype.startswith("text/html"), "an unknown document is a 404 page")
            status, _, body = get(base, "/ui/claim?c=" + urllib.parse.quote("(Iran supplied Food)"))
            check(status == 404, "a claim that is not stored is a 404 page")
            status, _, body = get(base, "/ui/claim?c=" + urllib.parse.quote("(Iran"))
            check(status == 400 and 'role="alert"' in body, "a malformed claim is a 400 page")
            # A clean exit: no sanitizer report, no crash behind a page.
            code = server.stop()
            check(code == 0, "kg serve exits 0 on SIGTERM (got %s): %s" % (code, server.stderr()[-2000:]))
    if failures:
        return 1
    print("workbench_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
