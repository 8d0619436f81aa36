#include "query/provenance.h"

#include <functional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::query {

bool Opposes(const Evidence& evidence) {
  return (evidence.stance == Stance::kDisputes) != evidence.negated;
}

std::vector<Term> ChainOf(const EvidenceEntry& entry) {
  std::vector<Term> chain = {Term::Document(entry.document_id)};
  auto push = [&](const Term& t) {
    if (!(chain.back() == t)) chain.push_back(t);
  };
  for (const Term& v : entry.evidence.via) push(v);
  if (entry.evidence.agent) push(*entry.evidence.agent);
  return chain;
}

std::string SourceName(const Term& term) { return term.ToString(); }

std::string ChainText(const std::vector<Term>& chain) {
  std::vector<std::string> parts;
  for (const Term& t : chain) parts.push_back(SourceName(t));
  return absl::StrJoin(parts, " -> ");
}

namespace {

struct Walk {
  Term root;
  std::vector<Term> chain;
  const EvidenceEntry* innermost = nullptr;
  bool cycle = false;
};

// Calls `emit` for each chain starting at `entry`. `prefix` is the chain up
// to (not including) entry's document; `visited` the documents on it.
absl::Status WalkEvidence(Context& ctx, const TermId& claim, const EvidenceEntry& entry,
                          std::vector<Term> prefix,
                          absl::flat_hash_set<std::string> visited,
                          const std::function<absl::Status(Walk)>& emit) {
  KG_RETURN_IF_ERROR(ctx.Tick());
  const std::vector<Term> hops = ChainOf(entry);
  visited.insert(entry.document_id);
  for (const Term& h : hops) prefix.push_back(h);
  const size_t base = prefix.size() - hops.size();
  for (size_t k = 1; k < hops.size(); ++k) {
    const Term& hop = hops[k];
    if (hop.kind() != TermKind::kDocument) continue;
    std::vector<Term> upto(prefix.begin(), prefix.begin() + base + k + 1);
    if (visited.contains(hop.text())) {
      return emit(Walk{hop, std::move(upto), &entry, true});
    }
    KG_ASSIGN_OR_RETURN(auto all, ctx.EvidenceFor(claim));
    std::vector<const EvidenceEntry*> inner;
    for (const EvidenceEntry& e : *all) {
      if (e.document_id == hop.text()) inner.push_back(&e);
    }
    if (inner.empty()) continue;
    upto.pop_back();  // the inner evidence's chain starts with this document
    for (const EvidenceEntry* e : inner) {
      KG_RETURN_IF_ERROR(WalkEvidence(ctx, claim, *e, upto, visited, emit));
    }
    return absl::OkStatus();
  }
  return emit(Walk{hops.back(), std::move(prefix), &entry, false});
}

}  // namespace

absl::StatusOr<std::vector<Term>> FullChain(Context& ctx, const EvidenceEntry& entry) {
  std::vector<Term> out;
  KG_RETURN_IF_ERROR(WalkEvidence(ctx, entry.claim, entry, {}, {},
                                  [&](Walk w) {
                                    if (out.empty()) out = std::move(w.chain);
                                    return absl::OkStatus();
                                  }));
  return out;
}

absl::StatusOr<std::vector<RootSource>> RootsOf(Context& ctx, const TermId& claim,
                                                const std::vector<EvidenceEntry>* only) {
  KG_ASSIGN_OR_RETURN(auto all, ctx.EvidenceFor(claim));
  std::vector<RootSource> roots;
  for (const EvidenceEntry& e : only != nullptr ? *only : *all) {
    KG_RETURN_IF_ERROR(WalkEvidence(
        ctx, claim, e, {}, {}, [&](Walk w) -> absl::Status {
          const bool opposes = Opposes(w.innermost->evidence);
          RootSource* found = nullptr;
          for (RootSource& r : roots) {
            if (r.root == w.root && r.opposes == opposes) found = &r;
          }
          if (found == nullptr) {
            roots.emplace_back();
            found = &roots.back();
            found->root = w.root;
            found->opposes = opposes;
          }
          found->cycle |= w.cycle;
          found->evidence.push_back(e);
          found->chains.push_back(std::move(w.chain));
          return absl::OkStatus();
        }));
  }
  return roots;
}

namespace {

void AddField(TraceNode& n, std::string key, std::string value) {
  if (!value.empty()) n.fields.emplace_back(std::move(key), std::move(value));
}

absl::StatusOr<TraceNode> DocumentNode(Context& ctx, const std::string& id) {
  TraceNode n;
  n.kind = "document";
  n.label = StrCat("doc:", id);
  KG_ASSIGN_OR_RETURN(Context::DocumentFacts facts, ctx.DescribeDocument(id));
  const Document& doc = facts.document;
  AddField(n, "title", doc.title);
  AddField(n, "publisher", doc.publisher);
  if (doc.date) AddField(n, "date", FormatDate(*doc.date));
  AddField(n, "url", doc.url);
  if (!facts.stored) AddField(n, "stored", "no (known from citations)");
  return n;
}

absl::StatusOr<TraceNode> EvidenceNode(Context& ctx, const EvidenceEntry& e,
                                       absl::flat_hash_set<std::string> visited);

// The node for chain element hops[k] with the rest of the chain below it.
absl::StatusOr<TraceNode> HopNode(Context& ctx, const EvidenceEntry& e,
                                  const std::vector<Term>& hops, size_t k,
                                  absl::flat_hash_set<std::string>& visited) {
  KG_RETURN_IF_ERROR(ctx.Tick());
  const Term& hop = hops[k];
  const bool last = k + 1 == hops.size();
  TraceNode n;
  if (hop.kind() == TermKind::kDocument) {
    if (k > 0 && visited.contains(hop.text())) {
      n.kind = "cycle";
      n.label = SourceName(hop);
      AddField(n, "note", "circular citation: this document is already on the chain");
      return n;
    }
    KG_ASSIGN_OR_RETURN(n, DocumentNode(ctx, hop.text()));
    // A stored document with its own evidence for the claim: follow that.
    KG_ASSIGN_OR_RETURN(auto all, ctx.EvidenceFor(e.claim));
    bool continued = false;
    for (const EvidenceEntry& inner : *all) {
      if (inner.document_id != hop.text() || k == 0) continue;
      KG_ASSIGN_OR_RETURN(TraceNode child, EvidenceNode(ctx, inner, visited));
      n.children.push_back(std::move(child));
      continued = true;
    }
    if (continued) return n;
  } else {
    n.kind = "agent";
    n.label = SourceName(hop);
    if (hop.kind() == TermKind::kEntity) {
      KG_ASSIGN_OR_RETURN(auto entity, ctx.snap().GetEntity(IdOf(hop)));
      if (entity && !entity->type.empty()) AddField(n, "type", entity->type);
    }
  }
  if (last) {
    n.fields.insert(n.fields.begin(), {"role", "primary source"});
    return n;
  }
  if (hop.kind() == TermKind::kDocument) visited.insert(hop.text());
  KG_ASSIGN_OR_RETURN(TraceNode child, HopNode(ctx, e, hops, k + 1, visited));
  n.children.push_back(std::move(child));
  return n;
}

absl::StatusOr<TraceNode> EvidenceNode(Context& ctx, const EvidenceEntry& e,
                                       absl::flat_hash_set<std::string> visited) {
  TraceNode n;
  n.kind = "evidence";
  n.label = StrCat("doc:", e.document_id, " #", e.ordinal);
  const Evidence& ev = e.evidence;
  AddField(n, "quote", ev.quote);
  AddField(n, "hedge", std::string(HedgeName(ev.hedge)));
  AddField(n, "stance", Opposes(ev) ? (ev.negated ? "negates" : "disputes") : "supports");
  if (ev.span) AddField(n, "span", StrCat(ev.span->start, "-", ev.span->end));
  for (const Qualifier& q : ev.qualifiers) AddField(n, q.key, q.value.ToString());
  const std::vector<Term> hops = ChainOf(e);
  if (visited.contains(e.document_id)) {
    TraceNode c;
    c.kind = "cycle";
    c.label = StrCat("doc:", e.document_id);
    AddField(c, "note", "circular citation: this document is already on the chain");
    n.children.push_back(std::move(c));
    return n;
  }
  visited.insert(e.document_id);
  KG_ASSIGN_OR_RETURN(TraceNode doc, HopNode(ctx, e, hops, 0, visited));
  n.children.push_back(std::move(doc));
  return n;
}

}  // namespace

absl::StatusOr<TraceNode> TraceClaim(Context& ctx, const TermId& claim,
                                     const std::vector<EvidenceEntry>* only) {
  TraceNode n;
  n.kind = "claim";
  KG_ASSIGN_OR_RETURN(Term t, ctx.Decode(claim));
  n.label = t.ToString();
  KG_ASSIGN_OR_RETURN(auto stored, ctx.EvidenceFor(claim));
  const std::vector<EvidenceEntry>* all = only != nullptr ? only : stored.get();
  KG_ASSIGN_OR_RETURN(std::vector<RootSource> roots, RootsOf(ctx, claim, only));
  int support = 0, oppose = 0, circular = 0;
  for (const RootSource& r : roots) {
    if (r.cycle) {
      ++circular;
    } else {
      (r.opposes ? oppose : support)++;
    }
  }
  AddField(n, "evidence", StrCat(all->size()));
  AddField(n, "independent sources", StrCat(support, " supporting, ", oppose, " opposing"));
  if (circular > 0) AddField(n, "circular chains", StrCat(circular));
  // Evidence that only continues another document's chain is shown there,
  // under that document, not again at the top.
  absl::flat_hash_set<std::string> cited;
  for (const EvidenceEntry& e : *all) {
    const std::vector<Term> chain = ChainOf(e);  // hops refer into it
    for (size_t k = 1; k < chain.size(); ++k) {
      const Term& hop = chain[k];
      if (hop.kind() == TermKind::kDocument && hop.text() != e.document_id) {
        cited.insert(hop.text());
      }
    }
  }
  for (bool skip_cited : {true, false}) {
    for (const EvidenceEntry& e : *all) {
      if (skip_cited && cited.contains(e.document_id)) continue;
      KG_ASSIGN_OR_RETURN(TraceNode child, EvidenceNode(ctx, e, {}));
      n.children.push_back(std::move(child));
    }
    // Documents that only cite each other in a circle: show them all.
    if (!n.children.empty() || all->empty()) break;
  }
  return n;
}

}  // namespace kg::query
