#include "query/provenance.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"

namespace kg::query {

bool Opposes(const Evidence& evidence) {
  return (evidence.stance == Stance::kDisputes) != evidence.negated;
}

std::string_view SideName(const Evidence& evidence) {
  if (!Opposes(evidence)) return "supports";
  return evidence.negated ? "negates" : "disputes";
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
  std::vector<Term> chain;
  const EvidenceEntry* innermost = nullptr;
  bool cycle = false;
  size_t reporter = 0;  // where innermost's document is on `chain`
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
      return emit(Walk{std::move(upto), &entry, true, base});
    }
    KG_ASSIGN_OR_RETURN(auto all, ctx.EvidenceFor(claim));
    std::vector<const EvidenceEntry*> inner;
    for (const EvidenceEntry& e : *all) {
      if (e.document_id == hop.text() && !IsVerdict(e.evidence)) inner.push_back(&e);
    }
    if (inner.empty()) continue;
    upto.pop_back();  // the inner evidence's chain starts with this document
    for (const EvidenceEntry* e : inner) {
      KG_RETURN_IF_ERROR(WalkEvidence(ctx, claim, *e, upto, visited, emit));
    }
    return absl::OkStatus();
  }
  return emit(Walk{std::move(prefix), &entry, false, base});
}

// Equal for chains shown alike: the same sources, both circular or neither.
std::string ChainKey(const Chain& c) {
  return StrCat(c.circular ? "circular " : "", ChainText(c.terms));
}

}  // namespace

absl::StatusOr<std::vector<Chain>> ChainsOf(Context& ctx, const EvidenceEntry& entry) {
  std::vector<Chain> out;
  absl::flat_hash_set<std::string> seen;
  KG_RETURN_IF_ERROR(WalkEvidence(ctx, entry.claim, entry, {}, {}, [&](Walk w) {
    Chain c{std::move(w.chain), w.cycle, w.reporter};
    if (seen.insert(ChainKey(c)).second) out.push_back(std::move(c));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Term>> FullChain(Context& ctx, const EvidenceEntry& entry) {
  // The first chain; no need to tell the others apart.
  std::vector<Term> out;
  KG_RETURN_IF_ERROR(WalkEvidence(ctx, entry.claim, entry, {}, {}, [&](Walk w) {
    if (out.empty()) out = std::move(w.chain);
    return absl::OkStatus();
  }));
  return out;
}

std::vector<Term> UpstreamOf(const Chain& chain) {
  std::vector<Term> out;
  auto add = [&](const Term& t) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  };
  const std::vector<Term>& terms = chain.terms;
  const size_t from = std::min(chain.reporter, terms.size() - 1);
  if (from + 1 == terms.size()) add(terms[from]);  // it speaks in its own voice
  for (size_t k = from + 1; k < terms.size(); ++k) add(terms[k]);
  if (chain.circular) {
    // Every document on the circle: each leans on the others.
    size_t first = 0;
    while (!(terms[first] == terms.back())) ++first;
    for (size_t k = first; k < terms.size(); ++k) add(terms[k]);
  }
  return out;
}

namespace {

// Union-find over the chains of one claim, by index.
class Components {
 public:
  explicit Components(size_t n) : parent_(n) {
    for (size_t i = 0; i < n; ++i) parent_[i] = i;
  }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  // The smaller index stays the representative, so groups keep the order of
  // their first chain.
  void Join(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<size_t> parent_;
};

// The group's name, its primary sources and the sources that tie its chains.
void Describe(RootSource& g) {
  absl::flat_hash_set<std::string> roots;
  std::vector<std::pair<Term, int>> shared;  // upstream source, chains it is on
  absl::flat_hash_map<std::string, size_t> where;  // source -> position in shared
  for (const Chain& c : g.chains) {
    const Term& root = c.terms.back();
    if (roots.insert(root.ToString()).second) g.roots.push_back(root);
    for (const Term& t : UpstreamOf(c)) {
      auto [it, inserted] = where.try_emplace(t.ToString(), shared.size());
      if (inserted) shared.emplace_back(t, 0);
      ++shared[it->second].second;
    }
  }
  for (auto& [t, n] : shared) {
    if (n > 1) g.through.push_back(t);
  }
  g.root = g.roots.size() == 1 || g.through.empty() ? g.roots.front() : g.through.front();
}

}  // namespace

absl::StatusOr<std::vector<RootSource>> RootsOf(Context& ctx, const TermId& claim,
                                                const std::vector<EvidenceEntry>* only) {
  KG_ASSIGN_OR_RETURN(auto all, ctx.EvidenceFor(claim));
  struct Found {
    Chain chain;
    bool opposes;
    const EvidenceEntry* outer;
  };
  std::vector<Found> found;
  const std::vector<EvidenceEntry>& list = only != nullptr ? *only : *all;
  for (const EvidenceEntry& e : list) {
    if (IsVerdict(e.evidence)) continue;  // a rating, not a source
    KG_RETURN_IF_ERROR(WalkEvidence(ctx, claim, e, {}, {}, [&](Walk w) {
      found.push_back({Chain{std::move(w.chain), w.cycle, w.reporter},
                       Opposes(w.innermost->evidence), &e});
      return absl::OkStatus();
    }));
  }
  // Chains on one side that share an upstream source depend on each other.
  Components groups(found.size());
  absl::flat_hash_map<std::string, size_t> first_with;  // side + source -> chain
  for (size_t i = 0; i < found.size(); ++i) {
    for (const Term& t : UpstreamOf(found[i].chain)) {
      auto [it, inserted] =
          first_with.try_emplace(StrCat(found[i].opposes ? "-" : "+", t.ToString()), i);
      if (!inserted) groups.Join(it->second, i);
    }
  }
  std::vector<RootSource> roots;
  absl::flat_hash_map<size_t, size_t> index;  // component -> position in roots
  absl::flat_hash_set<std::string> evidence_seen, chains_seen;  // with the group's position
  for (size_t i = 0; i < found.size(); ++i) {
    KG_RETURN_IF_ERROR(ctx.Tick());
    auto [it, inserted] = index.try_emplace(groups.Find(i), roots.size());
    if (inserted) {
      roots.emplace_back();
      roots.back().opposes = found[i].opposes;
      roots.back().cycle = true;
    }
    RootSource& g = roots[it->second];
    Found& f = found[i];
    g.cycle &= f.chain.circular;
    const EvidenceEntry& e = *f.outer;
    if (evidence_seen.insert(StrCat(it->second, " ", e.ordinal, " ", e.document_id)).second) {
      g.evidence.push_back(e);
    }
    if (chains_seen.insert(StrCat(it->second, " ", ChainKey(f.chain))).second) {
      g.chains.push_back(std::move(f.chain));
    }
  }
  for (RootSource& g : roots) Describe(g);
  return roots;
}

SourceCounts CountSources(const std::vector<RootSource>& roots) {
  SourceCounts n;
  for (const RootSource& r : roots) {
    if (r.cycle) {
      ++n.circular;
    } else {
      (r.opposes ? n.opposing : n.supporting)++;
    }
  }
  return n;
}

namespace {

void AddField(TraceNode& n, std::string key, std::string value) {
  if (!value.empty()) n.fields.emplace_back(std::move(key), TextCell(std::move(value)));
}

void AddField(TraceNode& n, std::string key, Cell value) {
  n.fields.emplace_back(std::move(key), std::move(value));
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
      if (inner.document_id != hop.text() || k == 0 || IsVerdict(inner.evidence)) continue;
      KG_ASSIGN_OR_RETURN(TraceNode child, EvidenceNode(ctx, inner, visited));
      n.children.push_back(std::move(child));
      continued = true;
    }
    if (continued) return n;
  } else {
    n.kind = "agent";
    n.label = SourceName(hop);
    if (hop.kind() == TermKind::kEntity) {
      KG_ASSIGN_OR_RETURN(const TermId id, ctx.snap().IdOf(hop));
      KG_ASSIGN_OR_RETURN(auto entity, ctx.snap().GetEntity(id));
      if (entity && !entity->type.empty()) AddField(n, "type", entity->type);
    }
  }
  if (last) {
    n.fields.insert(n.fields.begin(), {"role", TextCell("primary source")});
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
  AddField(n, "stance", std::string(SideName(ev)));
  if (ev.span) {
    Cell span = TextCell(StrCat(ev.span->start, "-", ev.span->end));
    span.json = StrCat("[", ev.span->start, ",", ev.span->end, "]");
    AddField(n, "span", std::move(span));
  }
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

std::vector<std::pair<std::string, std::string>> VerdictFields(Context& ctx,
                                                               const EvidenceEntry& e) {
  std::vector<std::pair<std::string, std::string>> out;
  std::optional<Verdict> v = VerdictOf(e.evidence);
  if (!v) return out;
  auto add = [&](std::string key, std::string value) {
    if (!value.empty()) out.emplace_back(std::move(key), std::move(value));
  };
  add("verdict", std::string(RatingName(v->rating)));
  add("rating", v->rating_text);
  if (v->value) {
    add("score", StrCat(v->value->ToString(), v->best ? StrCat(" of ", v->best->ToString()) : "",
                        v->worst ? StrCat(" (worst ", v->worst->ToString(), ")") : ""));
  }
  add("reviewer", SourceName(v->reviewer));
  if (v->review_author) add("review author", SourceName(*v->review_author));
  auto facts = ctx.DescribeDocument(e.document_id);
  if (facts.ok()) {
    if (facts->document.date) add("date", FormatDate(*facts->document.date));
    add("url", facts->document.url);
  }
  std::vector<std::string> seen;
  for (const Term& d : v->appearances) seen.push_back(SourceName(d));
  add("appearances", absl::StrJoin(seen, ", "));
  if (v->first_appearance) add("first appearance", SourceName(*v->first_appearance));
  return out;
}

absl::StatusOr<TraceNode> VerdictNode(Context& ctx, const EvidenceEntry& e) {
  TraceNode n;
  n.kind = "verdict";
  n.label = StrCat("doc:", e.document_id, " #", e.ordinal);
  AddField(n, "quote", e.evidence.quote);
  for (auto& [k, v] : VerdictFields(ctx, e)) AddField(n, k, v);
  return n;
}

absl::StatusOr<TraceNode> TraceClaim(Context& ctx, const TermId& claim,
                                     const std::vector<EvidenceEntry>* only,
                                     SourceCounts* counts) {
  TraceNode n;
  n.kind = "claim";
  KG_ASSIGN_OR_RETURN(Term t, ctx.Decode(claim));
  n.label = t.ToString();
  KG_ASSIGN_OR_RETURN(auto stored, ctx.EvidenceFor(claim));
  const std::vector<EvidenceEntry>* all = only != nullptr ? only : stored.get();
  KG_ASSIGN_OR_RETURN(std::vector<RootSource> roots, RootsOf(ctx, claim, only));
  const SourceCounts n_sources = CountSources(roots);
  if (counts != nullptr) *counts = n_sources;
  std::vector<const EvidenceEntry*> sources, verdicts;
  for (const EvidenceEntry& e : *all) {
    if (!IsVerdict(e.evidence)) sources.push_back(&e);
  }
  for (const EvidenceEntry& e : *stored) {
    if (IsVerdict(e.evidence)) verdicts.push_back(&e);
  }
  AddField(n, "evidence", NumberCell(static_cast<int64_t>(sources.size())));
  AddField(n, "independent sources",
           StrCat(n_sources.supporting, " supporting, ", n_sources.opposing, " opposing"));
  if (n_sources.circular > 0) {
    AddField(n, "circular (not counted)", NumberCell(n_sources.circular));
  }
  // Evidence that only continues another document's chain is shown there,
  // under that document, not again at the top.
  if (!verdicts.empty()) AddField(n, "verdicts", NumberCell(static_cast<int64_t>(verdicts.size())));
  absl::flat_hash_set<std::string> cited;
  for (const EvidenceEntry* entry : sources) {
    const EvidenceEntry& e = *entry;
    const std::vector<Term> chain = ChainOf(e);  // hops refer into it
    for (size_t k = 1; k < chain.size(); ++k) {
      const Term& hop = chain[k];
      if (hop.kind() == TermKind::kDocument && hop.text() != e.document_id) {
        cited.insert(hop.text());
      }
    }
  }
  for (bool skip_cited : {true, false}) {
    for (const EvidenceEntry* e : sources) {
      if (skip_cited && cited.contains(e->document_id)) continue;
      KG_ASSIGN_OR_RETURN(TraceNode child, EvidenceNode(ctx, *e, {}));
      n.children.push_back(std::move(child));
    }
    // Documents that only cite each other in a circle: show them all.
    if (!n.children.empty() || sources.empty()) break;
  }
  // The verdicts, next to the chains.
  for (const EvidenceEntry* e : verdicts) {
    KG_ASSIGN_OR_RETURN(TraceNode v, VerdictNode(ctx, *e));
    n.children.push_back(std::move(v));
  }
  return n;
}

}  // namespace kg::query
