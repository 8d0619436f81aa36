"""SPARQL answers read and compared, for tests/differential/differential_test.py.

An answer is read from SPARQL JSON results (SELECT, ASK) or N-Triples
(CONSTRUCT), the formats both kg serve and oxigraph_run.mjs give; compare()
says whether two answers agree:

- SELECT as multisets of solutions, by RDF term equality, except that two
  numeric literals of the same datatype are equal when their values are,
  to 15 significant digits ("2.50" = "2.5"; see number_value), and
  xsd:integer and the types derived from it count as one datatype (see
  literal); with a top-level ORDER BY also in sequence; a "#@unordered ?var
  SEP" line in the query makes ?var a GROUP_CONCAT whose parts are compared
  in sorted order;
- ASK as booleans;
- CONSTRUCT as sets of triples;
- blank nodes (in solutions or triples) up to a consistent one-to-one
  renaming (graph isomorphism; a solution is a node of its own).
"""
import collections
import decimal
import json
import math
import re
import struct

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGER_TYPES = {XSD + t for t in (
    "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
    "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "positiveInteger")}
DECIMAL_TYPES = INTEGER_TYPES | {XSD + "decimal"}
FLOAT_TYPES = {XSD + "double", XSD + "float"}


# --- terms ------------------------------------------------------------------
# A term is a tuple: ("iri", v), ("bnode", label), ("lit", lexical, datatype,
# lang), ("num", datatype, value) for a valid numeric literal (so numbers of
# one datatype compare by value), ("triple", s, p, o).

# Numbers are compared by value to 15 significant digits (xsd:float: as a
# 32-bit float, to 6 digits): the precision of decimal division is
# implementation-defined (XPath F&O op:numeric-divide; Oxigraph truncates at
# 18 digits, kg rounds), and a sum of doubles depends on the order of its terms.
DECIMAL_DIGITS = decimal.Context(prec=15)


def number_value(lexical, datatype):
    try:
        if datatype in DECIMAL_TYPES:
            d = decimal.Decimal(lexical.strip())
            if not d.is_finite():
                return None
            d = DECIMAL_DIGITS.plus(d).normalize()
            return "0" if d == 0 else format(d, "f")
        v = float({"INF": "inf", "-INF": "-inf", "+INF": "inf"}.get(lexical.strip(), lexical))
        if math.isnan(v):
            return "NaN"
        if datatype == XSD + "float":  # the nearest float, then its shortest digits
            v = struct.unpack("f", struct.pack("f", v))[0]
            return format(v, ".6g")
        return format(v, ".15g")
    except (decimal.InvalidOperation, ValueError, OverflowError):
        return None


def literal(lexical, datatype=None, lang=None):
    if lang:
        return ("lit", lexical, RDF_LANGSTRING, lang.lower())
    datatype = datatype or XSD_STRING
    if datatype in INTEGER_TYPES:
        # Oxigraph (0.5) stores a literal of a type derived from xsd:integer
        # (the DBpedia sample's xsd:nonNegativeInteger) as an xsd:integer, so
        # the integer types count as one here.
        datatype = XSD + "integer"
    if datatype in DECIMAL_TYPES or datatype in FLOAT_TYPES:
        v = number_value(lexical, datatype)
        if v is not None:
            return ("num", datatype, v)
    return ("lit", lexical, datatype, "")


def json_term(t):
    kind = t.get("type")
    if kind == "uri":
        return ("iri", t["value"])
    if kind == "bnode":
        return ("bnode", t["value"])
    if kind in ("literal", "typed-literal"):
        return literal(t["value"], t.get("datatype"), t.get("xml:lang"))
    if kind == "triple":
        v = t["value"]
        return ("triple", json_term(v["subject"]), json_term(v["predicate"]),
                json_term(v["object"]))
    raise ValueError("unknown term type %r" % kind)


def show(t):
    if t[0] == "iri":
        return "<%s>" % t[1]
    if t[0] == "bnode":
        return "_:" + t[1]
    if t[0] == "num":
        return "%s^^%s" % (t[2], t[1].replace(XSD, "xsd:"))
    if t[0] == "lit":
        s = json.dumps(t[1], ensure_ascii=False)
        if len(s) > 60:
            s = s[:57] + '..."'
        if t[3]:
            return s + "@" + t[3]
        return s if t[2] == XSD_STRING else s + "^^" + t[2].replace(XSD, "xsd:")
    if t[0] == "triple":
        return "<<( %s %s %s )>>" % (show(t[1]), show(t[2]), show(t[3]))
    return repr(t)


# One N-Triples term: "<<(" opening a triple term, an IRI, a blank node, or a
# literal with its datatype or language tag.
NT_TERM = re.compile(r'''\s*(?:(<<\()|<([^>]*)>|_:([^\s()<>"]+)|'''
                     r'''"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?)''')
NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
                  "\\": "\\"}


def unescape(s):
    return NT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16))
                         if (m.group(1) or m.group(2)) else SIMPLE_ESCAPES[m.group(3)], s)


def nt_term(line, pos):
    """The N-Triples term at line[pos:] -> (term, end)."""
    m = NT_TERM.match(line, pos)
    if not m:
        raise ValueError("bad N-Triples term at %d: %r" % (pos, line[pos:pos + 60]))
    if m.group(2) is not None:
        return ("iri", unescape(m.group(2))), m.end()
    if m.group(3) is not None:
        return ("bnode", m.group(3)), m.end()
    if m.group(1):
        s, pos = nt_term(line, m.end())
        p, pos = nt_term(line, pos)
        o, pos = nt_term(line, pos)
        close = re.compile(r"\s*\)>>").match(line, pos)
        if not close:
            raise ValueError("unclosed triple term: %r" % line)
        return ("triple", s, p, o), close.end()
    return literal(unescape(m.group(4)), m.group(5), m.group(6)), m.end()


def parse_ntriples(text):
    triples = set()
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        s, pos = nt_term(line, 0)
        p, pos = nt_term(line, pos)
        o, pos = nt_term(line, pos)
        if not re.match(r"\s*\.\s*$", line[pos:]):
            raise ValueError("expected '.' at the end of %r" % line)
        triples.add((s, p, o))
    return triples


# --- answers ----------------------------------------------------------------

class Answer:
    """One engine's answer to one query: kind "select" (rows: list of dicts
    var -> term), "ask" (boolean), "construct" (triples: set), or "error"."""

    def __init__(self, kind, value, ms=None):
        self.kind, self.value, self.ms = kind, value, ms

    def size(self):
        return 1 if self.kind == "ask" else len(self.value)


def read_answer(form, body, ms=None):
    try:
        if form == "construct":
            return Answer("construct", parse_ntriples(body), ms)
        doc = json.loads(body)
        if form == "ask":
            if "boolean" not in doc:
                return Answer("error", "no boolean in %r" % body[:200])
            return Answer("ask", bool(doc["boolean"]), ms)
        rows = [{v: json_term(t) for v, t in b.items()} for b in doc["results"]["bindings"]]
        return Answer("select", rows, ms)
    except (ValueError, KeyError, TypeError) as e:
        return Answer("error", "unreadable answer (%s): %r" % (e, body[:300]))


def blank_nodes(term, out):
    if term[0] == "bnode":
        out.add(term)
    elif term[0] == "triple":
        for t in term[1:]:
            blank_nodes(t, out)


def as_graph(answer):
    """A SELECT answer as triples, each solution a node ("row", i) of its own."""
    if answer.kind == "construct":
        return list(answer.value)
    triples = []
    for i, row in enumerate(answer.value):
        node = ("row", str(i))
        triples.append((node, ("iri", "row"), ("iri", "row")))
        triples.extend((node, ("var", v), t) for v, t in row.items())
    return triples


def isomorphic(ga, gb):
    """Whether the two lists of triples are equal up to a one-to-one renaming
    of blank nodes and row nodes: colour refinement, then backtracking over
    the classes it cannot split."""
    if len(ga) != len(gb):
        return False

    def nodes(g):
        out = set()
        for tr in g:
            for t in tr:
                if t[0] == "row":
                    out.add(t)
                else:
                    blank_nodes(t, out)
        return out

    na, nb = nodes(ga), nodes(gb)
    if len(na) != len(nb):
        return False

    def sub(t, colour):
        if t in colour:
            return ("c", colour[t])
        if t[0] == "triple":
            return ("triple",) + tuple(sub(x, colour) for x in t[1:])
        return t

    def step(g, colour):
        sig = {n: [colour[n]] for n in colour}
        for tr in g:
            c = tuple(sub(t, colour) for t in tr)
            for pos, t in enumerate(tr):
                inner = {t} if t[0] == "row" else set()
                blank_nodes(t, inner)
                for n in inner:
                    sig[n].append((pos, c))
        return {n: hash(repr((s[0], sorted(map(repr, s[1:]))))) for n, s in sig.items()}

    def refine(ca, cb):
        # Both sides in step, so that equal colours mean the same on each.
        while True:
            na, nb = step(ga, ca), step(gb, cb)
            if len(set(na.values()) | set(nb.values())) == len(set(ca.values()) | set(cb.values())):
                return na, nb
            ca, cb = na, nb

    def canon(g, colour):
        return collections.Counter(tuple(sub(t, colour) for t in tr) for tr in g)

    def search(ca, cb, depth):
        ca, cb = refine(ca, cb)
        if canon(ga, ca) != canon(gb, cb):
            return False
        classes = collections.Counter(ca.values())
        ambiguous = [c for c, k in classes.items() if k > 1]
        if not ambiguous or depth > 40:
            return not ambiguous
        c = min(ambiguous, key=lambda c: (classes[c], c))
        a = min(n for n in ca if ca[n] == c)
        fresh = hash(("individual", depth, c))
        return any(search({**ca, a: fresh}, {**cb, b: fresh}, depth + 1)
                   for b in sorted(n for n in cb if cb[n] == c))

    return search({n: hash(n[0]) for n in na}, {n: hash(n[0]) for n in nb}, 0)


def row_key(row):
    return tuple(sorted(row.items()))


def show_row(row):
    return "{" + " ".join("?%s=%s" % (v, show(t)) for v, t in sorted(row.items())) + "}"


def sort_concatenations(q, answer):
    """The #@unordered variables' values with their parts sorted."""
    if answer.kind != "select" or not q["unordered"]:
        return answer
    rows = []
    for row in answer.value:
        row = dict(row)
        for var, sep in q["unordered"].items():
            t = row.get(var)
            if t and t[0] == "lit":
                row[var] = ("lit", sep.join(sorted(t[1].split(sep))), t[2], t[3])
        rows.append(row)
    return Answer(answer.kind, rows, answer.ms)


def compare(q, kg, ox):
    """None when the answers agree, else a short description of the difference."""
    kg, ox = sort_concatenations(q, kg), sort_concatenations(q, ox)
    if kg.kind == "error" or ox.kind == "error":
        parts = []
        if kg.kind == "error":
            parts.append("kg failed: %s" % str(kg.value)[:400])
        if ox.kind == "error":
            parts.append("Oxigraph failed: %s" % str(ox.value)[:400])
        return "; ".join(parts)
    if q["form"] == "ask":
        return None if kg.value == ox.value else "kg says %s, Oxigraph %s" % (kg.value, ox.value)
    bnodes = set()
    for g in (as_graph(kg), as_graph(ox)):
        for tr in g:
            for t in tr:
                blank_nodes(t, bnodes)
    if bnodes:
        if isomorphic(as_graph(kg), as_graph(ox)):
            return None
        return "not isomorphic (blank nodes): kg %d, Oxigraph %d %s" % (
            kg.size(), ox.size(), "triples" if q["form"] == "construct" else "solutions")
    if q["form"] == "construct":
        a, b = kg.value, ox.value
        only_kg, only_ox = sorted(a - b), sorted(b - a)
        fmt = lambda tr: " ".join(map(show, tr))
        what = "triples"
    else:
        a = collections.Counter(row_key(r) for r in kg.value)
        b = collections.Counter(row_key(r) for r in ox.value)
        only_kg, only_ox = sorted((a - b).elements()), sorted((b - a).elements())
        fmt = lambda k: show_row(dict(k))
        what = "solutions"
        if not only_kg and not only_ox and q["ordered"]:
            ka = [row_key(r) for r in kg.value]
            kb = [row_key(r) for r in ox.value]
            if ka != kb:
                i = next(i for i, (x, y) in enumerate(zip(ka, kb)) if x != y)
                return "same solutions in another order: #%d is %s in kg, %s in Oxigraph" % (
                    i + 1, fmt(ka[i]), fmt(kb[i]))
    if not only_kg and not only_ox:
        return None
    lines = ["kg %d %s, Oxigraph %d; %d only in kg, %d only in Oxigraph" % (
        kg.size(), what, ox.size(), len(only_kg), len(only_ox))]
    for label, items in (("only in kg", only_kg), ("only in Oxigraph", only_ox)):
        for item in items[:3]:
            lines.append("%s: %s" % (label, fmt(item)[:300]))
        if len(items) > 3:
            lines.append("%s: ... %d more" % (label, len(items) - 3))
    return "\n".join(lines)
