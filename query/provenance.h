// Walking provenance: from a piece of evidence along the sources it names
// (its document, the intermediate sources `via`, the agent) to the primary
// source, continuing into stored documents that give evidence for the same
// claim themselves. Cycle-safe: a document met twice on one walk ends the
// walk there and is reported as a circular citation.
#ifndef KG_QUERY_PROVENANCE_H_
#define KG_QUERY_PROVENANCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/model.h"
#include "kg/store.h"
#include "query/context.h"
#include "query/query.h"

namespace kg::query {

// True if the evidence speaks against its claim: it disputes it, or states
// its negation (but not both, which is support).
bool Opposes(const Evidence& evidence);

// The sources one piece of evidence names, outermost first: its document,
// then each `via`, then the agent; a source repeated next to itself is kept
// once.
std::vector<Term> ChainOf(const EvidenceEntry& entry);

// One primary source behind a claim, with every evidence chain that ends at
// it. Chains that converge on one root count once.
struct RootSource {
  Term root;
  bool opposes = false;  // the side the evidence reaching it takes
  bool cycle = false;    // a chain reached it by citing in a circle
  std::vector<EvidenceEntry> evidence;  // the outermost evidence of each chain
  std::vector<std::vector<Term>> chains;
};

// The distinct (root, side) pairs behind `claim`, in order of first
// appearance (evidence order).
// With `only`, just the chains starting at those pieces of evidence.
absl::StatusOr<std::vector<RootSource>> RootsOf(
    Context& ctx, const TermId& claim, const std::vector<EvidenceEntry>* only = nullptr);

// The primary source one piece of evidence leads to (its last chain element,
// or deeper when that chain continues into a stored document).
absl::StatusOr<std::vector<Term>> FullChain(Context& ctx, const EvidenceEntry& entry);

// The provenance tree of `claim`: evidence, documents, intermediate
// sources, down to each primary source.
// With `only`, just the tree below those pieces of evidence.
absl::StatusOr<TraceNode> TraceClaim(Context& ctx, const TermId& claim,
                                     const std::vector<EvidenceEntry>* only = nullptr);

// "doc:a -> doc:wsj -> UkrainianOfficials"
std::string ChainText(const std::vector<Term>& chain);
// How a term is named in provenance output: doc:id for documents, the name
// for entities, ToString() otherwise.
std::string SourceName(const Term& term);

}  // namespace kg::query

#endif  // KG_QUERY_PROVENANCE_H_
