#include "ingest/annotated/vocabulary.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"

#include "ingest/annotated/core_vocabulary.h"
#include "kg/closest_name.h"
#include "kg/keys.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {
namespace {

template <typename Names>
std::string Suggest(std::string_view name, const Names& names) {
  std::vector<std::string_view> candidates;
  for (const auto& [candidate, unused] : names) {
    if (CouldSuggest(name, candidate)) candidates.push_back(candidate);
  }
  return DidYouMean(name, candidates);
}

}  // namespace

Vocabulary Vocabulary::Core() {
  Vocabulary v;
  const std::string_view text = CoreVocabularyText();
  Diagnostics diag("core.kgv", text);
  ParsedFile parsed = ParseAnnotated(text, &diag);
  v.AddDirectives(parsed.directives, &diag);
  return v;  // the core vocabulary is tested to parse without errors
}

absl::Status Vocabulary::AddFromStore(const Snapshot& snap) {
  auto entities = snap.ListEntities();
  if (!entities.ok()) return entities.status();
  for (const Entity& e : *entities) {
    if (e.type == kTypeType) {
      types_.emplace(e.name, "");
    } else if (e.type == kPredicateType) {
      predicates_.emplace(e.name, PredicateInfo{});
    } else {
      entities_[e.name] = e;
      aliases_[FoldName(e.name)] = e.name;
      for (const auto& alias : e.aliases) aliases_.emplace(FoldName(alias), e.name);
    }
  }
  // The rules stored with the vocabulary files loaded before (the core
  // vocabulary's come with the binary).
  auto records = snap.ListSchema();
  if (!records.ok()) return records.status();
  for (const SchemaRecord& r : *records) {
    if (r.kind == SchemaRecord::Kind::kType) types_[r.name] = r.rule;
  }
  if (absl::Status s = schema_.AddRecords(*records); !s.ok()) return s;
  return absl::OkStatus();
}

std::vector<SchemaRecord> Vocabulary::SchemaRecordsOf(
    const std::vector<Directive>& directives) const {
  std::set<std::string> names;
  for (const Directive& d : directives) {
    if (d.keyword != "type" && d.keyword != "predicate" && d.keyword != "qualifier") continue;
    names.insert(StrCat(d.keyword[0] == 't' ? "t" : d.keyword[0] == 'p' ? "p" : "q", "/",
                        SplitFields(d)[0].key));
  }
  std::vector<SchemaRecord> out;
  for (const SchemaRecord& r : schema_.ToRecords()) {
    if (names.contains(StrCat(std::string(1, static_cast<char>(r.kind)), "/", r.name))) {
      out.push_back(r);
    }
  }
  return out;
}

void Vocabulary::AddEntityDirective(const Directive& d, Diagnostics* diag) {
  std::vector<Field> fields = SplitFields(d);
  const Field& head = fields[0];
  if (!IsName(head.key) || !head.value.empty()) {
    diag->Error(head.key_pos, "expected an entity name (letters, digits, '_'), e.g. '@entity NorthKorea ; type Country ; alias Pyongyang'");
    return;
  }
  Entity e;
  e.name = head.key;
  for (size_t i = 1; i < fields.size(); ++i) {
    const Field& f = fields[i];
    if (f.key == "type") {
      if (!IsType(f.value)) {
        diag->Error(f.value_pos, StrCat("unknown type '", f.value, "'", SuggestType(f.value)));
        continue;
      }
      e.type = f.value;
    } else if (f.key == "alias") {
      if (f.value.empty()) {
        diag->Error(f.value_pos, "expected the alias text after 'alias'");
        continue;
      }
      e.aliases.push_back(f.value);
    } else {
      diag->Error(f.key_pos, StrCat("unknown entity field '", f.key, "': expected 'type' or 'alias'"));
    }
  }
  if (auto other = ResolveEntity(e.name); other && *other != e.name) {
    diag->Error(head.key_pos, StrCat("'", e.name, "' is already an alias of '", *other, "'"));
    return;
  }
  Entity& slot = entities_[e.name];
  slot.name = e.name;
  if (!e.type.empty()) slot.type = e.type;
  aliases_[FoldName(e.name)] = e.name;
  for (const auto& alias : e.aliases) {
    if (std::find(slot.aliases.begin(), slot.aliases.end(), alias) == slot.aliases.end()) {
      slot.aliases.push_back(alias);
    }
    aliases_.emplace(FoldName(alias), e.name);
  }
}

void Vocabulary::AddDirectives(const std::vector<Directive>& directives, Diagnostics* diag) {
  for (const Directive& d : directives) {
    if (d.keyword == "entity") {
      AddEntityDirective(d, diag);
      continue;
    }
    if (!IsEntryKeyword(d.keyword)) {
      diag->Error(d.pos, StrCat("unknown vocabulary directive '@", d.keyword,
                                "': expected @type, @predicate, @qualifier or @entity"));
      continue;
    }
    std::vector<Field> fields = SplitFields(d);
    const Field& head = fields[0];
    if (!IsName(head.key) || !head.value.empty()) {
      diag->Error(head.key_pos, StrCat("expected a ", d.keyword, " name (letters, digits, '_')"));
      continue;
    }
    if (d.keyword == "type") {
      std::string parent;
      for (size_t i = 1; i < fields.size(); ++i) {
        if (fields[i].key != "parent") {
          diag->Error(fields[i].key_pos, StrCat("unknown type field '", fields[i].key, "': expected 'parent'"));
        } else if (!IsType(fields[i].value)) {
          diag->Error(fields[i].value_pos, StrCat("unknown type '", fields[i].value, "'", SuggestType(fields[i].value)));
        } else {
          parent = fields[i].value;
        }
      }
      types_[head.key] = parent;
      schema_.SetTypeParent(head.key, parent);
      continue;
    }
    if (d.keyword == "qualifier") {
      std::string kind;
      for (size_t i = 1; i < fields.size(); ++i) {
        const Field& f = fields[i];
        if (f.key != "value") {
          diag->Error(f.key_pos, StrCat("unknown qualifier field '", f.key, "': expected 'value'"));
        } else if (!IsValueKind(f.value)) {
          diag->Error(f.value_pos, StrCat("unknown kind of value '", f.value,
                                          "': expected string, number, date, document, entity "
                                          "or claim"));
        } else {
          kind = f.value;
        }
      }
      if (kind.empty() && diag->ok()) {
        diag->Error(head.key_pos, "a qualifier needs its kind of value, e.g. '@qualifier "
                                  "quantity ; value number'");
      }
      if (!kind.empty()) schema_.SetQualifierKind(head.key, kind);
      continue;
    }
    PredicateInfo info;
    PredicateRule rule;
    for (size_t i = 1; i < fields.size(); ++i) {
      const Field& f = fields[i];
      if (f.key == "prov") {
        info.prov = f.value;
      } else if (f.key == "label") {
        info.label = f.value;
      } else if (absl::Status s = Schema::ParsePredicateField(
                     f.key, f.value, [this](std::string_view t) { return IsType(t); }, &rule);
                 !s.ok()) {
        if (absl::IsNotFound(s)) {
          diag->Error(f.value_pos, StrCat(s.message(), SuggestType(f.value)));
        } else {
          diag->Error(absl::StartsWith(s.message(), "unknown predicate field") ? f.key_pos
                                                                               : f.value_pos,
                      std::string(s.message()));
        }
      }
    }
    info.domain = rule.domain;
    info.range = rule.range;
    predicates_[head.key] = info;
    schema_.SetPredicateRule(head.key, std::move(rule));
  }
}

std::optional<std::string> Vocabulary::ResolveEntity(std::string_view name) const {
  auto it = aliases_.find(FoldName(name));
  if (it == aliases_.end()) return std::nullopt;
  return it->second;
}

std::string Vocabulary::SuggestType(std::string_view name) const { return Suggest(name, types_); }
std::string Vocabulary::SuggestPredicate(std::string_view name) const {
  return Suggest(name, predicates_);
}
std::string Vocabulary::SuggestEntity(std::string_view name) const {
  return Suggest(name, entities_);
}

std::vector<Entity> Vocabulary::ToEntities() const {
  std::vector<Entity> out;
  for (const auto& [name, parent] : types_) out.push_back({name, {}, kTypeType});
  for (const auto& [name, info] : predicates_) out.push_back({name, {}, kPredicateType});
  for (const auto& [name, e] : entities_) out.push_back(e);
  return out;
}

}  // namespace kg::ingest
