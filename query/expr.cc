#include "query/expr.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
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

absl::Status ArgCount(const ExprAst& e, size_t lo, size_t hi) {
  if (e.children.size() < lo || e.children.size() > hi) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat(e.text, "() takes ", lo == hi ? StrCat(lo) : StrCat(lo, " to ", hi),
                         " argument", hi == 1 ? "" : "s", ", found ", e.children.size())));
  }
  return absl::OkStatus();
}

// Rank of comparable kinds for <, <=, >, >=: both numbers, both dates or both text.
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

absl::StatusOr<Value> Evaluator::Field(const Value& v, const std::string& name) {
  switch (v.kind) {
    case Value::Kind::kList: {
      std::vector<Value> out;
      for (const Value& item : *v.list) {
        KG_ASSIGN_OR_RETURN(Value f, Field(item, name));
        if (f.kind == Value::Kind::kList) {
          for (const Value& x : *f.list) out.push_back(x);
        } else if (!f.is_null()) {
          out.push_back(std::move(f));
        }
      }
      return Value::List(std::move(out));
    }
    case Value::Kind::kEvidence: {
      const EvidenceEntry& e = *v.evidence;
      const Evidence& ev = e.evidence;
      if (name == "claim") return Value::Id(e.claim);
      if (name == "document") return Value::Of(Term::Document(e.document_id));
      if (name == "quote") return Value::Text(ev.quote);
      if (name == "start") return ev.span ? Value::Int(static_cast<int64_t>(ev.span->start)) : Value();
      if (name == "end") return ev.span ? Value::Int(static_cast<int64_t>(ev.span->end)) : Value();
      if (name == "hedge") return Value::Text(std::string(HedgeName(ev.hedge)));
      if (name == "stance") return Value::Text(std::string(StanceName(ev.stance)));
      if (name == "negated") return Value::Bool(ev.negated);
      if (name == "opposes") return Value::Bool(Opposes(ev));
      if (name == "agent") return ev.agent ? Value::Of(*ev.agent) : Value();
      if (name == "ordinal") return Value::Int(e.ordinal);
      if (name == "via") {
        std::vector<Value> out;
        for (const Term& t : ev.via) out.push_back(Value::Of(t));
        return Value::List(std::move(out));
      }
      if (name == "chain" || name == "source") {
        KG_ASSIGN_OR_RETURN(std::vector<Term> chain, FullChain(ctx_, e));
        if (name == "source") return chain.empty() ? Value() : Value::Of(chain.back());
        std::vector<Value> out;
        for (const Term& t : chain) out.push_back(Value::Of(t));
        return Value::List(std::move(out));
      }
      if (name == "title" || name == "publisher" || name == "date" || name == "url" ||
          name == "type" || name == "authors") {
        return Field(Value::Of(Term::Document(e.document_id)), name);
      }
      for (const Qualifier& q : ev.qualifiers) {
        if (q.key == name) return Value::Of(q.value);
      }
      return Value();
    }
    case Value::Kind::kId:
    case Value::Kind::kTerm: {
      KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx_.AsTerm(v));
      if (!t) return Value();
      switch (t->kind()) {
        case TermKind::kClaim: {
          if (name == "subject") return Value::Of(t->subject());
          if (name == "predicate") return Value::Of(t->predicate());
          if (name == "object") return Value::Of(t->object());
          const TermId id = IdOf(*t);
          if (name == "evidence" || name == "sources" || name == "documents" ||
              name == "opposing") {
            KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(id));
            if (name == "evidence") {
              std::vector<Value> out;
              for (const EvidenceEntry& e : *all) out.push_back(Value::Evidence(e));
              return Value::List(std::move(out));
            }
            if (name == "documents") {
              std::vector<Value> out;
              std::string last;
              for (const EvidenceEntry& e : *all) {
                if (e.document_id == last) continue;
                last = e.document_id;
                out.push_back(Value::Of(Term::Document(e.document_id)));
              }
              return Value::List(std::move(out));
            }
            KG_ASSIGN_OR_RETURN(std::vector<RootSource> roots, RootsOf(ctx_, id));
            std::vector<Value> out;
            for (const RootSource& r : roots) {
              // Roots reached only around a citation cycle are no sources.
              if (!r.cycle && r.opposes == (name == "opposing")) out.push_back(Value::Of(r.root));
            }
            return Value::List(std::move(out));
          }
          return Value();
        }
        case TermKind::kDocument: {
          if (name == "id") return Value::Text(t->text());
          KG_ASSIGN_OR_RETURN(Context::DocumentFacts facts, ctx_.DescribeDocument(t->text()));
          const Document* doc = &facts.document;
          if (name == "stored") return Value::Bool(facts.stored);
          auto text_or_null = [](const std::string& s) { return s.empty() ? Value() : Value::Text(s); };
          if (name == "title") return text_or_null(doc->title);
          if (name == "publisher") return text_or_null(doc->publisher);
          if (name == "url") return text_or_null(doc->url);
          if (name == "type") return text_or_null(doc->type);
          if (name == "sha256") return doc->sha256.empty() ? Value() : Value::Text(doc->sha256);
          if (name == "date") {
            if (!doc->date) return Value();
            auto d = Term::DateOf(*doc->date);
            return d.ok() ? Value::Of(*d) : Value();
          }
          if (name == "authors") {
            std::vector<Value> out;
            for (const std::string& a : doc->authors) out.push_back(Value::Text(a));
            return Value::List(std::move(out));
          }
          return Value();
        }
        case TermKind::kEntity: {
          if (name == "name") return Value::Text(t->text());
          KG_ASSIGN_OR_RETURN(auto entity, ctx_.snap().GetEntity(IdOf(*t)));
          if (!entity) return Value();
          if (name == "type") return entity->type.empty() ? Value() : Value::Text(entity->type);
          if (name == "aliases") {
            std::vector<Value> out;
            for (const std::string& a : entity->aliases) out.push_back(Value::Text(a));
            return Value::List(std::move(out));
          }
          return Value();
        }
        case TermKind::kString:
          if (name == "text") return Value::Text(t->text());
          if (name == "lang") return t->extra().empty() ? Value() : Value::Text(t->extra());
          return Value();
        case TermKind::kQuantity:
          if (name == "amount") return Value::Of(*Term::Decimal(t->text()));
          if (name == "unit") return Value::Text(t->extra());
          return Value();
        case TermKind::kDate:
          if (name == "year") return Value::Int(t->date().year);
          if (name == "month") return t->date().month ? Value::Int(t->date().month) : Value();
          if (name == "day") return t->date().day ? Value::Int(t->date().day) : Value();
          return Value();
        default: return Value();
      }
    }
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
  if (IsAggregateCall(e)) {
    if (aggs != nullptr) {
      auto it = aggs->find(&e);
      if (it != aggs->end()) return it->second;
    }
    return absl::InvalidArgumentError(
        At(e.pos, StrCat(absl::AsciiStrToUpper(e.text), "() can only be used in RETURN or ORDER BY")));
  }
  const std::string& f = e.text;
  std::vector<Value> args;
  for (const ExprPtr& c : e.children) {
    KG_ASSIGN_OR_RETURN(Value v, Eval(*c, row, aggs));
    args.push_back(std::move(v));
  }
  if (f == "evidence" || f == "sources" || f == "opposing" || f == "documents") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    return Field(args[0], f);
  }
  if (f == "size") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    if (args[0].kind == Value::Kind::kList) return Value::Int(static_cast<int64_t>(args[0].list->size()));
    return args[0].is_null() ? Value::Int(0) : Value::Int(1);
  }
  if (f == "bound") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    return Value::Bool(!args[0].is_null());
  }
  if (f == "str" || f == "lower" || f == "upper") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    if (args[0].is_null()) return Value();
    KG_ASSIGN_OR_RETURN(std::string s, ctx_.PlainText(args[0]));
    if (f == "lower") absl::AsciiStrToLower(&s);
    if (f == "upper") absl::AsciiStrToUpper(&s);
    return Value::Text(std::move(s));
  }
  if (f == "kind") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
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
  }
  if (f == "lang") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    return Field(args[0], "lang");
  }
  if (f == "year") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    return Field(args[0], "year");
  }
  if (f == "date") {
    KG_RETURN_IF_ERROR(ArgCount(e, 1, 1));
    KG_ASSIGN_OR_RETURN(std::string s, ctx_.PlainText(args[0]));
    auto d = Term::ParseDate(s);
    if (!d.ok()) {
      return absl::InvalidArgumentError(At(e.pos, StrCat("date(): '", s, "' is not YYYY, YYYY-MM or YYYY-MM-DD")));
    }
    return Value::Of(*d);
  }
  if (f == "contains" || f == "starts_with" || f == "regex") {
    KG_RETURN_IF_ERROR(ArgCount(e, 2, f == "regex" ? 3 : 2));
    KG_ASSIGN_OR_RETURN(std::string pattern, ctx_.PlainText(args[1]));
    RE2::Options opts;
    opts.set_log_errors(false);
    if (f == "regex" && args.size() == 3) {
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
    if (f == "regex") {
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
      if (f == "contains") hit = absl::StrContains(s, pattern);
      if (f == "starts_with") hit = absl::StartsWith(s, pattern);
      if (f == "regex") hit = RE2::PartialMatch(s, *re);
      if (hit) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  return absl::InvalidArgumentError(
      At(e.pos, StrCat("unknown function ", f, "() (functions: evidence, sources, opposing, "
                       "documents, size, bound, str, lower, upper, kind, lang, year, date, "
                       "contains, starts_with, regex, count, min, max, sum)")));
}

absl::StatusOr<Value> Evaluator::Eval(const ExprAst& e, const Row& row,
                                      const AggregateValues* aggs) {
  KG_RETURN_IF_ERROR(ctx_.Tick());
  switch (e.kind) {
    case ExprAst::Kind::kTerm: {
      if (e.term->kind == TermAst::Kind::kVar) {
        auto it = bindings_.vars.find(e.term->text);
        if (it == bindings_.vars.end() || it->second >= static_cast<int>(row.size())) {
          return Value();
        }
        return row[it->second];
      }
      auto it = bindings_.consts.find(&e);
      if (it == bindings_.consts.end()) return absl::InternalError("unbound constant");
      return it->second;
    }
    case ExprAst::Kind::kField: {
      KG_ASSIGN_OR_RETURN(Value v, Eval(*e.children[0], row, aggs));
      return Field(v, e.text);
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
