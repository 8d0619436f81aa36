// Turning the statements of one RDF graph into a kg document write
// (rdf_graph.h), for kg import.
#include "ingest/rdf/rdf_graph.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "ingest/rdf/ntriples.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

// Key of a term for grouping and lookups.
std::string Key(const RdfTerm& t) { return CanonicalTerm(t); }

// Builds the DocumentWrite of one graph (or of one chunk of it), recognising
// kg's own export vocabulary; everything else becomes claims asserted by the
// document. `claim_nodes` maps the blank nodes kg wrote for claims in subject
// position to their triple terms; it outlives one chunk because such a node
// is defined once per document, at its first use.
class GraphLoader {
 public:
  GraphLoader(std::string doc_id, std::vector<RdfQuad> quads,
              std::map<std::string, RdfTerm>* claim_nodes)
      : doc_id_(std::move(doc_id)),
        quads_(std::move(quads)),
        scope_(BlankScope(doc_id_)),
        claim_nodes_(claim_nodes) {}

  absl::StatusOr<DocumentWrite> Build() {
    write_.document.id = doc_id_;
    const std::string doc_key = Key(ToRdf(Term::Document(doc_id_)));
    // Index subjects for reifiers and sequences.
    for (size_t i = 0; i < quads_.size(); ++i) by_subject_[Key(quads_[i].s)].push_back(i);

    std::vector<bool> used(quads_.size(), false);
    // Blank nodes kg wrote for claims in subject position.
    const std::string claim_prefix = StrCat(scope_, "..c");
    for (size_t i = 0; i < quads_.size(); ++i) {
      const RdfQuad& q = quads_[i];
      if (q.s.is_blank_node() && q.s.value.starts_with(claim_prefix) && q.o.is_triple_term() &&
          q.p.value == StrCat(kRdfNs, "reifies")) {
        claim_nodes_->emplace(q.s.value, q.o);
        used[i] = true;
      }
    }
    // Document metadata.
    for (size_t i : by_subject_[doc_key]) {
      const RdfQuad& q = quads_[i];
      const std::string& p = q.p.value;
      if (q.p.is_iri() && q.o.is_literal() && ApplyMetadata(p, q.o)) {
        used[i] = true;
      } else if (p == StrCat(kRdfNs, "type") && q.o.is_iri() && q.o.value == StrCat(kProvNs, "Entity")) {
        used[i] = true;
      } else if (p == KgIri("authors") && q.o.is_blank_node()) {
        used[i] = true;
        for (const RdfTerm& a : Sequence(q.o, &used)) write_.document.authors.push_back(a.value);
      }
    }
    // Evidence reifiers: blank nodes with rdf:reifies and kg:ordinal.
    std::map<uint32_t, std::pair<Term, Evidence>> evidence;  // by ordinal
    std::set<std::string> reified;                           // triples with evidence
    for (auto& [subject, indexes] : by_subject_) {
      std::optional<size_t> reifies, ordinal;
      for (size_t i : indexes) {
        if (!quads_[i].s.is_blank_node()) break;
        if (quads_[i].p.value == StrCat(kRdfNs, "reifies") && quads_[i].o.is_triple_term()) reifies = i;
        if (quads_[i].p.value == KgIri("ordinal")) ordinal = i;
      }
      if (!reifies || !ordinal) continue;
      KG_ASSIGN_OR_RETURN(Term claim, FromRdf(quads_[*reifies].o, scope_, claim_nodes_));
      Evidence ev;
      auto n = UnsignedOf(quads_[*ordinal].o);
      if (!n) return absl::InvalidArgumentError(StrCat("malformed kg:ordinal of _:", quads_[*ordinal].s.value));
      for (size_t i : indexes) {
        used[i] = true;
        KG_RETURN_IF_ERROR(ApplyEvidenceProperty(quads_[i], &ev, &used));
      }
      if (span_start_ && span_end_) ev.span = Span{*span_start_, *span_end_};
      span_start_.reset();
      span_end_.reset();
      evidence.emplace(static_cast<uint32_t>(*n), std::pair{claim, std::move(ev)});
      reified.insert(Key(quads_[*reifies].o));
    }
    // Asserted triples: those with reifiers are covered by their evidence;
    // those an OWL axiom annotates with evidence (GO-CAM) get that evidence
    // in place of the plain one.
    uint32_t next_ordinal = evidence.empty() ? 0 : evidence.rbegin()->first + 1;
    KG_ASSIGN_OR_RETURN(auto axioms, AxiomEvidence());
    std::set<std::string> annotated;  // axiom-annotated triples given their evidence
    auto add_axiom_evidence = [&](const std::string& key) -> absl::Status {
      auto it = axioms.find(key);
      if (!annotated.insert(key).second) return absl::OkStatus();
      for (Evidence& ev : it->second.second) {
        evidence.emplace(next_ordinal++, std::pair{it->second.first, std::move(ev)});
      }
      return absl::OkStatus();
    };
    for (size_t i = 0; i < quads_.size(); ++i) {
      if (used[i]) continue;
      const RdfQuad& q = quads_[i];
      const RdfTerm triple = RdfTerm::TripleTerm(q.s, q.p, q.o);
      const std::string key = Key(triple);
      if (reified.contains(key)) continue;
      if (axioms.contains(key)) {
        KG_RETURN_IF_ERROR(add_axiom_evidence(key));
        continue;
      }
      KG_ASSIGN_OR_RETURN(Term claim, FromRdf(triple, scope_, claim_nodes_));
      evidence.emplace(next_ordinal++, std::pair{claim, Evidence{}});
    }
    // Annotated triples this graph (or chunk) does not assert.
    for (const auto& [key, entry] : axioms) {
      if (!reified.contains(key)) KG_RETURN_IF_ERROR(add_axiom_evidence(key));
    }
    // Links of the document come back as links, so the store rebuilds them.
    const Term doc = Term::Document(doc_id_);
    for (auto& [ordinal, entry] : evidence) {
      const Term& claim = entry.first;
      auto relation = claim.predicate().kind() == TermKind::kEntity
                          ? ParseRelation(claim.predicate().text())
                          : std::nullopt;
      if (relation && claim.subject() == doc && entry.second.agent == std::nullopt &&
          entry.second.via.empty() && entry.second.qualifiers.empty()) {
        write_.document.links.push_back(
            {*relation, claim.object(), entry.second.quote, entry.second.span});
        continue;
      }
      write_.claims.push_back({claim, std::move(entry.second)});
    }
    return std::move(write_);
  }

 private:
  // OWL axiom annotations that carry evidence, as GO-CAM models write them:
  //   _:a rdf:type owl:Axiom ; owl:annotatedSource S ;
  //       owl:annotatedProperty P ; owl:annotatedTarget O ;
  //       lego:evidence E .
  //   E dc:source "PMID:..." ; dc:contributor "https://orcid.org/..." .
  // Each E is one piece of evidence for the claim (S P O): `via` its
  // sources (as documents), qualifiers its evidence code (the ECO class),
  // curator and date. The statements themselves stay claims too. Keyed by
  // the triple term's Key.
  absl::StatusOr<std::map<std::string, std::pair<Term, std::vector<Evidence>>>> AxiomEvidence() {
    // Built once: this runs over every statement of every chunk.
    static const std::string kType = StrCat(kRdfNs, "type");
    static const std::string kAxiom = "http://www.w3.org/2002/07/owl#Axiom";
    static const std::string kNamedIndividual = "http://www.w3.org/2002/07/owl#NamedIndividual";
    static const std::string kSource = "http://www.w3.org/2002/07/owl#annotatedSource";
    static const std::string kProperty = "http://www.w3.org/2002/07/owl#annotatedProperty";
    static const std::string kTarget = "http://www.w3.org/2002/07/owl#annotatedTarget";
    static const std::string kLegoEvidence = "http://geneontology.org/lego/evidence";
    static const std::string kDcSource = "http://purl.org/dc/elements/1.1/source";
    static const std::string kDctSource = StrCat(kDctNs, "source");
    static const std::string kDcContributor = "http://purl.org/dc/elements/1.1/contributor";
    static const std::string kDctContributor = StrCat(kDctNs, "contributor");
    static const std::string kDcDate = "http://purl.org/dc/elements/1.1/date";
    static const std::string kDctDate = StrCat(kDctNs, "date");
    std::map<std::string, std::pair<Term, std::vector<Evidence>>> out;
    for (auto& [subject, indexes] : by_subject_) {
      const RdfTerm *s = nullptr, *p = nullptr, *o = nullptr;
      bool axiom = false;
      std::vector<const RdfTerm*> sources;
      for (size_t i : indexes) {
        const RdfQuad& q = quads_[i];
        if (q.p.value == kType && q.o.is_iri() && q.o.value == kAxiom) {
          axiom = true;
        } else if (q.p.value == kSource) {
          s = &q.o;
        } else if (q.p.value == kProperty) {
          p = &q.o;
        } else if (q.p.value == kTarget) {
          o = &q.o;
        } else if (q.p.value == kLegoEvidence) {
          sources.push_back(&q.o);
        }
      }
      if (!axiom || s == nullptr || p == nullptr || o == nullptr || sources.empty() ||
          !p->is_iri() || s->is_literal()) {
        continue;
      }
      const RdfTerm triple = RdfTerm::TripleTerm(*s, *p, *o);
      KG_ASSIGN_OR_RETURN(Term claim, FromRdf(triple, scope_, claim_nodes_));
      auto& entry = out.try_emplace(Key(triple), claim, std::vector<Evidence>{}).first->second;
      for (const RdfTerm* e : sources) {
        Evidence ev;
        for (size_t i : by_subject_[Key(*e)]) {
          const RdfQuad& q = quads_[i];
          const std::string& name = q.p.value;
          const bool literal_or_iri = q.o.is_literal() || q.o.is_iri();
          if ((name == kDcSource || name == kDctSource) && literal_or_iri) {
            ev.via.push_back(Term::Document(q.o.value));
          } else if ((name == kDcContributor || name == kDctContributor) && literal_or_iri) {
            ev.qualifiers.push_back({"curator", IsAbsoluteIri(q.o.value)
                                                    ? Term::Iri(q.o.value)
                                                    : Term::String(q.o.value)});
          } else if ((name == kDcDate || name == kDctDate) && q.o.is_literal()) {
            ev.qualifiers.push_back({"curated", Term::String(q.o.value)});
          } else if (name == kType && q.o.is_iri() && q.o.value != kNamedIndividual) {
            ev.qualifiers.push_back({"evidence_code", Term::Iri(q.o.value)});
          }
        }
        entry.second.push_back(std::move(ev));
      }
    }
    return out;
  }

  static std::optional<uint64_t> UnsignedOf(const RdfTerm& t) {
    if (!t.is_literal() || t.value.empty() || t.value.size() > 19) return std::nullopt;
    uint64_t v = 0;
    for (char c : t.value) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // The items of an rdf:_1, rdf:_2, ... node, in order; marks them used.
  std::vector<RdfTerm> Sequence(const RdfTerm& node, std::vector<bool>* used) {
    std::map<uint64_t, RdfTerm> items;
    for (size_t i : by_subject_[Key(node)]) {
      const std::string& p = quads_[i].p.value;
      const std::string prefix = StrCat(kRdfNs, "_");
      if (!p.starts_with(prefix)) continue;
      uint64_t n = 0;
      bool ok = p.size() > prefix.size();
      for (char c : std::string_view(p).substr(prefix.size())) {
        ok = ok && c >= '0' && c <= '9';
        n = n * 10 + (c - '0');
      }
      if (!ok) continue;
      (*used)[i] = true;
      items.emplace(n, quads_[i].o);
    }
    std::vector<RdfTerm> out;
    for (auto& [n, t] : items) out.push_back(t);
    return out;
  }

  bool ApplyMetadata(const std::string& p, const RdfTerm& o) {
    Document& d = write_.document;
    if (p == StrCat(kDctNs, "title")) d.title = o.value;
    else if (p == StrCat(kDctNs, "publisher")) d.publisher = o.value;
    else if (p == KgIri("url")) d.url = o.value;
    else if (p == KgIri("documentType")) d.type = o.value;
    else if (p == KgIri("text")) d.text = o.value;
    else if (p == KgIri("sha256")) { /* recomputed by the store */ }
    else if (p == StrCat(kDctNs, "date")) {
      auto t = FromRdf(o, scope_);
      if (!t.ok() || t->kind() != TermKind::kDate) return false;
      d.date = t->date();
    } else {
      return false;
    }
    return true;
  }

  absl::Status ApplyEvidenceProperty(const RdfQuad& q, Evidence* ev, std::vector<bool>* used) {
    const std::string& p = q.p.value;
    if (p == StrCat(kRdfNs, "reifies") || p == KgIri("ordinal")) return absl::OkStatus();
    if (p == KgIri("quote")) {
      ev->quote = q.o.value;
    } else if (p == KgIri("start") || p == KgIri("end")) {
      auto n = UnsignedOf(q.o);
      if (!n) return absl::InvalidArgumentError(StrCat("malformed ", p));
      (p == KgIri("start") ? span_start_ : span_end_) = *n;
    } else if (p == KgIri("hedge") || p == KgIri("stance")) {
      const std::string local = q.o.value.substr(std::min(q.o.value.size(), kKgVocabNs.size()));
      if (p == KgIri("hedge")) {
        auto h = ParseHedge(local);
        if (!h) return absl::InvalidArgumentError(StrCat("unknown hedge <", q.o.value, ">"));
        ev->hedge = *h;
      } else {
        auto s = ParseStance(local);
        if (!s) return absl::InvalidArgumentError(StrCat("unknown stance <", q.o.value, ">"));
        ev->stance = *s;
      }
    } else if (p == KgIri("negated")) {
      ev->negated = q.o.value == "true";
    } else if (p == StrCat(kProvNs, "wasAttributedTo")) {
      KG_ASSIGN_OR_RETURN(Term agent, FromRdf(q.o, scope_, claim_nodes_));
      ev->agent = agent;
    } else if (p == KgIri("via") && q.o.is_blank_node()) {
      for (const RdfTerm& v : Sequence(q.o, used)) {
        KG_ASSIGN_OR_RETURN(Term t, FromRdf(v, scope_, claim_nodes_));
        ev->via.push_back(t);
      }
    } else if (p.starts_with(kKgVocabNs)) {
      KG_ASSIGN_OR_RETURN(Term value, FromRdf(q.o, scope_, claim_nodes_));
      ev->qualifiers.push_back({p.substr(kKgVocabNs.size()), value});
    } else {
      return absl::InvalidArgumentError(StrCat("unexpected property <", p, "> on an evidence node"));
    }
    return absl::OkStatus();
  }

  std::string doc_id_;
  std::vector<RdfQuad> quads_;
  std::string scope_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_subject_;
  std::map<std::string, RdfTerm>* claim_nodes_;  // not owned
  DocumentWrite write_;
  std::optional<uint64_t> span_start_, span_end_;
};

}  // namespace

absl::StatusOr<DocumentWrite> GraphToDocument(std::string doc_id, std::vector<RdfQuad> quads,
                                              std::map<std::string, RdfTerm>* claim_nodes) {
  GraphLoader loader(std::move(doc_id), std::move(quads), claim_nodes);
  return loader.Build();
}

bool TakeEntity(const RdfQuad& q, std::map<std::string, Entity>* entities) {
  if (!q.s.is_iri() || !q.s.value.starts_with(kKgEntityNs) || !q.o.is_literal()) return false;
  const bool alias = q.p.value == KgIri("alias");
  if (!alias && q.p.value != KgIri("entityType")) return false;
  auto name = PercentDecode(std::string_view(q.s.value).substr(kKgEntityNs.size()));
  if (!name || name->empty()) return false;
  Entity& e = (*entities)[*name];
  e.name = *name;
  if (alias) e.aliases.push_back(q.o.value);
  else e.type = q.o.value;
  return true;
}

}  // namespace kg::ingest
