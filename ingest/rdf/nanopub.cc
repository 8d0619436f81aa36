#include "ingest/rdf/nanopub.h"

#include <algorithm>
#include <map>
#include <set>

#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/rdf_graph.h"
#include "kg/rdf_mapping.h"
#include "ingest/rdf/turtle_writer.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"
#include "re2/re2.h"

namespace kg::ingest {
namespace {

constexpr std::string_view kPavNs = "http://purl.org/pav/";
constexpr std::string_view kRdfsNs = "http://www.w3.org/2000/01/rdf-schema#";

std::string Name(const RdfTerm& t) { return CanonicalTerm(t); }

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Whether `value` is a valid YYYY-MM-DD (a leading '-' and more year
// digits allowed), at the start of `value`.
bool ValidDate(std::string_view value) {
  static const RE2 kDate(R"(-?(\d{4,})-(\d\d)-(\d\d))");
  std::string year, month, day;
  if (!RE2::PartialMatch(value, kDate, &year, &month, &day)) return false;
  const int y = std::stoi(year.substr(0, 9)), m = std::stoi(month),
            d = std::stoi(day);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
}

bool ValidTime(std::string_view value) {
  static const RE2 kTime(R"((\d\d):(\d\d):(\d\d)(\.\d+)?)");
  std::string h, m, s;
  if (!RE2::FullMatch(value, kTime, &h, &m, &s, nullptr)) return false;
  return (std::stoi(h) < 24 && std::stoi(m) < 60 && std::stoi(s) < 60) ||
         (h == "24" && m == "00" && s == "00");
}

// The lexical forms of the XSD types nanopublications use (XML Schema 1.1
// Part 2). Other datatypes pass unchecked.
bool WellTyped(const RdfTerm& t) {
  constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
  if (!t.is_literal() || !std::string_view(t.datatype).starts_with(kXsd))
    return true;
  const std::string_view type =
      std::string_view(t.datatype).substr(kXsd.size());
  const std::string& v = t.value;
  static const RE2 kInteger(R"([+-]?\d+)");
  static const RE2 kDecimal(R"([+-]?(\d+(\.\d*)?|\.\d+))");
  static const RE2 kDouble(
      R"(([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN))");
  static const RE2 kZone(R"((Z|[+-](\d\d):(\d\d))?)");
  if (type == "integer" || type == "int" || type == "long" || type == "short" ||
      type == "byte" || type == "nonNegativeInteger" ||
      type == "positiveInteger" || type == "unsignedInt" ||
      type == "unsignedLong" || type == "negativeInteger" ||
      type == "nonPositiveInteger") {
    return RE2::FullMatch(v, kInteger);
  }
  if (type == "decimal") return RE2::FullMatch(v, kDecimal);
  if (type == "double" || type == "float") return RE2::FullMatch(v, kDouble);
  if (type == "boolean")
    return v == "true" || v == "false" || v == "1" || v == "0";
  if (type == "date" || type == "dateTime") {
    const size_t dash = v.find('-', v.starts_with("-") ? 1 : 0);
    const size_t end = dash == std::string::npos ? v.size() : dash + 6;
    if (!ValidDate(v) || end > v.size()) return false;
    std::string_view rest = std::string_view(v).substr(end);
    if (type == "dateTime") {
      if (!rest.starts_with("T")) return false;
      rest.remove_prefix(1);
      const size_t zone = rest.find_first_of("Z+-");
      if (!ValidTime(rest.substr(0, zone))) return false;
      rest = zone == std::string_view::npos ? std::string_view()
                                            : rest.substr(zone);
    }
    return RE2::FullMatch(rest, kZone);
  }
  if (type == "time") {
    const size_t zone = v.find_first_of("Z+-");
    return ValidTime(std::string_view(v).substr(0, zone)) &&
           RE2::FullMatch(zone == std::string::npos ? "" : v.substr(zone),
                          kZone);
  }
  return true;
}

struct Graph {
  std::vector<RdfQuad> quads;
  bool closed = false;  // another graph's block followed this one's
};

absl::Status Rule(const std::string& np, std::string message) {
  return absl::InvalidArgumentError(
      StrCat("nanopublication ", np, ": ", message));
}

// The object of the single (subject, p, ?) in `g`, checking there is one.
absl::StatusOr<RdfTerm> One(const Graph& g, const RdfTerm& subject,
                            std::string_view p, const std::string& np) {
  std::vector<RdfTerm> found;
  for (const RdfQuad& q : g.quads) {
    if (q.s == subject && q.p.value == p) found.push_back(q.o);
  }
  if (found.size() != 1) {
    return Rule(
        np, StrCat("the head must give exactly one ", p.substr(p.find('#') + 1),
                   ", found ", found.size()));
  }
  return found.front();
}

std::optional<Date> DateOf(const std::string& value) {
  if (!ValidDate(value) || value.starts_with("-")) return std::nullopt;
  Date d;
  d.year = std::stoi(value.substr(0, 4));
  d.month = static_cast<uint8_t>(std::stoi(value.substr(5, 2)));
  d.day = static_cast<uint8_t>(std::stoi(value.substr(8, 2)));
  return d;
}

std::optional<Relation> LinkOf(std::string_view p) {
  if (p == StrCat(kProvNs, "wasDerivedFrom") ||
      p == StrCat(kProvNs, "hadPrimarySource")) {
    return Relation::kDerivedFrom;
  }
  if (p == StrCat(kProvNs, "wasQuotedFrom")) return Relation::kQuotes;
  if (p == StrCat(kDctNs, "source") ||
      p == "http://purl.org/dc/elements/1.1/source") {
    return Relation::kCites;
  }
  return std::nullopt;
}

absl::StatusOr<DocumentWrite> ToDocument(const RdfTerm& np,
                                         const Graph& assertion,
                                         const RdfTerm& a,
                                         const Graph& provenance,
                                         const Graph& pubinfo) {
  const std::string id = np.value;
  std::map<std::string, RdfTerm> claim_nodes;
  KG_ASSIGN_OR_RETURN(DocumentWrite w,
                      GraphToDocument(id, assertion.quads, &claim_nodes));
  w.document.url = id;
  w.document.type = "nanopublication";
  std::optional<Term> agent;
  std::vector<Term> sources;  // what the assertion was derived or quoted from
  std::vector<RdfQuad> rest;  // provenance and publication info kept as claims
  for (const RdfQuad& q : provenance.quads) {
    if (q.s == a && q.p.value == StrCat(kProvNs, "wasAttributedTo") && !agent) {
      auto t = FromRdf(q.o, BlankScope(id));
      if (t.ok()) {
        agent = *t;
        continue;
      }
    }
    if (q.s == a && (q.o.is_iri() || q.o.is_literal())) {
      if (const auto rel = LinkOf(q.p.value)) {
        Term target = Term::Document(q.o.value);
        if (auto t = FromRdf(q.o, BlankScope(id));
            t.ok() && t->kind() == TermKind::kDocument) {
          target = *t;  // kg's own document IRI
        }
        w.document.links.push_back({*rel, target, "", std::nullopt});
        sources.push_back(target);
        continue;
      }
    }
    rest.push_back(q);
  }
  for (const RdfQuad& q : pubinfo.quads) {
    const std::string& p = q.p.value;
    if (q.s == np && q.o.is_literal()) {
      if ((p == StrCat(kDctNs, "created") ||
           p == StrCat(kProvNs, "generatedAtTime")) &&
          !w.document.date) {
        w.document.date = DateOf(q.o.value);
        if (w.document.date) continue;
      }
      if ((p == StrCat(kRdfsNs, "label") || p == StrCat(kDctNs, "title")) &&
          w.document.title.empty()) {
        w.document.title = q.o.value;
        continue;
      }
    }
    if (q.s == np &&
        (p == StrCat(kDctNs, "creator") || p == StrCat(kPavNs, "createdBy") ||
         p == StrCat(kPavNs, "authoredBy"))) {
      w.document.authors.push_back(q.o.value);
    }
    rest.push_back(q);
  }
  // Each source the assertion rests on is a chain of its own (TRACE and
  // the count of independent sources follow `via`).
  std::vector<ClaimEvidence> asserted;
  for (ClaimEvidence& c : w.claims) {
    c.evidence.agent = agent;
    if (sources.empty()) asserted.push_back(c);
    for (const Term& source : sources) {
      asserted.push_back(c);
      asserted.back().evidence.via = {source};
    }
  }
  w.claims = std::move(asserted);
  if (!rest.empty()) {
    KG_ASSIGN_OR_RETURN(DocumentWrite more,
                        GraphToDocument(id, std::move(rest), &claim_nodes));
    for (ClaimEvidence& c : more.claims) w.claims.push_back(std::move(c));
    for (DocumentLink& l : more.document.links)
      w.document.links.push_back(std::move(l));
  }
  return w;
}

}  // namespace

bool HasNanopub(const std::vector<RdfQuad>& quads) {
  const std::string type = StrCat(kRdfNs, "type"),
                    np = StrCat(kNpNs, "Nanopublication");
  return std::any_of(quads.begin(), quads.end(), [&](const RdfQuad& q) {
    return q.graph && q.p.value == type && q.o.is_iri() && q.o.value == np;
  });
}

absl::StatusOr<std::vector<DocumentWrite>> NanopubsToDocuments(
    const std::vector<RdfQuad>& quads) {
  std::map<std::string, Graph> graphs;
  std::vector<std::string> order;  // graphs in the order their blocks start
  std::string current;
  for (const RdfQuad& q : quads) {
    if (!q.graph) {
      return absl::InvalidArgumentError(
          StrCat("statement outside any graph: ", CanonicalNQuad(q),
                 " (a nanopublication file holds only its graphs)"));
    }
    const std::string key = Name(*q.graph);
    if (key != current) {
      if (!current.empty()) graphs[current].closed = true;
      Graph& g = graphs[key];
      if (g.closed) {
        return absl::InvalidArgumentError(StrCat(
            "graph ", key, " is written in two blocks (one graph, one block)"));
      }
      if (g.quads.empty()) order.push_back(key);
      current = key;
    }
    for (const RdfTerm* t : {&q.s, &q.o}) {
      if (!WellTyped(*t)) {
        return absl::InvalidArgumentError(
            StrCat("graph ", key, ": ill-typed literal ", CanonicalTerm(*t)));
      }
    }
    graphs[key].quads.push_back(q);
  }
  const std::string type = StrCat(kRdfNs, "type"),
                    np_class = StrCat(kNpNs, "Nanopublication");
  std::set<std::string> claimed;  // graphs that belong to a nanopublication
  std::vector<DocumentWrite> out;
  for (const std::string& head_key : order) {
    const Graph& head = graphs[head_key];
    std::vector<RdfTerm> nps;
    for (const RdfQuad& q : head.quads) {
      if (q.p.value == type && q.o.is_iri() && q.o.value == np_class)
        nps.push_back(q.s);
    }
    if (nps.empty()) continue;
    const std::string name = Name(nps.front());
    if (nps.size() > 1)
      return Rule(name,
                  "its head graph declares more than one nanopublication");
    if (!nps.front().is_iri())
      return Rule(name, "its identifier must be an IRI");
    KG_ASSIGN_OR_RETURN(
        RdfTerm a, One(head, nps.front(), StrCat(kNpNs, "hasAssertion"), name));
    KG_ASSIGN_OR_RETURN(RdfTerm p, One(head, nps.front(),
                                       StrCat(kNpNs, "hasProvenance"), name));
    KG_ASSIGN_OR_RETURN(
        RdfTerm i,
        One(head, nps.front(), StrCat(kNpNs, "hasPublicationInfo"), name));
    const std::pair<const char*, const RdfTerm*> parts[] = {
        {"assertion", &a}, {"provenance", &p}, {"publication info", &i}};
    std::set<std::string> distinct = {head_key};
    const std::string& uri = nps.front().value;
    if (!head.quads.front().graph->is_iri() ||
        !std::string_view(head.quads.front().graph->value).starts_with(uri)) {
      return Rule(name, StrCat("its head graph ", head_key,
                               " does not start with its IRI"));
    }
    for (const auto& [what, g] : parts) {
      const std::string key = Name(*g);
      if (!g->is_iri() || !std::string_view(g->value).starts_with(uri)) {
        return Rule(name, StrCat("its ", what, " graph ", key,
                                 " does not start with its IRI"));
      }
      if (!distinct.insert(key).second) {
        return Rule(
            name,
            StrCat(
                "its ", what, " graph ", key,
                " is also another of its graphs (the four must be distinct)"));
      }
      auto it = graphs.find(key);
      if (it == graphs.end() || it->second.quads.empty()) {
        return Rule(
            name, StrCat("its ", what, " graph ", key, " is missing or empty"));
      }
    }
    const Graph& prov = graphs[Name(p)];
    const Graph& info = graphs[Name(i)];
    if (std::none_of(prov.quads.begin(), prov.quads.end(),
                     [&](const RdfQuad& q) { return q.s == a; })) {
      return Rule(
          name, StrCat("its provenance graph says nothing about the assertion ",
                       Name(a)));
    }
    if (std::none_of(info.quads.begin(), info.quads.end(),
                     [&](const RdfQuad& q) { return q.s == nps.front(); })) {
      return Rule(
          name, "its publication info says nothing about the nanopublication");
    }
    for (const std::string& key : distinct) {
      if (!claimed.insert(key).second) {
        return Rule(name, StrCat("graph ", key,
                                 " belongs to another nanopublication too"));
      }
    }
    KG_ASSIGN_OR_RETURN(
        DocumentWrite w,
        ToDocument(nps.front(), graphs[Name(a)], a, prov, info));
    out.push_back(std::move(w));
  }
  for (const std::string& key : order) {
    if (!claimed.contains(key)) {
      return absl::InvalidArgumentError(
          StrCat("graph ", key,
                 " belongs to no nanopublication (a head names its graphs)"));
    }
  }
  if (out.empty())
    return absl::InvalidArgumentError("no nanopublication head graph found");
  return out;
}

absl::Status ExportNanopubs(const Snapshot& snap, const std::string& doc_id,
                            std::ostream& out) {
  KG_ASSIGN_OR_RETURN(std::optional<Document> doc, snap.GetDocument(doc_id));
  if (!doc) return absl::NotFoundError(StrCat("no document '", doc_id, "'"));
  KG_ASSIGN_OR_RETURN(auto evidence, snap.EvidenceInDocument(doc_id));
  std::sort(evidence.begin(), evidence.end(),
            [](const EvidenceEntry& a, const EvidenceEntry& b) {
              return a.ordinal < b.ordinal;
            });
  const RdfTerm source = ToRdf(Term::Document(doc_id));
  const std::string rdf_type = StrCat(kRdfNs, "type");
  for (const EvidenceEntry& e : evidence) {
    // A nanopublication asserts its claim; a verdict only rates one.
    if (IsVerdict(e.evidence)) continue;
    const std::string base = StrCat("https://w3id.org/kg/np/",
                                    PercentEncode(doc_id), "/", e.ordinal, "/");
    const RdfTerm np = RdfTerm::Iri(base);
    const RdfTerm head = RdfTerm::Iri(StrCat(base, "Head"));
    const RdfTerm assertion = RdfTerm::Iri(StrCat(base, "assertion"));
    const RdfTerm provenance = RdfTerm::Iri(StrCat(base, "provenance"));
    const RdfTerm pubinfo = RdfTerm::Iri(StrCat(base, "pubinfo"));
    TurtleWriter w(out, true,
                   {{"this", base},
                    {"np", std::string(kNpNs)},
                    {"prov", std::string(kProvNs)},
                    {"dct", std::string(kDctNs)},
                    {"xsd", std::string(kXsdNs)},
                    {"kg", std::string(kKgVocabNs)},
                    {"kge", std::string(kKgEntityNs)},
                    {"kgd", std::string(kKgDocNs)}});
    auto put = [&](const RdfTerm& g, const RdfTerm& s, std::string_view p,
                   const RdfTerm& o) {
      w.Write(RdfQuad{s, RdfTerm::Iri(std::string(p)), o, g});
    };
    put(head, np, rdf_type, RdfTerm::Iri(StrCat(kNpNs, "Nanopublication")));
    put(head, np, StrCat(kNpNs, "hasAssertion"), assertion);
    put(head, np, StrCat(kNpNs, "hasProvenance"), provenance);
    put(head, np, StrCat(kNpNs, "hasPublicationInfo"), pubinfo);
    KG_ASSIGN_OR_RETURN(Term claim, snap.Decode(e.claim));
    // A claim about a claim: the inner one by a reifier, as kg's export does.
    int reifiers = 0;
    SubjectClaimFn subject_claim = [&](const Term& inner) -> RdfTerm {
      const RdfTerm node = RdfTerm::BlankNode(StrCat("c", ++reifiers));
      put(assertion, node, StrCat(kRdfNs, "reifies"),
          ToRdf(inner, subject_claim));
      return node;
    };
    const RdfTerm triple = ToRdf(claim, subject_claim);
    put(assertion, triple.triple->s, triple.triple->p.value, triple.triple->o);
    const Evidence& ev = e.evidence;
    put(provenance, assertion, StrCat(kProvNs, "wasDerivedFrom"), source);
    if (ev.agent)
      put(provenance, assertion, StrCat(kProvNs, "wasAttributedTo"),
          ToRdf(*ev.agent));
    if (!ev.quote.empty())
      put(provenance, assertion, KgIri("quote"), RdfTerm::Literal(ev.quote));
    put(provenance, assertion, KgIri("hedge"),
        RdfTerm::Iri(KgIri(HedgeName(ev.hedge))));
    put(provenance, assertion, KgIri("stance"),
        RdfTerm::Iri(KgIri(StanceName(ev.stance))));
    if (ev.negated) {
      put(provenance, assertion, KgIri("negated"),
          RdfTerm::Literal("true", StrCat(kXsdNs, "boolean")));
    }
    for (const Qualifier& q : ev.qualifiers) {
      put(provenance, assertion, KgIri(q.key), ToRdf(q.value));
    }
    put(pubinfo, np, StrCat(kDctNs, "source"), source);
    put(pubinfo, np, StrCat(kProvNs, "wasGeneratedBy"),
        RdfTerm::Iri(KgIri("export")));
    if (!doc->title.empty()) {
      put(pubinfo, np, StrCat(kRdfsNs, "label"), RdfTerm::Literal(doc->title));
    }
    w.Finish();
    out << "\n";
  }
  if (!out) return absl::UnavailableError("write to the export output failed");
  return absl::OkStatus();
}

}  // namespace kg::ingest
