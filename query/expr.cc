#include "query/expr.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"
#include "kg/utf8.h"
#include "query/parser.h"
#include "query/provenance.h"
#include "re2/re2.h"

namespace kg::query {

bool IsAggregateCall(const ExprAst& e) {
  return e.kind == ExprAst::Kind::kCall && !e.negate &&
         (e.text == "count" || e.text == "min" || e.text == "max" || e.text == "sum");
}

bool HasAggregate(const ExprAst& e) {
  if (IsAggregateCall(e)) return true;
  for (const ExprPtr& c : e.children) {
    if (HasAggregate(*c)) return true;
  }
  return false;
}

namespace {

std::vector<Value> Expand(const Value& v) {
  if (v.kind == Value::Kind::kList) return *v.list;
  return {v};
}

}  // namespace

absl::StatusOr<bool> Evaluator::Truthy(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull: return false;
    case Value::Kind::kBool: return v.number != 0;
    case Value::Kind::kList: return !v.list->empty();
    default: return true;
  }
}

absl::StatusOr<bool> Evaluator::Test(const ExprAst& e, const Row& row) {
  KG_ASSIGN_OR_RETURN(Value v, Eval(e, row));
  return Truthy(v);
}

absl::StatusOr<Value> Evaluator::Field(const Value& v, const FieldRef& field) {
  using F = FieldId;
  const F f = field.id;
  switch (v.kind) {
    case Value::Kind::kList: {
      std::vector<Value> out;
      for (const Value& item : *v.list) {
        KG_ASSIGN_OR_RETURN(Value x, Field(item, field));
        if (x.kind == Value::Kind::kList) {
          for (const Value& y : *x.list) out.push_back(y);
        } else if (!x.is_null()) {
          out.push_back(std::move(x));
        }
      }
      return Value::List(std::move(out));
    }
    case Value::Kind::kEvidence: {
      const EvidenceEntry& e = *v.evidence;
      const Evidence& ev = e.evidence;
      // A verdict rates its claim: it has no hedge or stance and is no
      // source (its chain would name the review as one).
      if ((f == F::kHedge || f == F::kStance || f == F::kNegated || f == F::kOpposes ||
           f == F::kChain || f == F::kSource) &&
          IsVerdict(ev)) {
        return Value();
      }
      switch (f) {
        case F::kClaim: return Value::Id(e.claim);
        case F::kDocument: return Value::Of(Term::Document(e.document_id));
        case F::kQuote: return Value::Text(ev.quote);
        case F::kContext: {
          // The sentence the quote stands in, from the stored text.
          if (!ev.span) return Value();
          KG_ASSIGN_OR_RETURN(const Document* doc, ctx_.GetDocument(e.document_id));
          if (doc == nullptr) return Value();
          std::optional<std::string> sentence =
              SentenceAround(doc->text, ev.span->start, ev.span->end);
          return sentence ? Value::Text(*std::move(sentence)) : Value();
        }
        case F::kStart:
          return ev.span ? Value::Int(static_cast<int64_t>(ev.span->start)) : Value();
        case F::kEnd: return ev.span ? Value::Int(static_cast<int64_t>(ev.span->end)) : Value();
        case F::kHedge: return Value::Text(std::string(HedgeName(ev.hedge)));
        case F::kStance: return Value::Text(std::string(StanceName(ev.stance)));
        case F::kNegated: return Value::Bool(ev.negated);
        case F::kOpposes: return Value::Bool(Opposes(ev));
        case F::kAgent: return ev.agent ? Value::Of(*ev.agent) : Value();
        case F::kOrdinal: return Value::Int(e.ordinal);
        case F::kVia: {
          std::vector<Value> out;
          for (const Term& t : ev.via) out.push_back(Value::Of(t));
          return Value::List(std::move(out));
        }
        case F::kChain:
        case F::kSource: {
          KG_ASSIGN_OR_RETURN(std::vector<Term> chain, FullChain(ctx_, e));
          if (f == F::kSource) return chain.empty() ? Value() : Value::Of(chain.back());
          std::vector<Value> out;
          for (const Term& t : chain) out.push_back(Value::Of(t));
          return Value::List(std::move(out));
        }
        case F::kTitle:
        case F::kPublisher:
        case F::kDate:
        case F::kUrl:
        case F::kType:
        case F::kAuthors: return Field(Value::Of(Term::Document(e.document_id)), field);
        default:
          // Any other name is the qualifier with that key; a key given
          // more than once (a verdict's appearances) is the list of them.
          std::vector<Value> found;
          for (const Qualifier& q : ev.qualifiers) {
            if (q.key == field.name) found.push_back(Value::Of(q.value));
          }
          if (found.empty()) return Value();
          if (found.size() == 1) return std::move(found[0]);
          return Value::List(std::move(found));
      }
    }
    case Value::Kind::kId:
    case Value::Kind::kTerm: {
      KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx_.AsTerm(v));
      if (!t) return Value();
      return TermField(*t, field);
    }
    default: return Value();
  }
}

absl::StatusOr<Value> Evaluator::TermField(const Term& t, const FieldRef& field) {
  using F = FieldId;
  const F f = field.id;
  auto text_or_null = [](const std::string& s) { return s.empty() ? Value() : Value::Text(s); };
  switch (t.kind()) {
    case TermKind::kClaim: {
      if (f == F::kSubject) return Value::Of(t.subject());
      if (f == F::kPredicate) return Value::Of(t.predicate());
      if (f == F::kObject) return Value::Of(t.object());
      if (f != F::kEvidence && f != F::kSources && f != F::kDocuments && f != F::kOpposing) {
        return Value();
      }
      KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(t));
      KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(id));
      std::vector<Value> out;
      if (f == F::kEvidence) {
        for (const EvidenceEntry& e : *all) out.push_back(Value::Evidence(e));
        return Value::List(std::move(out));
      }
      if (f == F::kDocuments) {
        std::string last;
        for (const EvidenceEntry& e : *all) {
          if (e.document_id == last) continue;
          last = e.document_id;
          out.push_back(Value::Of(Term::Document(e.document_id)));
        }
        return Value::List(std::move(out));
      }
      KG_ASSIGN_OR_RETURN(std::vector<RootSource> roots, RootsOf(ctx_, id));
      for (const RootSource& r : roots) {
        // Roots reached only around a citation cycle are no sources.
        if (!r.cycle && r.opposes == (f == F::kOpposing)) out.push_back(Value::Of(r.root));
      }
      return Value::List(std::move(out));
    }
    case TermKind::kDocument: {
      if (f == F::kId) return Value::Text(t.text());
      switch (f) {
        case F::kStored: case F::kTitle: case F::kPublisher: case F::kUrl: case F::kType:
        case F::kSha256: case F::kDate: case F::kAuthors: break;
        default: return Value();
      }
      KG_ASSIGN_OR_RETURN(Context::DocumentFacts facts, ctx_.DescribeDocument(t.text()));
      const Document& doc = facts.document;
      switch (f) {
        case F::kStored: return Value::Bool(facts.stored);
        case F::kTitle: return text_or_null(doc.title);
        case F::kPublisher: return text_or_null(doc.publisher);
        case F::kUrl: return text_or_null(doc.url);
        case F::kType: return text_or_null(doc.type);
        case F::kSha256: return text_or_null(doc.sha256);
        case F::kDate: {
          if (!doc.date) return Value();
          auto d = Term::DateOf(*doc.date);
          return d.ok() ? Value::Of(*d) : Value();
        }
        case F::kAuthors: {
          std::vector<Value> out;
          for (const std::string& a : doc.authors) out.push_back(Value::Text(a));
          return Value::List(std::move(out));
        }
        default: return Value();
      }
    }
    case TermKind::kEntity: {
      if (f == F::kName) return Value::Text(t.text());
      if (f != F::kType && f != F::kAliases) return Value();
      KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(t));
      KG_ASSIGN_OR_RETURN(auto entity, ctx_.snap().GetEntity(id));
      if (!entity) return Value();
      if (f == F::kType) return text_or_null(entity->type);
      std::vector<Value> out;
      for (const std::string& a : entity->aliases) out.push_back(Value::Text(a));
      return Value::List(std::move(out));
    }
    case TermKind::kString:
      if (f == F::kText) return Value::Text(t.text());
      if (f == F::kLang) return text_or_null(t.extra());
      return Value();
    case TermKind::kQuantity:
      if (f == F::kAmount) return Value::Of(*Term::Decimal(t.text()));
      if (f == F::kUnit) return Value::Text(t.extra());
      return Value();
    case TermKind::kDate:
      if (f == F::kYear) return Value::Int(t.date().year);
      if (f == F::kMonth) return t.date().month ? Value::Int(t.date().month) : Value();
      if (f == F::kDay) return t.date().day ? Value::Int(t.date().day) : Value();
      return Value();
    default: return Value();
  }
}

absl::StatusOr<Value> Evaluator::Call(const ExprAst& e, const Row& row,
                                      const AggregateValues* aggs) {
  if (e.negate) {  // TRUE / FALSE / NULL
    if (e.text == "true") return Value::Bool(true);
    if (e.text == "false") return Value::Bool(false);
    return Value();
  }
  auto fn = bindings_.functions.find(&e);
  if (fn == bindings_.functions.end()) return absl::InternalError("unbound function");
  using F = FunctionId;
  const F f = fn->second;
  if (f == F::kCount || f == F::kMin || f == F::kMax || f == F::kSum) {
    if (aggs != nullptr) {
      auto it = aggs->find(&e);
      if (it != aggs->end()) return it->second;
    }
    return absl::InternalError(StrCat(At(e.pos, e.text), "() evaluated outside its group"));
  }
  std::vector<Value> args;
  for (const ExprPtr& c : e.children) {
    KG_ASSIGN_OR_RETURN(Value v, Eval(*c, row, aggs));
    args.push_back(std::move(v));
  }
  switch (f) {
    case F::kEvidence: return Field(args[0], FieldRef{FieldId::kEvidence, "evidence"});
    case F::kSources: return Field(args[0], FieldRef{FieldId::kSources, "sources"});
    case F::kOpposing: return Field(args[0], FieldRef{FieldId::kOpposing, "opposing"});
    case F::kDocuments: return Field(args[0], FieldRef{FieldId::kDocuments, "documents"});
    case F::kLang: return Field(args[0], FieldRef{FieldId::kLang, "lang"});
    case F::kYear: return Field(args[0], FieldRef{FieldId::kYear, "year"});
    case F::kSize:
      if (args[0].kind == Value::Kind::kList) {
        return Value::Int(static_cast<int64_t>(args[0].list->size()));
      }
      return args[0].is_null() ? Value::Int(0) : Value::Int(1);
    case F::kBound: return Value::Bool(!args[0].is_null());
    case F::kStr:
    case F::kLower:
    case F::kUpper: {
      if (args[0].is_null()) return Value();
      KG_ASSIGN_OR_RETURN(std::string s, ctx_.PlainText(args[0]));
      if (f == F::kLower) absl::AsciiStrToLower(&s);
      if (f == F::kUpper) absl::AsciiStrToUpper(&s);
      return Value::Text(std::move(s));
    }
    case F::kKind:
      switch (args[0].kind) {
        case Value::Kind::kNull: return Value();
        case Value::Kind::kEvidence: return Value::Text("evidence");
        case Value::Kind::kList: return Value::Text("list");
        case Value::Kind::kBool: return Value::Text("boolean");
        case Value::Kind::kInt: return Value::Text("integer");
        case Value::Kind::kText: return Value::Text("string");
        default: {
          KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx_.AsTerm(args[0]));
          if (!t) return Value();
          return Value::Text(std::string(TermKindName(t->kind())));
        }
      }
    case F::kDate: {
      KG_ASSIGN_OR_RETURN(std::string s, ctx_.PlainText(args[0]));
      auto d = Term::ParseDate(s);
      if (!d.ok()) {
        return absl::InvalidArgumentError(
            At(e.pos, StrCat("date(): '", s, "' is not YYYY, YYYY-MM or YYYY-MM-DD")));
      }
      return Value::Of(*d);
    }
    case F::kContains:
    case F::kStartsWith:
    case F::kRegex: return TextMatch(e, f, args);
    default: break;
  }
  return absl::InternalError(StrCat("unhandled function ", e.text, "()"));
}

absl::StatusOr<Value> Evaluator::TextMatch(const ExprAst& e, FunctionId f,
                                           const std::vector<Value>& args) {
  KG_ASSIGN_OR_RETURN(std::string pattern, ctx_.PlainText(args[1]));
  RE2::Options opts;
  opts.set_log_errors(false);
  if (f == FunctionId::kRegex && args.size() == 3) {
    KG_ASSIGN_OR_RETURN(std::string flags, ctx_.PlainText(args[2]));
    for (char c : flags) {
      if (c == 'i') {
        opts.set_case_sensitive(false);
      } else {
        return absl::InvalidArgumentError(
            At(e.children[2]->pos, StrCat("unknown regex flag '", std::string(1, c), "' (only i)")));
      }
    }
  }
  std::shared_ptr<RE2> re;
  if (f == FunctionId::kRegex) {
    re = std::make_shared<RE2>(pattern, opts);
    if (!re->ok()) {
      return absl::InvalidArgumentError(
          At(e.children[1]->pos, StrCat("invalid regular expression: ", re->error())));
    }
  }
  for (const Value& item : Expand(args[0])) {
    if (item.is_null()) continue;
    KG_ASSIGN_OR_RETURN(std::string s, ctx_.PlainText(item));
    bool hit = false;
    if (f == FunctionId::kContains) hit = absl::StrContains(s, pattern);
    if (f == FunctionId::kStartsWith) hit = absl::StartsWith(s, pattern);
    if (f == FunctionId::kRegex) hit = RE2::PartialMatch(s, *re);
    if (hit) return Value::Bool(true);
  }
  return Value::Bool(false);
}

absl::StatusOr<Value> Evaluator::Eval(const ExprAst& e, const Row& row,
                                      const AggregateValues* aggs) {
  KG_RETURN_IF_ERROR(ctx_.Tick());
  switch (e.kind) {
    case ExprAst::Kind::kTerm: {
      if (e.term->kind == TermAst::Kind::kVar) {
        auto it = bindings_.var_slots.find(&e);
        if (it == bindings_.var_slots.end() || it->second >= static_cast<int>(row.size())) {
          return Value();  // an ORDER BY column, read by the caller
        }
        return row[it->second];
      }
      auto it = bindings_.consts.find(&e);
      if (it == bindings_.consts.end()) return absl::InternalError("unbound constant");
      return it->second;
    }
    case ExprAst::Kind::kField: {
      KG_ASSIGN_OR_RETURN(Value v, Eval(*e.children[0], row, aggs));
      auto it = bindings_.fields.find(&e);
      if (it == bindings_.fields.end()) return absl::InternalError("unbound field");
      return Field(v, it->second);
    }
    case ExprAst::Kind::kCall: return Call(e, row, aggs);
    case ExprAst::Kind::kStar: return Value::Bool(true);
    case ExprAst::Kind::kList: {
      std::vector<Value> items;
      for (const ExprPtr& c : e.children) {
        KG_ASSIGN_OR_RETURN(Value v, Eval(*c, row, aggs));
        items.push_back(std::move(v));
      }
      return Value::List(std::move(items));
    }
    case ExprAst::Kind::kUnary: {
      KG_ASSIGN_OR_RETURN(Value v, Eval(*e.children[0], row, aggs));
      KG_ASSIGN_OR_RETURN(bool b, Truthy(v));
      return Value::Bool(!b);
    }
    case ExprAst::Kind::kBinary: {
      if (e.text == "AND" || e.text == "OR") {
        KG_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0], row, aggs));
        KG_ASSIGN_OR_RETURN(bool ta, Truthy(a));
        if (e.text == "AND" && !ta) return Value::Bool(false);
        if (e.text == "OR" && ta) return Value::Bool(true);
        KG_ASSIGN_OR_RETURN(Value b, Eval(*e.children[1], row, aggs));
        KG_ASSIGN_OR_RETURN(bool tb, Truthy(b));
        return Value::Bool(tb);
      }
      KG_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0], row, aggs));
      KG_ASSIGN_OR_RETURN(Value b, Eval(*e.children[1], row, aggs));
      for (const Value& x : Expand(a)) {
        for (const Value& y : Expand(b)) {
          if (x.is_null() || y.is_null()) continue;
          bool hit = false;
          if (e.text == "=" || e.text == "!=") {
            KG_ASSIGN_OR_RETURN(bool eq, ctx_.Equal(x, y));
            hit = (e.text == "=") == eq;
          } else {
            KG_ASSIGN_OR_RETURN(int rx, ctx_.Rank(x));
            KG_ASSIGN_OR_RETURN(int ry, ctx_.Rank(y));
            if (rx != ry) continue;  // numbers, dates and text only among themselves
            KG_ASSIGN_OR_RETURN(int c, ctx_.Compare(x, y));
            if (e.text == "<") hit = c < 0;
            if (e.text == "<=") hit = c <= 0;
            if (e.text == ">") hit = c > 0;
            if (e.text == ">=") hit = c >= 0;
          }
          if (hit) return Value::Bool(true);
        }
      }
      return Value::Bool(false);
    }
    case ExprAst::Kind::kIn: {
      KG_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0], row, aggs));
      std::vector<Value> set;
      for (size_t i = 1; i < e.children.size(); ++i) {
        KG_ASSIGN_OR_RETURN(Value v, Eval(*e.children[i], row, aggs));
        for (Value& x : Expand(v)) set.push_back(std::move(x));
      }
      bool any = false, some = false;
      for (const Value& x : Expand(a)) {
        if (x.is_null()) continue;
        some = true;
        for (const Value& y : set) {
          KG_ASSIGN_OR_RETURN(bool eq, ctx_.Equal(x, y));
          if (eq) any = true;
        }
      }
      if (!some) return Value::Bool(false);  // null is in nothing, and not out either
      return Value::Bool(any != e.negate);
    }
    case ExprAst::Kind::kBetween: {
      KG_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0], row, aggs));
      KG_ASSIGN_OR_RETURN(Value lo, Eval(*e.children[1], row, aggs));
      KG_ASSIGN_OR_RETURN(Value hi, Eval(*e.children[2], row, aggs));
      bool any = false, some = false;
      for (const Value& x : Expand(a)) {
        if (x.is_null()) continue;
        some = true;
        KG_ASSIGN_OR_RETURN(int rx, ctx_.Rank(x));
        KG_ASSIGN_OR_RETURN(int rlo, ctx_.Rank(lo));
        KG_ASSIGN_OR_RETURN(int rhi, ctx_.Rank(hi));
        if (rx != rlo || rx != rhi) continue;
        KG_ASSIGN_OR_RETURN(int c1, ctx_.Compare(lo, x));
        KG_ASSIGN_OR_RETURN(int c2, ctx_.Compare(x, hi));
        if (c1 <= 0 && c2 <= 0) any = true;
      }
      if (!some) return Value::Bool(false);
      return Value::Bool(any != e.negate);
    }
  }
  return Value();
}

}  // namespace kg::query
