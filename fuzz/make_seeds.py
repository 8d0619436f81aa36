#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora from the repository's own fixtures.

Usage: make_seeds.py REPO_ROOT OUT_DIR
Writes OUT_DIR/<target>/<name> for the annotated, ntriples, brat and query
targets (the codec fuzzer writes its own seeds: KG_FUZZ_WRITE_SEEDS).
"""
import hashlib
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
out = pathlib.Path(sys.argv[2])


def put(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    (d / name).write_bytes(data)


# annotated: every .kga and .kgv the repository ships.
for pattern in ("examples/corpus/*", "tests/query/fixtures/*"):
    for f in sorted(root.glob(pattern)):
        if f.suffix in (".kga", ".kgv"):
            put("annotated", f.read_bytes(), f.name)

# query: every statement of the golden query files.
for f in sorted(root.glob("tests/query/golden/*.test")):
    lines = f.read_bytes().decode("utf-8", "surrogateescape").split("\n")
    i = 0
    while i < len(lines):
        head = lines[i]
        if head.startswith(("statement", "query", "explain")):
            stmt = []
            i += 1
            while i < len(lines) and lines[i].strip() and lines[i] != "----":
                stmt.append(lines[i])
                i += 1
            if stmt:
                put("query", ("\n".join(stmt) + "\n").encode("utf-8", "surrogateescape"))
        i += 1

# sparql: the queries of docs/sparql.md and of the SPARQL tests' raw strings,
# and the W3C SPARQL suites' queries when ../shared/external has them (read
# at run time, never committed).
doc = root / "docs/sparql.md"
if doc.exists():
    for block in re.findall(r"```sparql\n(.*?)```", doc.read_text(), re.S):
        put("sparql", block.encode())
test = root / "tests/query/sparql_test.cc"
if test.exists():
    for lit in re.findall(r'R"\((.*?)\)"', test.read_text(), re.S):
        put("sparql", lit.encode())
    for lit in re.findall(r'Run\(\s*"((?:[^"\\]|\\.)*)"', test.read_text()):
        put("sparql", lit.encode())
w3c = root.parent / "shared/external/w3c-sparql-tests/sparql"
for sub in ("sparql10", "sparql11"):
    for f in sorted((w3c / sub).glob("**/*.rq"))[:400]:
        put("sparql", f.read_bytes(), f"w3c-{sub}-{f.parent.name}-{f.name}")

# ntriples: the C string literals of the reader's tests that hold statements.
C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "0": "\0"}


def unescape(s):
    return re.sub(r'\\(.)', lambda m: C_ESCAPES.get(m.group(1), "\\" + m.group(1)), s)


test = root / "tests/ingest/ntriples_test.cc"
if test.exists():
    for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', test.read_text()):
        text = unescape(lit)
        if ("<" in text or "_:" in text) and ("." in text or "\n" in text):
            put("ntriples", text)

# turtle: the first byte picks Turtle (even) or TriG (odd). The repository's
# examples, the string literals of the reader's tests, and the W3C Turtle
# suite when ../shared/external has it (read at run time, never committed).
for f in sorted(root.glob("examples/rdf/*")):
    if f.suffix in (".ttl", ".trig"):
        put("turtle", (b"\x01" if f.suffix == ".trig" else b"\x00") + f.read_bytes(), f.name)
test = root / "tests/ingest/turtle_test.cc"
if test.exists():
    for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', test.read_text()):
        text = unescape(lit)
        if ("<" in text or ":" in text) and "." in text and len(text) > 10:
            put("turtle", "\x01" + text)
for f in sorted((root.parent / "shared/external/w3c-rdf-tests/rdf").glob("rdf1*/rdf-turtle/**/*.ttl")):
    put("turtle", b"\x00" + f.read_bytes(), f.parent.name + "-" + f.name)

# shacl: Turtle used as shapes and data at once. The example shapes, and the W3C SHACL Core suite when ../shared/external has it.
for f in sorted(root.glob("examples/shacl/*.ttl")):
    put("shacl", f.read_bytes(), f.name)
for f in sorted((root.parent / "shared/external/w3c-shacl-tests").glob("**/tests/core/**/*.ttl")):
    put("shacl", f.read_bytes(), f.parent.name + "-" + f.name)

# brat: .txt, NUL, .ann (written here, modelled on the importer's tests).
TXT = "\u00dcn\u00efcode \u2014 Pyongyang shipped shells to Moscow. North and South Korea.\n"
ANN = ("T1\tGPE 10 19\tPyongyang\n"
       "T2\tGPE 38 44\tMoscow\n"
       "T3\tTransfer 20 27\tshipped\n"
       "T4\tWeapon 28 34\tshells\n"
       "E1\tTransfer:T3 Giver-Arg:T1 Theme:T4 Recipient-Arg2:T2\n"
       "A1\tNegation E1\n"
       "A2\tConfidence E1 Likely\n"
       "T5\tGPE 46 51;62 67\tNorth Korea\n"
       "R1\tLocated Arg1:T1 Arg2:T5\t\n"
       "#1\tAnnotatorNotes R1\tcheck this\n"
       "N1\tReference T1 Wikidata:Q18808\tPyongyang\n"
       "*\tEquiv T1 T2\n")
put("brat", TXT + "\0" + ANN, "full")
SONY = "Sony formed a venture with Ericsson."
put("brat", SONY + "\0" + "T1\tOrganization 0 4\tSony\nT2\tOrganization 27 35\tEricsson\n"
    "R1\tPartner Arg1:T1 Arg2:T2\n", "relation")
put("brat", SONY + "\0" + "T1\tOrganization 0 4\tSony\nT1\tOrg 0 4\tSony\n", "duplicate")
put("brat", SONY + "\0" + "T1\tOrg 30 99\tx\n", "past-end")
put("brat", SONY + "\0" + "T1\tOrg 0 4\tSony\nA1\tConfidence T1 High\nM1\tNegation T1\n", "attrs")
put("brat", "entity GPE Country\nattribute Negation negated\nrelation Origin located_in\n",
    "mapping")

# factcheck: the ClaimReview and FEVER fixtures, behind their mode byte.
for pattern, mode in (("examples/factcheck/*.html", "h"), ("examples/factcheck/*.jsonl", "l"),
                      ("tests/ingest/fixtures/claimreview/*.html", "h"),
                      ("tests/ingest/fixtures/claimreview/*.jsonl", "l"),
                      ("tests/ingest/fixtures/claimreview/*.jsonld", "j"),
                      ("tests/ingest/fixtures/fever/*.jsonl", "f")):
    for f in sorted(root.glob(pattern)):
        put("factcheck", mode.encode() + f.read_bytes(), mode + "-" + f.name)
