// Values the executor passes around: a term id straight from an index, a
// decoded or computed term, a piece of evidence, a number, a boolean, text,
// a symbol (a bare name in an expression such as `asserted` or `Tehran`), or
// a list (the results of evidence(?c), sources(?c), ?e.via ...).
#ifndef KG_QUERY_VALUE_H_
#define KG_QUERY_VALUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kg/store.h"
#include "kg/term.h"
#include "kg/term_id.h"

namespace kg::query {

struct Value {
  enum class Kind : uint8_t { kNull, kId, kTerm, kEvidence, kInt, kBool, kText, kSymbol, kList };
  Kind kind = Kind::kNull;
  TermId id;            // kId; kSymbol: the entity the name resolves to, if has_id
  bool has_id = false;  // kSymbol only
  int64_t number = 0;   // kInt, kBool
  std::shared_ptr<const Term> term;
  std::shared_ptr<const EvidenceEntry> evidence;
  std::shared_ptr<const std::string> text;  // kText, kSymbol
  std::shared_ptr<const std::vector<Value>> list;

  static Value Id(const TermId& id) {
    Value v;
    v.kind = Kind::kId;
    v.id = id;
    return v;
  }
  static Value Of(Term term) {
    Value v;
    v.kind = Kind::kTerm;
    v.term = std::make_shared<const Term>(std::move(term));
    return v;
  }
  static Value Int(int64_t n) {
    Value v;
    v.kind = Kind::kInt;
    v.number = n;
    return v;
  }
  static Value Bool(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.number = b ? 1 : 0;
    return v;
  }
  static Value Text(std::string s) {
    Value v;
    v.kind = Kind::kText;
    v.text = std::make_shared<const std::string>(std::move(s));
    return v;
  }
  static Value List(std::vector<Value> items) {
    Value v;
    v.kind = Kind::kList;
    v.list = std::make_shared<const std::vector<Value>>(std::move(items));
    return v;
  }
  static Value Evidence(EvidenceEntry e) {
    Value v;
    v.kind = Kind::kEvidence;
    v.evidence = std::make_shared<const EvidenceEntry>(std::move(e));
    return v;
  }
  bool is_null() const { return kind == Kind::kNull; }
};

using Row = std::vector<Value>;

}  // namespace kg::query

#endif  // KG_QUERY_VALUE_H_
