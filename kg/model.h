// The evidence model: documents, the evidence each gives for a claim, and the
// named entities claims talk about. Plain value types, no behaviour beyond
// name conversions.
#ifndef KG_MODEL_H_
#define KG_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/term.h"

namespace kg {

// How firmly the document (or the agent it cites) states the claim.
// Do not change: on disk (the numbers are stored; schemas/storage-format.md "Records").
enum class Hedge : uint8_t {
  kAsserted,    // stated as fact in the document's own voice
  kReported,    // relayed from another source ("according to ...")
  kClaimed,     // "X claims that ..."
  kAlleged,     // "allegedly ..."
  kEstimated,   // "it is estimated that ..."
  kBelieved,    // "it is believed that ..."
  kAssessed,    // intelligence-style assessment ("assessed to ...")
  kSpeculated,  // "may", "could", "possibly"
  kDenied,      // the source denies the claim
};
inline constexpr Hedge kAllHedges[] = {
    Hedge::kAsserted,  Hedge::kReported, Hedge::kClaimed,
    Hedge::kAlleged,   Hedge::kEstimated, Hedge::kBelieved,
    Hedge::kAssessed,  Hedge::kSpeculated, Hedge::kDenied};
std::string_view HedgeName(Hedge hedge);
std::optional<Hedge> ParseHedge(std::string_view name);

// Whether this piece of evidence supports or disputes the claim.
// Do not change: on disk (the numbers are stored; schemas/storage-format.md "Records").
enum class Stance : uint8_t { kSupports, kDisputes };
std::string_view StanceName(Stance stance);
std::optional<Stance> ParseStance(std::string_view name);

// A half-open range [start, end) of Unicode code points in a document's
// canonical text.
struct Span {
  uint64_t start = 0;
  uint64_t end = 0;
  bool operator==(const Span&) const = default;
};

// A qualifier on a piece of evidence: key is a vocabulary name such as
// "time", "quantity" or "place"; value is any term.
struct Qualifier {
  std::string key;
  Term value;
  bool operator==(const Qualifier&) const = default;
};

// One document's support for (or dispute of) one claim.
struct Evidence {
  std::string quote;          // the exact words, == text[span] when span is set
  std::optional<Span> span;   // unset for claims from document metadata
  std::optional<Term> agent;  // who the document attributes the claim to
  std::vector<Term> via;      // intermediate sources, outermost first
                              // (e.g. doc:wsj-report, then the agent it quotes)
  Hedge hedge = Hedge::kAsserted;
  Stance stance = Stance::kSupports;
  bool negated = false;  // the quote states the claim's negation
  std::vector<Qualifier> qualifiers;
  bool operator==(const Evidence&) const = default;
};

// A claim (a Term of kind kClaim) and one piece of evidence for it.
struct ClaimEvidence {
  Term claim;
  Evidence evidence;
};

// How a document relates to another document or to an agent.
// Do not change: on disk (the numbers are stored; schemas/storage-format.md "Records").
enum class Relation : uint8_t { kCites, kReports, kQuotes, kDerivedFrom };
std::string_view RelationName(Relation relation);  // also its predicate name
std::optional<Relation> ParseRelation(std::string_view name);

// A relation from the document that holds it to `target` (a document or an
// entity). Stored as the claim (doc:<id> <relation> target) with evidence
// from the document.
struct DocumentLink {
  Relation relation = Relation::kCites;
  Term target;
  std::string quote;
  std::optional<Span> span;
  bool operator==(const DocumentLink&) const = default;
};

struct Document {
  std::string id;  // non-empty; the document's term is Term::Document(id)
  std::string title;
  std::string publisher;
  std::vector<std::string> authors;
  std::optional<Date> date;
  std::string url;
  std::string type;  // report, article, commentary, ...
  std::string text;  // canonical text: valid UTF-8, offsets count code points
  std::string sha256;  // hex SHA-256 of text; computed by the store on write
  std::vector<DocumentLink> links;
  bool operator==(const Document&) const = default;
};

// A named entity: the canonical name (its Term::Entity) and the aliases that
// resolve to it.
struct Entity {
  std::string name;
  std::vector<std::string> aliases;
  std::string type;  // vocabulary type name, may be empty
  bool operator==(const Entity&) const = default;
};

// Everything one document contributes; written as one atomic unit.
struct DocumentWrite {
  Document document;
  std::vector<ClaimEvidence> claims;
  std::vector<Entity> entities;
};

}  // namespace kg

#endif  // KG_MODEL_H_
