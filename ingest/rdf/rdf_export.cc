#include "ingest/rdf/rdf_export.h"

#include <map>
#include <set>

#include "ingest/rdf/ntriples.h"
#include "kg/rdf_mapping.h"
#include "ingest/rdf/turtle_writer.h"
#include "kg/sha256.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"

namespace kg::ingest {
namespace {

// Where exported statements go: canonical N-Quads lines, or a Turtle /
// TriG writer.
class QuadSink {
 public:
  virtual ~QuadSink() = default;
  virtual void Write(const RdfQuad& q) = 0;
};

class NQuadsSink : public QuadSink {
 public:
  explicit NQuadsSink(std::ostream& out) : out_(out) {}
  void Write(const RdfQuad& q) override { out_ << CanonicalNQuad(q); }

 private:
  std::ostream& out_;
};

class TurtleSink : public QuadSink {
 public:
  TurtleSink(std::ostream& out, bool trig) : writer_(out, trig, ExportPrefixes()) {}
  void Write(const RdfQuad& q) override { writer_.Write(q); }
  void Finish() { writer_.Finish(); }

 private:
  TurtleWriter writer_;
};

// The statements of one graph (none: the default graph) to a sink.
class QuadWriter {
 public:
  QuadWriter(QuadSink& sink, std::optional<RdfTerm> graph) : sink_(sink), graph_(std::move(graph)) {}
  void Write(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o) {
    sink_.Write(RdfQuad{s, p, o, graph_});
  }
  void Write(const RdfTerm& s, std::string_view p, const RdfTerm& o) {
    Write(s, RdfTerm::Iri(std::string(p)), o);
  }

 private:
  QuadSink& sink_;
  std::optional<RdfTerm> graph_;
};

RdfTerm Int(uint64_t v) { return RdfTerm::Literal(StrCat(v), StrCat(kXsdNs, "integer")); }

// An rdf:Seq-style node listing `items` as rdf:_1, rdf:_2, ...
void WriteSequence(QuadWriter& w, const RdfTerm& node, const std::vector<RdfTerm>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    w.Write(node, StrCat(kRdfNs, "_", i + 1), items[i]);
  }
}

absl::Status ExportDocument(const Snapshot& snap, const std::string& id, QuadSink& out,
                            bool named_graph) {
  KG_ASSIGN_OR_RETURN(std::optional<Document> doc, snap.GetDocument(id));
  if (!doc) return absl::NotFoundError(StrCat("no document '", id, "'"));
  const RdfTerm g = ToRdf(Term::Document(id));
  const std::string scope = BlankScope(id);
  QuadWriter w(out, named_graph ? std::optional<RdfTerm>(g) : std::nullopt);
  // Claims in subject position become blank nodes that rdf:reifies them.
  std::set<std::string> reified;
  SubjectClaimFn subject_claim = [&](const Term& claim) -> RdfTerm {
    // Named by the claim's content, so an export is the same from any store.
    const std::string label =
        StrCat(scope, "..c", Sha256::HexDigest(claim.ToString()).substr(0, 24));
    const RdfTerm node = RdfTerm::BlankNode(label);
    if (reified.insert(label).second) {
      w.Write(node, StrCat(kRdfNs, "reifies"), ToRdf(claim, subject_claim));
    }
    return node;
  };
  w.Write(g, StrCat(kRdfNs, "type"), RdfTerm::Iri(StrCat(kProvNs, "Entity")));
  auto text_field = [&](std::string_view p, const std::string& value) {
    if (!value.empty()) w.Write(g, p, RdfTerm::Literal(value));
  };
  text_field(StrCat(kDctNs, "title"), doc->title);
  text_field(StrCat(kDctNs, "publisher"), doc->publisher);
  if (!doc->authors.empty()) {
    const RdfTerm authors = RdfTerm::BlankNode(StrCat(scope, "..authors"));
    w.Write(g, KgIri("authors"), authors);
    std::vector<RdfTerm> names;
    for (const auto& a : doc->authors) names.push_back(RdfTerm::Literal(a));
    WriteSequence(w, authors, names);
  }
  if (doc->date) w.Write(g, StrCat(kDctNs, "date"), ToRdf(*Term::DateOf(*doc->date)));
  text_field(KgIri("url"), doc->url);
  text_field(KgIri("documentType"), doc->type);
  w.Write(g, KgIri("text"), RdfTerm::Literal(doc->text));
  w.Write(g, KgIri("sha256"), RdfTerm::Literal(doc->sha256));

  KG_ASSIGN_OR_RETURN(auto evidence, snap.EvidenceInDocument(id));
  std::sort(evidence.begin(), evidence.end(),
            [](const EvidenceEntry& a, const EvidenceEntry& b) { return a.ordinal < b.ordinal; });
  std::set<TermId> asserted;
  for (const EvidenceEntry& e : evidence) {
    KG_ASSIGN_OR_RETURN(Term claim, snap.Decode(e.claim));
    const RdfTerm triple = ToRdf(claim, subject_claim);
    if (asserted.insert(e.claim).second) {
      w.Write(triple.triple->s, triple.triple->p, triple.triple->o);
    }
    const Evidence& ev = e.evidence;
    const RdfTerm r = RdfTerm::BlankNode(StrCat(scope, "..e", e.ordinal));
    w.Write(r, StrCat(kRdfNs, "reifies"), triple);
    w.Write(r, KgIri("ordinal"), Int(e.ordinal));
    if (!ev.quote.empty()) w.Write(r, KgIri("quote"), RdfTerm::Literal(ev.quote));
    if (ev.span) {
      w.Write(r, KgIri("start"), Int(ev.span->start));
      w.Write(r, KgIri("end"), Int(ev.span->end));
    }
    if (!IsVerdict(ev)) {  // a verdict has no hedge or stance: kg:verdict rates the claim
      w.Write(r, KgIri("hedge"), RdfTerm::Iri(KgIri(HedgeName(ev.hedge))));
      w.Write(r, KgIri("stance"), RdfTerm::Iri(KgIri(StanceName(ev.stance))));
    }
    if (ev.negated) {
      w.Write(r, KgIri("negated"), RdfTerm::Literal("true", StrCat(kXsdNs, "boolean")));
    }
    if (ev.agent) w.Write(r, StrCat(kProvNs, "wasAttributedTo"), ToRdf(*ev.agent, subject_claim));
    if (!ev.via.empty()) {
      const RdfTerm via = RdfTerm::BlankNode(StrCat(scope, "..e", e.ordinal, "v"));
      w.Write(r, KgIri("via"), via);
      std::vector<RdfTerm> items;
      for (const Term& v : ev.via) items.push_back(ToRdf(v, subject_claim));
      WriteSequence(w, via, items);
    }
    for (const Qualifier& q : ev.qualifiers) w.Write(r, KgIri(q.key), ToRdf(q.value, subject_claim));
  }
  return absl::OkStatus();
}

// Every document (or one) and then, for the whole store, the entities.
absl::Status ExportAll(const Snapshot& snap, const std::optional<std::string>& doc_id,
                       QuadSink& out, bool named_graphs) {
  if (doc_id) return ExportDocument(snap, *doc_id, out, named_graphs);
  KG_ASSIGN_OR_RETURN(auto ids, snap.ListDocuments());
  for (const std::string& id : ids) KG_RETURN_IF_ERROR(ExportDocument(snap, id, out, named_graphs));
  KG_ASSIGN_OR_RETURN(auto entities, snap.ListEntities());
  std::sort(entities.begin(), entities.end(),
            [](const Entity& a, const Entity& b) { return a.name < b.name; });
  QuadWriter w(out, std::nullopt);
  for (const Entity& e : entities) {
    const RdfTerm s = ToRdf(Term::Entity(e.name));
    if (e.aliases.empty() && e.type.empty()) {
      w.Write(s, KgIri("entityType"), RdfTerm::Literal(""));
    }
    for (const auto& a : e.aliases) w.Write(s, KgIri("alias"), RdfTerm::Literal(a));
    if (!e.type.empty()) w.Write(s, KgIri("entityType"), RdfTerm::Literal(e.type));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ExportPrefixes() {
  return {{"rdf", std::string(kRdfNs)},       {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
          {"owl", "http://www.w3.org/2002/07/owl#"}, {"xsd", std::string(kXsdNs)},
          {"prov", std::string(kProvNs)},     {"dct", std::string(kDctNs)},
          {"kg", std::string(kKgVocabNs)},    {"kge", std::string(kKgEntityNs)},
          {"kgd", std::string(kKgDocNs)}};
}

absl::Status ExportNQuads(const Snapshot& snap, const std::optional<std::string>& doc_id,
                          std::ostream& out) {
  NQuadsSink sink(out);
  KG_RETURN_IF_ERROR(ExportAll(snap, doc_id, sink, true));
  if (!out) return absl::UnavailableError("write to the export output failed");
  return absl::OkStatus();
}

absl::Status ExportTurtle(const Snapshot& snap, const std::optional<std::string>& doc_id,
                          bool trig, std::ostream& out) {
  if (!trig && !doc_id) {
    KG_ASSIGN_OR_RETURN(auto ids, snap.ListDocuments());
    if (ids.size() > 1) {
      return absl::InvalidArgumentError(StrCat(
          "Turtle has no named graphs to keep the store's ", ids.size(),
          " documents apart: export one with --doc, or all of them with --format trig"));
    }
  }
  TurtleSink sink(out, trig);
  KG_RETURN_IF_ERROR(ExportAll(snap, doc_id, sink, trig));
  sink.Finish();
  if (!out) return absl::UnavailableError("write to the export output failed");
  return absl::OkStatus();
}

void WriteTriples(const std::vector<std::array<Term, 3>>& triples, bool turtle, std::ostream& out) {
  std::optional<TurtleWriter> writer;
  if (turtle) writer.emplace(out, /*trig=*/false, ExportPrefixes());
  auto write = [&](RdfTerm s, RdfTerm p, RdfTerm o) {
    const RdfQuad q{std::move(s), std::move(p), std::move(o), std::nullopt};
    if (writer) {
      writer->Write(q);
    } else {
      out << CanonicalNQuad(q);
    }
  };
  std::map<std::string, std::string> reifiers;  // claim (canonical) -> label
  SubjectClaimFn subject_claim = [&](const Term& claim) -> RdfTerm {
    RdfTerm triple = ToRdf(claim, subject_claim);
    auto [it, added] = reifiers.try_emplace(CanonicalTerm(triple), StrCat("kgr", reifiers.size() + 1));
    RdfTerm node = RdfTerm::BlankNode(it->second);
    if (added) write(node, RdfTerm::Iri(StrCat(kRdfNs, "reifies")), std::move(triple));
    return node;
  };
  for (const auto& [s, p, o] : triples) {
    RdfTerm subject = s.kind() == TermKind::kClaim ? subject_claim(s) : ToRdf(s, subject_claim);
    write(std::move(subject), ToRdf(p, subject_claim), ToRdf(o, subject_claim));
  }
  if (writer) writer->Finish();
}

}  // namespace kg::ingest
