#include "ingest/factcheck.h"

#include <cctype>
#include <algorithm>
#include <cstdlib>

#include "kg/status_macros.h"
#include "kg/utf8.h"
#include "nlohmann/json.hpp"

namespace kg::ingest {

absl::StatusOr<FactCheckVocabulary> FactCheckVocabulary::Load(const Snapshot& snap) {
  FactCheckVocabulary v;
  v.vocab_ = Vocabulary::Core();
  KG_RETURN_IF_ERROR(v.vocab_.AddFromStore(snap));
  return v;
}

std::optional<std::string> RatingEntityOfLabel(const Vocabulary& vocab, std::string_view label) {
  std::optional<std::string> name = vocab.ResolveEntity(label);
  if (!name) {
    // "Pants on Fire!" and "False." read as their words.
    std::string trimmed(label);
    while (!trimmed.empty() && std::ispunct(static_cast<unsigned char>(trimmed.back()))) {
      trimmed.pop_back();
    }
    if (trimmed.size() == label.size() || trimmed.empty()) return std::nullopt;
    name = vocab.ResolveEntity(trimmed);
    if (!name) return std::nullopt;
  }
  const Entity* e = vocab.FindEntity(*name);
  if (e == nullptr || e->type != kRatingType || !RatingOfEntity(*name)) return std::nullopt;
  return name;
}

std::optional<Rating> FactCheckVocabulary::RatingOfLabel(std::string_view label) const {
  std::optional<std::string> name = RatingEntityOfLabel(vocab_, label);
  if (!name) return std::nullopt;
  return RatingOfEntity(*name);
}

Entity FactCheckVocabulary::RatingDeclaration(Rating rating) const {
  const std::string name(RatingEntity(rating));
  const Entity* known = vocab_.FindEntity(name);
  return known != nullptr ? *known : Entity{name, {}, std::string(kRatingType)};
}

void FactCheckVocabulary::DeclareTextClaim(std::vector<Entity>* entities) const {
  entities->push_back({std::string(kTextClaimPredicate), {}, kPredicateType});
  const Entity* known = vocab_.FindEntity(std::string(kTextClaimEntity));
  entities->push_back(known != nullptr ? *known
                                       : Entity{std::string(kTextClaimEntity), {}, kTypeType});
}

TextPosition PositionInText(std::string_view text, size_t byte) {
  const size_t at = std::min(byte > 0 ? byte - 1 : 0, text.size());
  TextPosition p;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  p.column = static_cast<int>(CountCodePoints(text.substr(line_start, at - line_start))) + 1;
  return p;
}

std::string JsonErrorMessage(std::string_view what) {
  size_t cut = what.find("] ");
  if (cut != std::string_view::npos) what.remove_prefix(cut + 2);
  if (what.starts_with("parse error")) {
    cut = what.find(": ");
    if (cut != std::string_view::npos) what.remove_prefix(cut + 2);
  }
  return std::string(what);
}

std::optional<Entity> FactCheckVocabulary::AgentEntity(std::string_view display,
                                                       std::string_view type) const {
  const std::string shown = CollapseWhiteSpace(display);
  if (auto known = vocab_.ResolveEntity(shown)) {
    if (const Entity* e = vocab_.FindEntity(*known)) return *e;
    return Entity{*known, {}, std::string(type)};
  }
  std::string name;
  bool word_start = true;
  for (unsigned char c : shown) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80) {
      name += word_start && c < 0x80 ? static_cast<char>(std::toupper(c)) : static_cast<char>(c);
      word_start = false;
    } else {
      word_start = true;
    }
  }
  // A name starts with a letter or '_' (schemas/annotation-format.md).
  while (!name.empty() && !std::isalpha(static_cast<unsigned char>(name[0])) &&
         static_cast<unsigned char>(name[0]) < 0x80) {
    name.erase(0, 1);
  }
  if (name.empty()) return std::nullopt;
  Entity e{name, {}, std::string(type)};
  if (shown != name) e.aliases.push_back(shown);
  return e;
}

bool JsonDeeperThan(const nlohmann::json& value, int limit) {
  std::vector<std::pair<const nlohmann::json*, int>> stack = {{&value, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth > limit) return true;
    for (const auto& child : *v) stack.push_back({&child, depth + 1});
  }
  return false;
}

std::optional<double> ParseRatingNumber(std::string_view text) {
  std::string s(text);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

}  // namespace kg::ingest
