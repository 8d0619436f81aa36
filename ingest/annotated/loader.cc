#include "ingest/annotated/loader.h"

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "ingest/factcheck.h"
#include "kg/verdict.h"

namespace kg::ingest {
namespace {

constexpr std::string_view kDocumentDirectives[] = {
    "doc", "title", "publisher", "author", "date", "url", "type", "entity",
    "claim", "cites", "reports", "quotes", "derived_from", "source"};
constexpr std::string_view kClaimAttributes[] = {
    "hedge",  "stance",       "negated",      "agent",        "via",
    "time",   "quantity",     "place",        "verdict",      "rating",
    "rating_value", "best_rating", "worst_rating", "reviewer", "review_author",
    "appearance",   "first_appearance"};

template <size_t N>
std::string ClosestOf(std::string_view word, const std::string_view (&options)[N]) {
  return DidYouMean(word, std::vector<std::string_view>(std::begin(options), std::end(options)));
}

bool IsDateLiteral(std::string_view s) {
  auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return (s.size() == 4 && digits(s)) ||
         (s.size() == 7 && digits(s.substr(0, 4)) && s[4] == '-' && digits(s.substr(5))) ||
         (s.size() == 10 && digits(s.substr(0, 4)) && s[4] == '-' && digits(s.substr(5, 2)) &&
          s[7] == '-' && digits(s.substr(8)));
}

class Resolver {
 public:
  Resolver(const ParsedFile& parsed, const Vocabulary& vocab, Diagnostics* diag,
           const ResolveOptions& options)
      : parsed_(parsed), index_(parsed.text), vocab_(&vocab), diag_(diag),
        syntax_ok_(diag->ok()), options_(options) {}

  std::optional<DocumentWrite> Run() {
    CollectDirectives();
    CollectAnchors();
    if (doc_id_.empty()) {
      // A file that did not parse (bad encoding, say) has its own errors;
      // "no id" would only be noise on top of them.
      if (syntax_ok_) {
        diag_->Error({1, 1}, "missing '@doc ID': every annotated document needs an id");
      }
      return std::nullopt;
    }
    write_.document.id = doc_id_;
    write_.document.text = parsed_.text;
    for (const std::string& id : claim_order_) ResolveClaimWithEvidence(claims_.at(id));
    for (const LinkAst& link : links_) ResolveLink(link);
    for (const Directive& d : sources_) ResolveSource(d);
    ResolveMentions();
    if (!diag_->ok()) return std::nullopt;
    return std::move(write_);
  }

 private:
  void Error(Pos pos, std::string message) { diag_->Error(pos, std::move(message)); }

  // Sets `field` from a directive allowed once; false (error reported) for a
  // repeated or empty one.
  bool SetOnce(const Directive& d, std::string* field) {
    if (seen_.contains(d.keyword)) {
      Error(d.pos, StrCat("duplicate @", d.keyword));
      return false;
    }
    seen_.insert(d.keyword);
    *field = d.rest;
    if (d.rest.empty()) {
      Error(d.rest_pos, StrCat("expected a value after @", d.keyword));
      return false;
    }
    return true;
  }

  void CollectDirectives() {
    for (const Directive& d : parsed_.directives) {
      const std::string& k = d.keyword;
      Document& doc = write_.document;
      if (k == "doc") {
        if (SetOnce(d, &doc_id_) && !IsId(d.rest)) {
          Error(d.rest_pos, "expected a document id (letters, digits, '_', '-', '.', ':')");
        }
      } else if (k == "title") {
        SetOnce(d, &doc.title);
      } else if (k == "publisher") {
        SetOnce(d, &doc.publisher);
      } else if (k == "url") {
        SetOnce(d, &doc.url);
      } else if (k == "type") {
        SetOnce(d, &doc.type);
      } else if (k == "author") {
        if (d.rest.empty()) Error(d.rest_pos, "expected an author name after @author");
        else doc.authors.push_back(d.rest);
      } else if (k == "date") {
        std::string date;
        if (!SetOnce(d, &date)) continue;
        auto term = Term::ParseDate(date);
        if (!term.ok()) Error(d.rest_pos, std::string(term.status().message()));
        else doc.date = term->date();
      } else if (k == "entity") {
        const size_t before = diag_->errors().size();
        if (!own_vocab_) vocab_ = &own_vocab_.emplace(*vocab_);  // the first declaration copies
        own_vocab_->AddEntityDirective(d, diag_);
        if (diag_->errors().size() == before) declared_.insert(SplitFields(d)[0].key);
      } else if (k == "claim") {
        auto claim = ParseClaimDirective(d, diag_);
        if (!claim) continue;
        if (claims_.contains(claim->id) || link_anchors_.contains(claim->id)) {
          Error(claim->id_pos, StrCat("duplicate claim id '", claim->id, "'"));
          continue;
        }
        claim_order_.push_back(claim->id);
        claims_.emplace(claim->id, std::move(*claim));
      } else if (k == "cites" || k == "reports" || k == "quotes" || k == "derived_from") {
        auto link = ParseLinkDirective(d, diag_);
        if (!link) continue;
        if (!link->anchor.empty()) {
          if (claims_.contains(link->anchor) || !link_anchors_.insert(link->anchor).second) {
            Error(link->anchor_pos, StrCat("duplicate anchor id '", link->anchor, "'"));
            continue;
          }
        }
        links_.push_back(std::move(*link));
      } else if (k == "source") {
        sources_.push_back(d);
      } else {
        Error(d.pos, StrCat("unknown directive '@", k, "'", ClosestOf(k, kDocumentDirectives)));
      }
    }
    // Entities declared here are stored with the document, as the
    // vocabulary now holds them (merged with what it knew), in name order.
    for (const std::string& name : declared_) {
      if (const Entity* e = vocab_->FindEntity(name)) write_.entities.push_back(*e);
    }
  }

  void CollectAnchors() {
    for (const SpanAst& span : parsed_.spans) {
      for (const Label& label : span.labels) {
        if (label.kind == '=') {
          mentions_.push_back({&span, &label});
          continue;
        }
        if (!claims_.contains(label.value) && !link_anchors_.contains(label.value)) {
          Error(label.pos, StrCat("no @claim or link has id '", label.value, "'"));
          continue;
        }
        anchors_[label.value].push_back(&span);
      }
    }
  }

  std::string Quote(const SpanAst& span) const {
    return std::string(*index_.Slice(span.start, span.end));
  }

  std::optional<Term> ResolveTerm(const TermAst& t, int depth = 0) {
    using K = TermAst::Kind;
    switch (t.kind) {
      case K::kName: {
        auto canonical = vocab_->ResolveEntity(t.text);
        if (!canonical) {
          std::string hint = vocab_->SuggestEntity(t.text);
          if (vocab_->IsPredicate(t.text)) hint = " (it is a predicate, not an entity)";
          Error(t.pos, StrCat("unknown entity '", t.text, "'", hint,
                              "; declare it with '@entity ", t.text, " ; type ...'"));
          return std::nullopt;
        }
        return Term::Entity(*canonical);
      }
      case K::kDocument: return Term::Document(t.text);
      case K::kIri: return Term::Iri(t.text);
      case K::kString: {
        if (!t.extra.empty()) {
          for (char c : t.extra) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) {
              Error(t.pos, StrCat("invalid language tag '", t.extra, "'"));
              return std::nullopt;
            }
          }
        }
        return Term::String(t.text, t.extra);
      }
      case K::kNumber: {
        if (t.text.find('.') == std::string::npos) {
          int64_t v = 0;
          auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
          if (ec != std::errc() || end != t.text.data() + t.text.size()) {
            Error(t.pos, StrCat("invalid integer '", t.text, "'"));
            return std::nullopt;
          }
          return Term::Integer(v);
        }
        auto d = Term::Decimal(t.text);
        if (!d.ok()) {
          Error(t.pos, std::string(d.status().message()));
          return std::nullopt;
        }
        return *d;
      }
      case K::kQuantity: {
        auto q = Term::Quantity(t.text, t.extra);
        if (!q.ok()) {
          Error(t.pos, std::string(q.status().message()));
          return std::nullopt;
        }
        return *q;
      }
      case K::kDate: {
        auto d = Term::ParseDate(t.text);
        if (!d.ok()) {
          Error(t.pos, std::string(d.status().message()));
          return std::nullopt;
        }
        return *d;
      }
      case K::kClaimRef: {
        auto it = claims_.find(t.text);
        if (it == claims_.end()) {
          Error(t.pos, StrCat("no @claim has id '", t.text, "'"));
          return std::nullopt;
        }
        if (depth > 16 || resolving_.contains(t.text)) {
          Error(t.pos, StrCat("claim '", t.text, "' refers to itself"));
          return std::nullopt;
        }
        resolving_.insert(t.text);
        auto term = ResolveTriple(it->second.s, it->second.p, it->second.o, depth + 1);
        resolving_.erase(t.text);
        return term;
      }
      case K::kTriple:
        return ResolveTriple(t.parts[0], t.parts[1], t.parts[2], depth + 1);
    }
    return std::nullopt;
  }

  std::optional<Term> ResolvePredicate(const TermAst& p) {
    if (p.kind != TermAst::Kind::kName) {
      Error(p.pos, "the predicate must be a vocabulary name");
      return std::nullopt;
    }
    if (!vocab_->IsPredicate(p.text)) {
      std::string hint = vocab_->SuggestPredicate(p.text);
      Error(p.pos, StrCat("unknown predicate '", p.text, "'", hint));
      return std::nullopt;
    }
    return Term::Entity(p.text);
  }

  std::optional<Term> ResolveTriple(const TermAst& s, const TermAst& p, const TermAst& o,
                                    int depth) {
    auto st = ResolveTerm(s, depth);
    auto pt = ResolvePredicate(p);
    auto ot = ResolveTerm(o, depth);
    if (!st || !pt || !ot) return std::nullopt;
    return Term::Claim(*st, *pt, *ot);
  }

  // Fills `ev` from the claim's attributes.
  void ApplyAttributes(const ClaimAst& claim, Evidence* ev) {
    std::string verdict_label;
    Pos verdict_pos = claim.id_pos;
    bool has_rating_text = false;
    bool verdict_keys = false;
    const size_t errors_before = diag_->errors().size();
    for (const AttributeAst& a : claim.attributes) {
      verdict_keys |= IsVerdictKey(a.key);
      if (a.key == "hedge") {
        auto h = ParseHedge(a.value);
        if (!h) {
          std::string names;
          for (Hedge x : kAllHedges) StrAppend(&names, names.empty() ? "" : ", ", HedgeName(x));
          std::vector<std::string_view> all;
          for (Hedge x : kAllHedges) all.push_back(HedgeName(x));
          Error(a.value_pos, StrCat("unknown hedge '", a.value, "'", DidYouMean(a.value, all),
                                    ": expected one of ", names));
        } else {
          ev->hedge = *h;
        }
      } else if (a.key == "stance") {
        auto s = ParseStance(a.value);
        if (!s) Error(a.value_pos, StrCat("unknown stance '", a.value, "': expected supports or disputes"));
        else ev->stance = *s;
      } else if (a.key == "negated") {
        if (!a.value.empty()) Error(a.value_pos, "'negated' takes no value");
        ev->negated = true;
      } else if (a.key == "agent") {
        auto t = ParseTerm(a.value, a.value_pos, diag_);
        if (t) {
          if (auto term = ResolveTerm(*t)) ev->agent = *term;
        }
      } else if (a.key == "via") {
        auto list = ParseTermList(a.value, a.value_pos, diag_);
        if (list) {
          for (const TermAst& t : *list) {
            if (auto term = ResolveTerm(t)) ev->via.push_back(*term);
          }
        }
      } else if (a.key == "time") {
        if (IsDateLiteral(a.value)) {
          auto d = Term::ParseDate(a.value);
          if (!d.ok()) Error(a.value_pos, std::string(d.status().message()));
          else ev->qualifiers.push_back({"time", *d});
        } else if (auto t = ParseTerm(a.value, a.value_pos, diag_)) {
          if (auto term = ResolveTerm(*t)) ev->qualifiers.push_back({"time", *term});
        }
      } else if (a.key == "quantity") {
        auto t = ParseTerm(a.value, a.value_pos, diag_);
        if (t && t->kind != TermAst::Kind::kQuantity) {
          Error(a.value_pos, "expected an amount and a unit in quotes, e.g. 'quantity 2700 \"drones per month\"'");
        } else if (t) {
          if (auto term = ResolveTerm(*t)) ev->qualifiers.push_back({"quantity", *term});
        }
      } else if (a.key == "place") {
        if (auto t = ParseTerm(a.value, a.value_pos, diag_)) {
          if (auto term = ResolveTerm(*t)) ev->qualifiers.push_back({"place", *term});
        }
      } else if (a.key == "verdict") {
        // A publisher's label or a scale word, through the Rating aliases.
        const std::optional<std::string> name = RatingEntityOfLabel(*vocab_, a.value);
        if (!name) {
          Error(a.value_pos, StrCat("unknown verdict '", a.value,
                                    "': expected a rating (false, mostly false, mixed, mostly "
                                    "true, true, unrated) or a publisher's label that the "
                                    "vocabulary maps to one (an alias of RatedFalse, ...)"));
        } else {
          ev->qualifiers.push_back({std::string(kVerdictKey), Term::Entity(*name)});
          verdict_label = a.value;
          verdict_pos = a.value_pos;
        }
      } else if (a.key == "rating") {
        if (a.value.empty()) Error(a.value_pos, "'rating' needs the rating as published");
        else ev->qualifiers.push_back({std::string(kRatingTextKey), Term::String(a.value)});
        has_rating_text = true;
      } else if (a.key == "rating_value" || a.key == "best_rating" || a.key == "worst_rating") {
        auto t = ParseTerm(a.value, a.value_pos, diag_);
        if (t && t->kind != TermAst::Kind::kNumber) {
          Error(a.value_pos, StrCat("'", a.key, "' needs a number, e.g. '", a.key, " 3'"));
        } else if (t) {
          if (auto term = ResolveTerm(*t)) ev->qualifiers.push_back({a.key, *term});
        }
      } else if (a.key == "reviewer" || a.key == "review_author" || a.key == "first_appearance") {
        if (auto t = ParseTerm(a.value, a.value_pos, diag_)) {
          if (auto term = ResolveTerm(*t)) ev->qualifiers.push_back({a.key, *term});
        }
      } else if (a.key == "appearance") {
        if (auto list = ParseTermList(a.value, a.value_pos, diag_)) {
          for (const TermAst& t : *list) {
            if (auto term = ResolveTerm(t)) ev->qualifiers.push_back({a.key, *term});
          }
        }
      } else {
        Error(a.pos, StrCat("unknown claim attribute '", a.key, "'", ClosestOf(a.key, kClaimAttributes)));
      }
    }
    // A claim whose attributes already failed has its errors.
    if (!verdict_keys || diag_->errors().size() != errors_before) return;
    // The label as written is the rating as published, unless given.
    if (!verdict_label.empty() && !has_rating_text) {
      ev->qualifiers.push_back({std::string(kRatingTextKey), Term::String(verdict_label)});
    }
    if (absl::Status s = CheckVerdict(*ev); !s.ok()) {
      Error(verdict_label.empty() ? claim.id_pos : verdict_pos, std::string(s.message()));
    }
  }

  // The vocabulary's rules for the claim's predicate and qualifiers
  // (kg/schema.h); the cardinality within this document (the store's other
  // documents are `kg check --schema`'s).
  void CheckRules(const ClaimAst& claim, const Term& term, const Evidence& ev) {
    auto report = [&](Pos pos, std::string message) {
      message = StrCat(message, " (a vocabulary rule", options_.lenient ? "; loaded anyway)" : ")");
      if (options_.lenient) {
        diag_->Warning(pos, std::move(message));
      } else {
        Error(pos, std::move(message));
      }
    };
    const Schema& schema = vocab_->schema();
    auto type_of = [this](const std::string& name) {
      const Entity* e = vocab_->FindEntity(name);
      return e != nullptr ? e->type : std::string();
    };
    for (Schema::Violation& v : schema.CheckEvidence(term, ev, type_of)) {
      using Part = Schema::Violation::Part;
      report(v.part == Part::kSubject  ? claim.s.pos
             : v.part == Part::kObject ? claim.o.pos
                                       : claim.p.pos,
             std::move(v.message));
    }
    const PredicateRule* rule =
        term.predicate().kind() == TermKind::kEntity
            ? schema.RuleOf(std::string(term.predicate().text()))
            : nullptr;
    if (rule == nullptr || rule->max_objects == 0) return;
    std::set<std::string>& objects =
        objects_[{term.subject().ToString(), std::string(term.predicate().text())}];
    if (objects.insert(term.object().ToString()).second && objects.size() > rule->max_objects) {
      report(claim.o.pos, StrCat("'", term.predicate().text(), "' takes at most ",
                                 rule->max_objects, " object(s) per subject, and ",
                                 term.subject().ToString(), " has ", objects.size(),
                                 " in this document"));
    }
  }

  void ResolveClaimWithEvidence(const ClaimAst& claim) {
    auto term = ResolveTriple(claim.s, claim.p, claim.o, 0);
    Evidence ev;
    ApplyAttributes(claim, &ev);
    auto it = anchors_.find(claim.id);
    if (it == anchors_.end()) {
      if (!syntax_ok_) return;
      Error(claim.id_pos, StrCat("claim '", claim.id, "' quotes no text: label the words that state it with [[...]]{#",
                                 claim.id, "}"));
      return;
    }
    if (!term) return;
    CheckRules(claim, *term, ev);
    for (const SpanAst* span : it->second) {
      ClaimEvidence ce;
      ce.claim = *term;
      ce.evidence = ev;
      ce.evidence.quote = Quote(*span);
      ce.evidence.span = Span{span->start, span->end};
      write_.claims.push_back(std::move(ce));
    }
  }

  void ResolveLink(const LinkAst& link) {
    auto target = ResolveTerm(link.target);
    if (!target) return;
    // What a document cites, reports, quotes or derives from is a document,
    // an entity or an IRI (the store refuses the rest; found by the
    // annotated-text fuzzer: '@cites 5').
    if (const TermKind k = target->kind();
        k != TermKind::kDocument && k != TermKind::kEntity && k != TermKind::kIri) {
      Error(link.target.pos, StrCat("@", link.relation, " needs a document (doc:ID), an entity or ",
                                    "an <IRI>, got ", TermKindName(k)));
      return;
    }
    const Relation relation = *ParseRelation(link.relation);
    if (link.anchor.empty()) {
      write_.document.links.push_back({relation, *target, "", std::nullopt});
      return;
    }
    auto it = anchors_.find(link.anchor);
    if (it == anchors_.end()) {
      if (!syntax_ok_) return;
      Error(link.anchor_pos, StrCat("link '", link.anchor, "' quotes no text: label the words with [[...]]{#",
                                    link.anchor, "}"));
      return;
    }
    for (const SpanAst* span : it->second) {
      write_.document.links.push_back({relation, *target, Quote(*span), Span{span->start, span->end}});
    }
  }

  void ResolveSource(const Directive& d) {
    std::vector<Field> fields = SplitFields(d);
    // The head field is the target term (key and value together).
    const Field& head = fields[0];
    const std::string target_text = head.value.empty() ? head.key : StrCat(head.key, " ", head.value);
    auto ast = ParseTerm(target_text, head.key_pos, diag_);
    if (!ast) return;
    auto target = ResolveTerm(*ast);
    if (!target) return;
    for (size_t i = 1; i < fields.size(); ++i) {
      const Field& f = fields[i];
      std::optional<Term> value;
      if (f.key == "title" || f.key == "publisher" || f.key == "author" || f.key == "url") {
        if (f.value.empty()) {
          Error(f.value_pos, StrCat("expected a value after '", f.key, "'"));
          continue;
        }
        value = f.key == "url" ? Term::Iri(f.value) : Term::String(f.value);
      } else if (f.key == "date") {
        auto d = Term::ParseDate(f.value);
        if (!d.ok()) {
          Error(f.value_pos, std::string(d.status().message()));
          continue;
        }
        value = *d;
      } else {
        Error(f.key_pos, StrCat("unknown source field '", f.key,
                                "': expected title, publisher, author, date or url"));
        continue;
      }
      ClaimEvidence ce;
      ce.claim = Term::Claim(*target, Term::Entity(f.key), *value);
      write_.claims.push_back(std::move(ce));
    }
  }

  void ResolveMentions() {
    const Term doc = Term::Document(doc_id_);
    for (const auto& [span, label] : mentions_) {
      auto canonical = vocab_->ResolveEntity(label->value);
      if (!canonical) {
        Error(label->pos, StrCat("unknown entity '", label->value, "'", vocab_->SuggestEntity(label->value)));
        continue;
      }
      ClaimEvidence ce;
      ce.claim = Term::Claim(doc, Term::Entity("mentions"), Term::Entity(*canonical));
      ce.evidence.quote = Quote(*span);
      ce.evidence.span = Span{span->start, span->end};
      write_.claims.push_back(std::move(ce));
    }
  }

  const ParsedFile& parsed_;
  CodePointIndex index_;
  const Vocabulary* vocab_;             // the caller's, or own_vocab_
  std::optional<Vocabulary> own_vocab_;  // once the document declares an entity
  Diagnostics* diag_;
  bool syntax_ok_;
  DocumentWrite write_;
  std::string doc_id_;
  std::set<std::string> seen_;
  std::set<std::string> declared_;  // names of the entities declared without error
  std::map<std::string, ClaimAst> claims_;
  std::vector<std::string> claim_order_;
  std::set<std::string> link_anchors_;
  std::vector<LinkAst> links_;
  std::vector<Directive> sources_;
  std::map<std::string, std::vector<const SpanAst*>> anchors_;
  std::vector<std::pair<const SpanAst*, const Label*>> mentions_;
  std::set<std::string> resolving_;
  ResolveOptions options_;
  // (subject, predicate) -> its objects in this document, for `max`.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> objects_;
};

}  // namespace

std::optional<DocumentWrite> ResolveDocument(const ParsedFile& parsed, const Vocabulary& vocab,
                                             Diagnostics* diag, const ResolveOptions& options) {
  Resolver r(parsed, vocab, diag, options);
  return r.Run();
}

}  // namespace kg::ingest
