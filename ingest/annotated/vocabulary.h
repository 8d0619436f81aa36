// The vocabulary ingest validates against: types, predicates and entities
// (with aliases). Built from the core vocabulary compiled into kg, the
// vocabulary already in the store, and `.kgv` files. Unknown names get the
// closest known name as a suggestion.
#ifndef KG_INGEST_ANNOTATED_VOCABULARY_H_
#define KG_INGEST_ANNOTATED_VOCABULARY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "ingest/annotated/annotated_parser.h"
#include "kg/model.h"
#include "kg/schema.h"
#include "kg/store.h"

namespace kg::ingest {

// Store types of vocabulary entries (Entity::type of their entity records).
inline constexpr char kTypeType[] = "Type";
inline constexpr char kPredicateType[] = "Predicate";

struct PredicateInfo {
  std::string domain, range, prov, label;
};

class Vocabulary {
 public:
  // The core vocabulary (schemas/vocab/core.kgv, compiled in).
  static Vocabulary Core();

  // Adds every vocabulary entry stored in `snap` (types, predicates and
  // entities with aliases).
  absl::Status AddFromStore(const Snapshot& snap);

  // Parses a .kgv file's directives into this vocabulary. Errors go to
  // `diag`; entries of a file with errors are still added so later errors
  // are meaningful, but callers must not store them.
  void AddDirectives(const std::vector<Directive>& directives, Diagnostics* diag);

  // True for the keywords of the directives a .kgv file adds entries with:
  // type, predicate, qualifier and entity.
  static bool IsEntryKeyword(std::string_view keyword) {
    return keyword == "type" || keyword == "predicate" || keyword == "qualifier" ||
           keyword == "entity";
  }

  // The rules (kg/schema.h) of the core vocabulary, the store's and the
  // files added.
  const Schema& schema() const { return schema_; }
  // The rules `directives` (a .kgv file's, already added) declare, to store.
  std::vector<SchemaRecord> SchemaRecordsOf(const std::vector<Directive>& directives) const;

  // Handles one `@entity` directive (also used by documents).
  void AddEntityDirective(const Directive& d, Diagnostics* diag);

  bool IsType(std::string_view name) const { return types_.contains(std::string(name)); }
  bool IsPredicate(std::string_view name) const {
    return predicates_.contains(std::string(name));
  }
  // The entity whose canonical name is `name` (exact), or null.
  const Entity* FindEntity(const std::string& name) const {
    auto it = entities_.find(name);
    return it == entities_.end() ? nullptr : &it->second;
  }
  // Canonical name for a canonical name or alias (case-insensitive).
  std::optional<std::string> ResolveEntity(std::string_view name) const;

  // "did you mean 'x'?" for the closest known name of that kind, or "".
  std::string SuggestType(std::string_view name) const;
  std::string SuggestPredicate(std::string_view name) const;
  std::string SuggestEntity(std::string_view name) const;

  // Everything as store entities (types, predicates, then entities).
  std::vector<Entity> ToEntities() const;

  size_t entity_count() const { return entities_.size(); }
  size_t predicate_count() const { return predicates_.size(); }

 private:
  std::map<std::string, std::string> types_;  // name -> parent
  std::map<std::string, PredicateInfo> predicates_;
  std::map<std::string, Entity> entities_;        // canonical name -> entity
  std::map<std::string, std::string> aliases_;    // folded alias -> canonical
  Schema schema_;
};

}  // namespace kg::ingest

#endif  // KG_INGEST_ANNOTATED_VOCABULARY_H_
