// Walking provenance: from a piece of evidence along the sources it names
// (its document, the intermediate sources `via`, the agent) to the primary
// source, continuing into stored documents that give evidence for the same
// claim themselves. Cycle-safe: a document met twice on one walk ends the
// walk there and is reported as a circular citation. The chains of a claim
// are grouped into independent sources (RootsOf).
#ifndef KG_QUERY_PROVENANCE_H_
#define KG_QUERY_PROVENANCE_H_

#include <cstddef>
#include <cstdint>
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
// Which side the evidence is on, in words: "supports", "disputes", or
// "negates" (opposes by stating the claim's negation).
std::string_view SideName(const Evidence& evidence);

// The sources one piece of evidence names, outermost first: its document,
// then each `via`, then the agent; a source repeated next to itself is kept
// once.
std::vector<Term> ChainOf(const EvidenceEntry& entry);

// One evidence chain: the sources a piece of evidence rests on, outermost
// first (its document, each `via`, the agent), continued into stored
// documents that give their own evidence for the claim.
struct Chain {
  std::vector<Term> terms;
  bool circular = false;  // ends at a document already on it
  // The position of the reporting document: the stored document whose own
  // evidence the chain ends in (0 unless the chain continues into another
  // document's evidence). The documents before it only cite it.
  size_t reporter = 0;
};

// Every chain starting at `entry`, in walk order, each once (several when it
// continues into a stored document with several pieces of evidence).
absl::StatusOr<std::vector<Chain>> ChainsOf(Context& ctx, const EvidenceEntry& entry);

// The sources a chain depends on: every element after its reporting
// document, or the reporting document itself when nothing follows it (it
// speaks in its own voice); for a chain that ends in a circular citation,
// also every document on the circle. The reporting document's text is
// stored, so it only reports what follows it; the documents before it only
// cite it and add nothing.
std::vector<Term> UpstreamOf(const Chain& chain);

// One independent source behind a claim, on one side.
//
// The rule (docs/query-language.md, section 11): two chains on the same side
// depend on each other when they share an upstream source (UpstreamOf).
// Dependence is transitive, so the chains of a side fall into groups
// (connected components); each group is one independent source. A group
// whose every chain ends in a circular citation is not counted.
struct RootSource {
  // The name of the group: its primary source when all its chains end at one,
  // else the first of `through` (the source that ties them).
  Term root;
  bool opposes = false;  // the side: that of the innermost evidence of each chain
  bool cycle = false;    // every chain ends in a circular citation: not counted
  std::vector<Term> roots;    // the primary sources (last chain elements), each once
  std::vector<Term> through;  // upstream sources on more than one of `chains`
  std::vector<EvidenceEntry> evidence;  // the outermost evidence of the chains, each once
  std::vector<Chain> chains;            // each once
};

// The independent sources behind `claim` by side, in order of first
// appearance (evidence order). With `only`, just the chains starting at those
// pieces of evidence.
absl::StatusOr<std::vector<RootSource>> RootsOf(
    Context& ctx, const TermId& claim, const std::vector<EvidenceEntry>* only = nullptr);

// What RootsOf's groups add up to.
struct SourceCounts {
  int64_t supporting = 0;  // independent sources on each side
  int64_t opposing = 0;
  int64_t circular = 0;    // groups resting only on circular citations
};
SourceCounts CountSources(const std::vector<RootSource>& roots);

// The first chain of one piece of evidence (ChainsOf(...)[0].terms); its
// last element is the evidence's primary source.
absl::StatusOr<std::vector<Term>> FullChain(Context& ctx, const EvidenceEntry& entry);

// The provenance tree of `claim`: evidence, documents, intermediate
// sources, down to each primary source.
// With `only`, just the tree below those pieces of evidence. With `counts`,
// also its independent sources (CountSources of RootsOf).
absl::StatusOr<TraceNode> TraceClaim(Context& ctx, const TermId& claim,
                                     const std::vector<EvidenceEntry>* only = nullptr,
                                     SourceCounts* counts = nullptr);

// A verdict's fields as shown next to a trace, in order (verdict, rating,
// score, reviewer, review author, date, url, appearances, first
// appearance), each with a value; empty unless `e` is a verdict.
std::vector<std::pair<std::string, std::string>> VerdictFields(Context& ctx,
                                                               const EvidenceEntry& e);
// A TRACE node of kind "verdict" for `e`.
absl::StatusOr<TraceNode> VerdictNode(Context& ctx, const EvidenceEntry& e);

// "doc:a -> doc:wsj -> UkrainianOfficials"
std::string ChainText(const std::vector<Term>& chain);
// How a term is named in provenance output: doc:id for documents, the name
// for entities, ToString() otherwise.
std::string SourceName(const Term& term);

}  // namespace kg::query

#endif  // KG_QUERY_PROVENANCE_H_
