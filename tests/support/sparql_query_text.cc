#include "tests/support/sparql_query_text.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <string_view>

#include "kg/iri.h"

namespace kg::testing {
namespace {

// The query with comments and the contents of string literals blanked, so
// keywords can be looked for; IRIs are kept.
std::string Blanked(const std::string& q) {
  std::string out = q;
  for (size_t i = 0; i < q.size(); ++i) {
    const char c = q[i];
    if (c == '<') {
      size_t j = i + 1;
      while (j < q.size() && q[j] != '>' && q[j] != ' ' && q[j] != '\n' &&
             q[j] != '\t')
        ++j;
      if (j < q.size() && q[j] == '>') i = j;  // an IRI, not "<" as an operator
    } else if (c == '#') {
      for (; i < q.size() && q[i] != '\n'; ++i) out[i] = ' ';
    } else if (c == '"' || c == '\'') {
      const bool long_string = q.compare(i, 3, std::string(3, c)) == 0;
      const size_t open = long_string ? 3 : 1;
      size_t j = i + open;
      for (; j < q.size(); ++j) {
        if (q[j] == '\\') {
          ++j;
        } else if (long_string ? q.compare(j, 3, std::string(3, c)) == 0
                               : q[j] == c) {
          break;
        }
      }
      for (size_t k = i + open; k < j && k < q.size(); ++k) out[k] = ' ';
      i = std::min(j + open - 1, q.size());
    }
  }
  return out;
}

bool WordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// `word` (upper case) at s[i], in any case, as a whole word.
bool KeywordAt(const std::string& s, size_t i, std::string_view word) {
  if (i + word.size() > s.size() || (i > 0 && WordChar(s[i - 1]))) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(s[i + k])) != word[k])
      return false;
  }
  const size_t end = i + word.size();
  return end == s.size() || !WordChar(s[end]);
}

}  // namespace

QueryOrdering OrderingOf(const std::string& query) {
  const std::string q = Blanked(query);
  QueryOrdering o;
  size_t after = std::string::npos;
  int depth = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '{') ++depth;
    if (q[i] == '}') --depth;
    if (depth == 0 && KeywordAt(q, i, "ORDER")) {
      size_t j = i + 5;
      while (j < q.size() && std::isspace(static_cast<unsigned char>(q[j])))
        ++j;
      if (KeywordAt(q, j, "BY")) after = j + 2;
    }
  }
  if (after == std::string::npos) return o;
  o.ordered = true;
  static const std::regex kVar(R"(^\s*[?$](\w+))");
  static const std::regex kDirected(R"(^\s*(ASC|DESC)\s*\(\s*[?$](\w+)\s*\))",
                                    std::regex::icase);
  static const std::regex kEnd(R"(^\s*($|LIMIT\b|OFFSET\b|VALUES\b))",
                               std::regex::icase);
  std::string rest = q.substr(after);
  std::smatch m;
  while (!std::regex_search(rest, m, kEnd)) {
    if (std::regex_search(rest, m, kDirected)) {
      o.keys.push_back(m[2]);
    } else if (std::regex_search(rest, m, kVar)) {
      o.keys.push_back(m[1]);
    } else {
      o.keys.clear();
      return o;  // an expression: keys unknown
    }
    rest = m.suffix();
  }
  o.keys_known = !o.keys.empty();
  return o;
}

std::vector<std::pair<std::string, bool>> DatasetClauses(
    const std::string& query, const std::string& base) {
  static const std::regex kFrom(R"(\bFROM\s+(NAMED\s+)?<([^>\s]*)>)",
                                std::regex::icase);
  std::vector<std::pair<std::string, bool>> out;
  const std::string q = Blanked(query);
  for (auto it = std::sregex_iterator(q.begin(), q.end(), kFrom);
       it != std::sregex_iterator(); ++it) {
    out.emplace_back(ResolveIri(base, (*it)[2].str()), (*it)[1].matched);
  }
  return out;
}

}  // namespace kg::testing
