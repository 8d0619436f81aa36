#include "ingest/schema_check.h"

#include "absl/container/flat_hash_map.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {

absl::StatusOr<SchemaCheckReport> CheckStoreSchema(const Snapshot& snap, size_t limit) {
  Vocabulary vocab = Vocabulary::Core();
  KG_RETURN_IF_ERROR(vocab.AddFromStore(snap));
  const Schema& schema = vocab.schema();
  SchemaCheckReport report;
  auto add = [&](SchemaViolation v) {
    if (report.violations.size() < limit) {
      report.violations.push_back(std::move(v));
    } else {
      ++report.more;
    }
  };
  auto type_of = [&vocab](const std::string& name) {
    const Entity* e = vocab.FindEntity(name);
    return e != nullptr ? e->type : std::string();
  };
  // The triples to look at: those of predicates with a rule, or all of them
  // when some qualifier has a rule (a qualifier may be on any claim).
  std::vector<TriplePattern> patterns;
  bool qualifier_rules = false;
  for (const SchemaRecord& r : schema.ToRecords()) {
    if (r.kind == SchemaRecord::Kind::kQualifier) qualifier_rules = true;
  }
  if (qualifier_rules) {
    patterns.push_back(TriplePattern{});
  } else {
    for (const SchemaRecord& r : schema.ToRecords()) {
      if (r.kind != SchemaRecord::Kind::kPredicate) continue;
      const PredicateRule* rule = schema.RuleOf(r.name);
      if (rule == nullptr || rule->empty()) continue;
      KG_ASSIGN_OR_RETURN(std::optional<TermId> p, snap.Find(Term::Entity(r.name)));
      if (!p) continue;  // no claim uses it
      TriplePattern pattern;
      pattern.p = *p;
      patterns.push_back(pattern);
    }
  }
  // `max`: distinct objects per (predicate, subject), across every document.
  absl::flat_hash_map<std::pair<TermId, TermId>, uint32_t> objects;
  for (const TriplePattern& pattern : patterns) {
    TripleCursor cur = snap.Scan(pattern);
    for (; cur.Valid(); cur.Next()) {
      KG_ASSIGN_OR_RETURN(TermId id, snap.ClaimIdOf(cur.triple()));
      KG_ASSIGN_OR_RETURN(Term claim, snap.Decode(id));
      KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> evidence, snap.EvidenceFor(id));
      ++report.claims_checked;
      for (const EvidenceEntry& e : evidence) {
        ++report.evidence_checked;
        for (Schema::Violation& v : schema.CheckEvidence(claim, e.evidence, type_of)) {
          add({e.document_id, claim.ToString(), std::move(v.message)});
        }
      }
      const PredicateRule* rule = claim.predicate().kind() == TermKind::kEntity
                                      ? schema.RuleOf(std::string(claim.predicate().text()))
                                      : nullptr;
      if (rule != nullptr && rule->max_objects > 0 &&
          ++objects[{cur.triple().p, cur.triple().s}] == rule->max_objects + 1) {
        add({"", claim.ToString(),
             StrCat("'", claim.predicate().text(), "' takes at most ", rule->max_objects,
                    " object(s) per subject, and ", claim.subject().ToString(),
                    " has more in the store")});
      }
    }
    KG_RETURN_IF_ERROR(cur.status());
  }
  return report;
}

}  // namespace kg::ingest
