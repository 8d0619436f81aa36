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

  const Vocabulary& vocabulary() const { return vocab_; }

 private:
  Vocabulary vocab_;
};

// A numeric rating and its bounds read as numbers; nullopt unless `text` is
// a decimal number.
std::optional<double> ParseRatingNumber(std::string_view text);

}  // namespace kg::ingest

#endif  // KG_INGEST_FACTCHECK_H_
