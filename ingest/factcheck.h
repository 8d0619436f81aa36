// What the fact-check importers (ClaimReview, FEVER) share: the mapping from
// a publisher's rating label to kg's scale, kept in the vocabulary as the
// aliases of the Rating entities (schemas/vocab/core.kgv), and entity names
// for reviewers and authors known only by their display names.
#ifndef KG_INGEST_FACTCHECK_H_
#define KG_INGEST_FACTCHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/model.h"
#include "kg/store.h"
#include "kg/verdict.h"
#include "nlohmann/json_fwd.hpp"

namespace kg::ingest {

class FactCheckVocabulary {
 public:
  // The core vocabulary and whatever `snap` adds (aliases of the Rating
  // entities from ingested .kgv files, the store's entities).
  static absl::StatusOr<FactCheckVocabulary> Load(const Snapshot& snap);

  // The rating a label maps to (case-insensitive, through the Rating
  // entities' aliases: "Pants on Fire" -> false), or nullopt.
  std::optional<Rating> RatingOfLabel(std::string_view label) const;

  // The entity to name an agent known by `display` ("Full Fact",
  // "PolitiFact", "Rich Perry"): the canonical name of a known entity
  // of which `display` is the name or an alias; else a new canonical name made
  // of the display name's letters, digits and '_-.' (each word capitalised:
  // "Full Fact" -> FullFact) with `display` as its alias. nullopt if
  // `display` has no letter or digit. `type` is given to a new entity.
  std::optional<Entity> AgentEntity(std::string_view display, std::string_view type) const;

  // What a write that uses them declares, as the vocabulary has them: the
  // entity of `rating`; for a text claim, the predicate `is` and the entity
  // TextClaim.
  Entity RatingDeclaration(Rating rating) const;
  void DeclareTextClaim(std::vector<Entity>* entities) const;

  const Vocabulary& vocabulary() const { return vocab_; }

 private:
  Vocabulary vocab_;
};

// The Rating entity a label names in `vocab` (case-insensitive, through the
// Rating entities' aliases; "Pants on Fire!" reads as "Pants on Fire"), or
// nullopt. Shared by the annotated format's `verdict` attribute and the
// importers.
std::optional<std::string> RatingEntityOfLabel(const Vocabulary& vocab, std::string_view label);

// Where a JSON parse stopped: `byte` (1-based, as nlohmann's
// parse_error::byte; 0 when unknown) within `text`, as a 1-based line and a
// column counted in code points.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition PositionInText(std::string_view text, size_t byte);
// An nlohmann exception's message without its "[json.exception...] " and
// "parse error at line L, column C: " prefixes (the caller gives the
// position in the file's own lines).
std::string JsonErrorMessage(std::string_view what);

// How deep the importers let JSON nest (they and nlohmann's dump() recurse
// over values; a file of a million '[' must not overflow the stack).
inline constexpr int kMaxJsonDepth = 64;
// True if `value` nests arrays and objects deeper than `limit` levels.
// Iterative.
bool JsonDeeperThan(const nlohmann::json& value, int limit);

// A numeric rating and its bounds read as numbers; nullopt unless `text` is
// a decimal number.
std::optional<double> ParseRatingNumber(std::string_view text);

}  // namespace kg::ingest

#endif  // KG_INGEST_FACTCHECK_H_
