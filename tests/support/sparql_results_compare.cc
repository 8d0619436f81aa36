#include "tests/support/sparql_results_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "ingest/rdf/ntriples.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"

namespace kg::testing {
namespace {

using kg::RdfTerm;
using Row = SparqlSolution;

// Backtracking steps before the blank node search gives up.
constexpr long kMaxSteps = 2'000'000;

bool HasBlank(const RdfTerm& t) {
  if (t.is_blank_node()) return true;
  return t.is_triple_term() && t.triple != nullptr &&
         (HasBlank(t.triple->s) || HasBlank(t.triple->p) ||
          HasBlank(t.triple->o));
}

bool RowHasBlank(const Row& r) {
  return std::any_of(r.begin(), r.end(),
                     [](const auto& kv) { return HasBlank(kv.second); });
}

// `t` with every blank node labelled `label`.
RdfTerm Blanked(const RdfTerm& t, const std::string& label) {
  if (t.is_blank_node()) return RdfTerm::BlankNode(label);
  if (t.is_triple_term() && t.triple != nullptr) {
    return RdfTerm::TripleTerm(Blanked(t.triple->s, label),
                               Blanked(t.triple->p, label),
                               Blanked(t.triple->o, label));
  }
  return t;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// The lexical form of a numeric literal that is the same for equal values
// of its datatype; nullopt for other literals and malformed numbers.
std::optional<std::string> NumericKey(const RdfTerm& t) {
  static const std::set<std::string> kIntegers = {"integer",
                                                  "nonPositiveInteger",
                                                  "negativeInteger",
                                                  "long",
                                                  "int",
                                                  "short",
                                                  "byte",
                                                  "nonNegativeInteger",
                                                  "unsignedLong",
                                                  "unsignedInt",
                                                  "unsignedShort",
                                                  "unsignedByte",
                                                  "positiveInteger"};
  if (!t.is_literal() || !t.datatype.starts_with(kXsdNs)) return std::nullopt;
  const std::string type = t.datatype.substr(kXsdNs.size());
  std::string_view lex = t.value;
  if (type == "double" || type == "float") {
    const std::string s(lex);
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])))
      return std::nullopt;
    char* end = nullptr;
    const double d = type == "float" ? std::strtof(s.c_str(), &end)
                                     : std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    if (std::isnan(d)) return "NaN";
    char buf[40];
    std::snprintf(buf, sizeof buf, type == "float" ? "%.9g" : "%.17g", d);
    return std::string(buf);
  }
  const bool integer = kIntegers.contains(type);
  if (!integer && type != "decimal") return std::nullopt;
  bool negative = false;
  if (!lex.empty() && (lex[0] == '+' || lex[0] == '-')) {
    negative = lex[0] == '-';
    lex.remove_prefix(1);
  }
  const size_t dot = lex.find('.');
  if (integer && dot != std::string_view::npos) return std::nullopt;
  std::string_view whole = lex.substr(0, dot);
  std::string_view frac =
      dot == std::string_view::npos ? "" : lex.substr(dot + 1);
  if ((!whole.empty() && !IsDigits(whole)) ||
      (!frac.empty() && !IsDigits(frac)) || whole.size() + frac.size() == 0) {
    return std::nullopt;
  }
  while (!whole.empty() && whole.front() == '0') whole.remove_prefix(1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  std::string out = whole.empty() ? "0" : std::string(whole);
  if (!frac.empty()) StrAppend(&out, ".", frac);
  if (negative && out != "0") out = "-" + out;
  return out;
}

std::vector<Row> NumbersByValue(const std::vector<Row>& rows) {
  std::vector<Row> out = rows;
  for (Row& r : out) {
    for (auto& [var, term] : r) {
      if (auto key = NumericKey(term)) term.value = *std::move(key);
    }
  }
  return out;
}

std::string RowText(const Row& r) {
  if (r.empty()) return "{}";
  std::string out = "{";
  for (const auto& [var, term] : r) {
    StrAppend(&out, out.size() > 1 ? " " : "", "?", var, "=",
              ingest::CanonicalTerm(term));
  }
  return out + "}";
}

// The row as a string: equal strings <=> equal rows (blank labels as they
// are, or all alike when `signature`).
std::string RowKey(const Row& r, bool signature) {
  std::string out;
  for (const auto& [var, term] : r) {
    StrAppend(&out, var, "=",
              ingest::CanonicalTerm(signature ? Blanked(term, "_") : term),
              "\n");
  }
  return out;
}

// A one-to-one mapping of expected blank node labels to actual ones, with
// an undo trail for backtracking.
class Bijection {
 public:
  bool Bind(const std::string& e, const std::string& a) {
    auto ie = e2a_.find(e);
    auto ia = a2e_.find(a);
    if (ie != e2a_.end() || ia != a2e_.end()) {
      return ie != e2a_.end() && ia != a2e_.end() && ie->second == a;
    }
    e2a_[e] = a;
    a2e_[a] = e;
    trail_.push_back(e);
    return true;
  }
  size_t Mark() const { return trail_.size(); }
  void Undo(size_t mark) {
    while (trail_.size() > mark) {
      a2e_.erase(e2a_[trail_.back()]);
      e2a_.erase(trail_.back());
      trail_.pop_back();
    }
  }

 private:
  std::map<std::string, std::string> e2a_, a2e_;
  std::vector<std::string> trail_;
};

bool MatchTerm(const RdfTerm& e, const RdfTerm& a, Bijection* b) {
  if (e.is_blank_node() || a.is_blank_node()) {
    return e.is_blank_node() && a.is_blank_node() && b->Bind(e.value, a.value);
  }
  if (e.is_triple_term() || a.is_triple_term()) {
    return e.is_triple_term() && a.is_triple_term() && e.triple && a.triple &&
           MatchTerm(e.triple->s, a.triple->s, b) &&
           MatchTerm(e.triple->p, a.triple->p, b) &&
           MatchTerm(e.triple->o, a.triple->o, b);
  }
  return e == a;
}

// On false, *b may hold partial bindings: the caller undoes to its mark.
bool MatchRow(const Row& e, const Row& a, Bijection* b) {
  if (e.size() != a.size()) return false;
  for (auto ie = e.begin(), ia = a.begin(); ie != e.end(); ++ie, ++ia) {
    if (ie->first != ia->first || !MatchTerm(ie->second, ia->second, b))
      return false;
  }
  return true;
}

std::string Listing(const std::vector<std::string>& rows, size_t max = 10) {
  std::string out;
  for (size_t i = 0; i < rows.size() && i < max; ++i)
    StrAppend(&out, "\n    ", rows[i]);
  if (rows.size() > max)
    StrAppend(&out, "\n    ... and ", rows.size() - max, " more");
  return out;
}

// Rows of `e` not in `a` and of `a` not in `e`, as multisets of keys.
void Difference(const std::vector<Row>& e, const std::vector<Row>& a,
                bool signature, std::vector<std::string>* missing,
                std::vector<std::string>* unexpected) {
  std::map<std::string, std::pair<int, const Row*>> count;
  for (const Row& r : e) {
    auto& c = count[RowKey(r, signature)];
    ++c.first;
    c.second = &r;
  }
  for (const Row& r : a) {
    auto& c = count[RowKey(r, signature)];
    --c.first;
    if (c.second == nullptr || c.first < 0) c.second = &r;
  }
  for (const auto& [key, c] : count) {
    for (int i = 0; i < c.first; ++i) missing->push_back(RowText(*c.second));
    for (int i = 0; i < -c.first; ++i)
      unexpected->push_back(RowText(*c.second));
  }
}

class BagMatcher {
 public:
  BagMatcher(const std::vector<Row>& e, const std::vector<Row>& a, Bijection* b)
      : e_(e), a_(a), b_(b), used_(a.size(), false) {}

  bool Match(std::string* why) {
    std::vector<Row> eg, ab, eb, ag;  // ground / with blanks
    for (const Row& r : e_) (RowHasBlank(r) ? eb : eg).push_back(r);
    for (const Row& r : a_) (RowHasBlank(r) ? ab : ag).push_back(r);
    std::vector<std::string> missing, unexpected;
    Difference(eg, ag, false, &missing, &unexpected);
    Difference(eb, ab, true, &missing, &unexpected);
    if (!missing.empty() || !unexpected.empty()) {
      *why = StrCat("expected ", e_.size(), " solutions, got ", a_.size(), ": ",
                    missing.size(), " missing, ", unexpected.size(),
                    " unexpected");
      if (!missing.empty()) StrAppend(why, "\n  missing:", Listing(missing));
      if (!unexpected.empty())
        StrAppend(why, "\n  unexpected:", Listing(unexpected));
      return false;
    }
    for (size_t i = 0; i < a_.size(); ++i) {
      if (RowHasBlank(a_[i])) candidates_[RowKey(a_[i], true)].push_back(i);
    }
    for (size_t i = 0; i < e_.size(); ++i) {
      if (RowHasBlank(e_[i])) blank_rows_.push_back(i);
    }
    if (Search(0)) return true;
    *why = steps_ > kMaxSteps
               ? "gave up looking for a blank node mapping"
               : StrCat(
                     "the solutions agree but for blank nodes: no one-to-one "
                     "mapping of the ",
                     blank_rows_.size(), " solutions with blank nodes");
    return false;
  }

 private:
  bool Search(size_t i) {
    if (i == blank_rows_.size()) return true;
    const Row& row = e_[blank_rows_[i]];
    for (size_t c : candidates_[RowKey(row, true)]) {
      if (used_[c]) continue;
      if (++steps_ > kMaxSteps) return false;
      const size_t mark = b_->Mark();
      if (MatchRow(row, a_[c], b_)) {
        used_[c] = true;
        if (Search(i + 1)) return true;
        used_[c] = false;
      }
      b_->Undo(mark);
      if (steps_ > kMaxSteps) return false;
    }
    return false;
  }

  const std::vector<Row>& e_;
  const std::vector<Row>& a_;
  Bijection* b_;
  std::vector<bool> used_;
  std::map<std::string, std::vector<size_t>> candidates_;
  std::vector<size_t> blank_rows_;
  long steps_ = 0;
};

std::vector<Row> Distinct(const std::vector<Row>& rows) {
  std::set<std::string> seen;
  std::vector<Row> out;
  for (const Row& r : rows) {
    if (seen.insert(RowKey(r, false)).second) out.push_back(r);
  }
  return out;
}

std::string VarSet(const std::vector<std::string>& vars) {
  std::set<std::string> s(vars.begin(), vars.end());
  std::string out = "{";
  for (const std::string& v : s)
    StrAppend(&out, out.size() > 1 ? " " : "", "?", v);
  return out + "}";
}

std::string ValueText(const Row& r, const std::string& var) {
  auto it = r.find(var);
  return it == r.end() ? "(unbound)" : ingest::CanonicalTerm(it->second);
}

}  // namespace

bool SameResults(const SparqlResultTable& expected_in,
                 const SparqlResultTable& actual_in,
                 const ResultsCompareOptions& options, std::string* why) {
  SparqlResultTable expected = expected_in, actual = actual_in;
  if (options.numbers_by_value) {
    expected.rows = NumbersByValue(expected.rows);
    actual.rows = NumbersByValue(actual.rows);
  }
  if (expected.is_boolean || actual.is_boolean) {
    if (expected.is_boolean != actual.is_boolean) {
      *why = expected.is_boolean ? "expected a boolean (ASK), got solutions"
                                 : "expected solutions, got a boolean";
      return false;
    }
    if (expected.boolean != actual.boolean) {
      *why = StrCat("expected ", expected.boolean ? "true" : "false", ", got ",
                    actual.boolean ? "true" : "false");
      return false;
    }
    return true;
  }
  if (options.compare_vars && !expected.vars.empty() &&
      VarSet(expected.vars) != VarSet(actual.vars)) {
    *why = StrCat("variables: expected ", VarSet(expected.vars), ", got ",
                  VarSet(actual.vars));
    return false;
  }
  if (options.lax_cardinality) {
    const std::vector<Row> e = Distinct(expected.rows),
                           a = Distinct(actual.rows);
    Bijection b;
    if (!BagMatcher(e, a, &b).Match(why)) {
      *why = StrCat("(distinct solutions, lax cardinality) ", *why);
      return false;
    }
    if (actual.rows.size() > expected.rows.size()) {
      *why = StrCat("expected at most ", expected.rows.size(),
                    " solutions, got ", actual.rows.size());
      return false;
    }
    return true;
  }
  Bijection b;
  if (!BagMatcher(expected.rows, actual.rows, &b).Match(why)) return false;
  if (!options.ordered) return true;
  if (options.order_keys.empty()) {
    Bijection seq;
    for (size_t i = 0; i < expected.rows.size(); ++i) {
      if (!MatchRow(expected.rows[i], actual.rows[i], &seq)) {
        *why = StrCat("the right solutions in the wrong order: row ", i + 1,
                      " is ", RowText(actual.rows[i]), ", expected ",
                      RowText(expected.rows[i]));
        return false;
      }
    }
    return true;
  }
  // The key values must agree row by row under the bijection found above.
  for (size_t i = 0; i < expected.rows.size(); ++i) {
    for (const std::string& k : options.order_keys) {
      auto ie = expected.rows[i].find(k);
      auto ia = actual.rows[i].find(k);
      const bool same =
          (ie == expected.rows[i].end()) == (ia == actual.rows[i].end()) &&
          (ie == expected.rows[i].end() ||
           MatchTerm(ie->second, ia->second, &b));
      if (!same) {
        *why = StrCat("the right solutions in the wrong order: row ", i + 1,
                      " has ?", k, " = ", ValueText(actual.rows[i], k),
                      ", expected ", ValueText(expected.rows[i], k),
                      " (ORDER BY)");
        return false;
      }
    }
  }
  return true;
}

std::string FormatResultTable(const SparqlResultTable& table, size_t max_rows) {
  if (table.is_boolean) return table.boolean ? "  true\n" : "  false\n";
  std::string out = "  vars:";
  for (const std::string& v : table.vars) StrAppend(&out, " ?", v);
  StrAppend(&out, "  (", table.rows.size(), " rows)\n");
  for (size_t i = 0; i < table.rows.size() && i < max_rows; ++i) {
    StrAppend(&out, "  ", RowText(table.rows[i]), "\n");
  }
  if (table.rows.size() > max_rows) StrAppend(&out, "  ...\n");
  return out;
}

}  // namespace kg::testing
