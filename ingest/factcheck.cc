#include "ingest/factcheck.h"

#include <cctype>
#include <cstdlib>

#include "kg/status_macros.h"

namespace kg::ingest {

absl::StatusOr<FactCheckVocabulary> FactCheckVocabulary::Load(const Snapshot& snap) {
  FactCheckVocabulary v;
  v.vocab_ = Vocabulary::Core();
  KG_RETURN_IF_ERROR(v.vocab_.AddFromStore(snap));
  return v;
}

std::optional<Rating> FactCheckVocabulary::RatingOfLabel(std::string_view label) const {
  std::optional<std::string> name = vocab_.ResolveEntity(label);
  if (!name) {
    // "Pants on Fire!" and "False." read as their words.
    std::string trimmed(label);
    while (!trimmed.empty() && std::ispunct(static_cast<unsigned char>(trimmed.back()))) {
      trimmed.pop_back();
    }
    if (trimmed.size() == label.size() || trimmed.empty()) return std::nullopt;
    name = vocab_.ResolveEntity(trimmed);
    if (!name) return std::nullopt;
  }
  const Entity* e = vocab_.FindEntity(*name);
  if (e == nullptr || e->type != kRatingType) return std::nullopt;
  return RatingOfEntity(*name);
}

std::optional<Entity> FactCheckVocabulary::AgentEntity(std::string_view display,
                                                       std::string_view type) const {
  std::string shown;
  bool space = false;
  for (char c : display) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !shown.empty();
      continue;
    }
    if (space) shown += ' ';
    space = false;
    shown += c;
  }
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
