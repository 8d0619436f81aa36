#include "ingest/claimreview/claimreview.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "ingest/factcheck.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/text_index.h"
#include "kg/utf8.h"
#include "kg/verdict.h"
#include "nlohmann/json.hpp"

namespace kg::ingest {
namespace {

using Json = nlohmann::json;

// ---- input: JSON texts of a file --------------------------------------

bool LooksLikeHtml(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '<';
  }
  return false;
}

}  // namespace

std::vector<JsonBlock> JsonLdBlocks(std::string_view html) {
  std::vector<JsonBlock> out;
  const std::string lower = absl::AsciiStrToLower(std::string(html));
  size_t at = 0;
  while ((at = lower.find("<script", at)) != std::string::npos) {
    const size_t tag_end = lower.find('>', at);
    if (tag_end == std::string::npos) break;
    const std::string_view tag = std::string_view(lower).substr(at, tag_end - at);
    const size_t close = lower.find("</script", tag_end);
    if (close == std::string::npos) break;
    if (tag.find("application/ld+json") != std::string_view::npos) {
      out.push_back({std::string(html.substr(tag_end + 1, close - tag_end - 1)),
                     PositionInText(html, tag_end + 2).line});
    }
    at = close + 1;
  }
  return out;
}

namespace {

// One ClaimReview object and where it came from.
struct Record {
  Json json;
  int line = 1;  // where its JSON text starts
  int number = 0;  // 1-based, in the file
};

// ---- mapping one record ----------------------------------------------

// Fields a record has that the mapping does not use, by path.
using Unmapped = std::map<std::string, int>;

bool HasType(const Json& j, std::string_view type) {
  if (!j.is_object() || !j.contains("@type")) return false;
  const Json& t = j["@type"];
  auto is = [&](const Json& x) {
    if (!x.is_string()) return false;
    std::string s = x.get<std::string>();
    // "ClaimReview", "schema:ClaimReview", "https://schema.org/ClaimReview"
    const size_t cut = s.find_last_of(":/");
    if (cut != std::string::npos) s = s.substr(cut + 1);
    return s == type;
  };
  if (t.is_array()) return std::any_of(t.begin(), t.end(), is);
  return is(t);
}

std::string TypeName(const Json& j) {
  if (!j.is_object() || !j.contains("@type")) return "untyped";
  return j["@type"].is_string() ? j["@type"].get<std::string>() : j["@type"].dump();
}

// Text of a scalar: strings as they are, numbers as written.
std::optional<std::string> ScalarText(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return StrCat(j.get<int64_t>());
  if (j.is_number()) {
    std::ostringstream os;
    os << j.get<double>();
    return os.str();
  }
  return std::nullopt;
}

// A number as a term: an integer or a decimal.
std::optional<Term> NumberTerm(const Json& j) {
  std::optional<std::string> text = ScalarText(j);
  if (!text || !ParseRatingNumber(*text)) return std::nullopt;
  std::string s(absl::StripAsciiWhitespace(*text));
  int64_t n = 0;
  if (absl::SimpleAtoi(s, &n)) return Term::Integer(n);
  auto d = Term::Decimal(s);
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::optional<Date> ParseJsonDate(const std::string& text) {
  // "2014-07-23", "2014-07", "2014", or a date-time "2014-07-23T10:00:00Z".
  std::string s = text.substr(0, std::min<size_t>(text.size(), 10));
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  auto t = Term::ParseDate(s);
  if (!t.ok()) return std::nullopt;
  return t->date();
}

// The host of a URL without "www.": http://www.politifact.com/ -> politifact.com.
std::string HostOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.starts_with("www.")) rest.remove_prefix(4);
  return std::string(rest);
}

class RecordMapper {
 public:
  RecordMapper(const FactCheckVocabulary& vocab, Unmapped* unmapped)
      : vocab_(vocab), unmapped_(unmapped) {}

  // What a record maps to: the review document with its verdict (the
  // claim is filled in later), or an error naming the field.
  struct Mapped {
    DocumentWrite write;      // write.claims[0] is the verdict
    std::string claim_text;   // claimReviewed
    std::vector<std::string> notes;
  };

  absl::StatusOr<Mapped> Map(const Json& r) {
    Mapped m;
    Note(r, "", {"@context", "@type", "@id", "url", "claimReviewed", "reviewRating", "author",
                 "publisher", "datePublished", "itemReviewed", "headline", "name"});
    KG_ASSIGN_OR_RETURN(const std::string url, RequiredText(r, "url"));
    KG_ASSIGN_OR_RETURN(m.claim_text, RequiredText(r, "claimReviewed"));
    if (m.claim_text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Missing("claimReviewed");
    }
    Document& doc = m.write.document;
    doc.id = url;
    doc.url = url;
    doc.type = "claimreview";
    doc.text = m.claim_text;
    for (const char* key : {"headline", "name"}) {
      if (doc.title.empty() && r.contains(key) && r[key].is_string()) doc.title = r[key].get<std::string>();
    }
    if (r.contains("datePublished")) {
      KG_ASSIGN_OR_RETURN(doc.date, DateField(r["datePublished"], "datePublished"));
    }

    Verdict v;
    KG_RETURN_IF_ERROR(MapRating(r, &v, &m.notes));
    KG_RETURN_IF_ERROR(MapReviewer(r, &v, &m.write));
    doc.publisher = reviewer_display_;
    if (v.review_author) doc.authors.push_back(author_display_);

    Evidence ev;
    ev.quote = doc.text;
    ev.span = Span{0, CountCodePoints(doc.text)};
    if (r.contains("itemReviewed")) KG_RETURN_IF_ERROR(MapItem(r["itemReviewed"], &v, &ev, &m.write));
    SetVerdict(v, &ev);
    // The claim is decided by the caller; the verdict goes first.
    m.write.claims.insert(m.write.claims.begin(), ClaimEvidence{Term(), std::move(ev)});
    m.write.entities.push_back(vocab_.RatingDeclaration(v.rating));
    return m;
  }

 private:
  static absl::Status Missing(std::string_view field) {
    return absl::InvalidArgumentError(StrCat("missing required field '", field, "'"));
  }

  absl::StatusOr<std::string> RequiredText(const Json& j, std::string_view key,
                                           std::string_view path = "") {
    const std::string name = StrCat(path, key);
    if (!j.contains(key) || j[std::string(key)].is_null()) return Missing(name);
    const Json& v = j[std::string(key)];
    if (!v.is_string()) {
      return absl::InvalidArgumentError(StrCat("'", name, "' must be text, not ", v.type_name()));
    }
    std::string s = v.get<std::string>();
    if (auto bad = FindInvalidUtf8(s)) {
      return absl::InvalidArgumentError(StrCat("'", name, "' is not valid UTF-8"));
    }
    if (s.empty()) return Missing(name);
    return s;
  }

  absl::StatusOr<std::optional<Date>> DateField(const Json& j, std::string_view name) {
    if (j.is_null()) return std::optional<Date>();
    std::optional<Date> d = j.is_string() ? ParseJsonDate(j.get<std::string>()) : std::nullopt;
    if (!d) {
      return absl::InvalidArgumentError(
          StrCat("'", name, "' must be a date (YYYY-MM-DD), not ", j.dump()));
    }
    return d;
  }

  // Records the keys of `j` outside `known` as not mapped.
  void Note(const Json& j, std::string_view path, std::initializer_list<std::string_view> known) {
    if (!j.is_object()) return;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
        ++(*unmapped_)[StrCat(path, it.key())];
      }
    }
  }

  absl::Status MapRating(const Json& r, Verdict* v, std::vector<std::string>* notes) {
    if (!r.contains("reviewRating") || r["reviewRating"].is_null()) return Missing("reviewRating");
    const Json& rr = r["reviewRating"];
    if (!rr.is_object()) return absl::InvalidArgumentError("'reviewRating' must be an object");
    Note(rr, "reviewRating.", {"@type", "@context", "ratingValue", "bestRating", "worstRating",
                               "alternateName", "name"});
    for (const char* key : {"alternateName", "name"}) {
      if (v->rating_text.empty() && rr.contains(key) && rr[key].is_string()) {
        v->rating_text = std::string(absl::StripAsciiWhitespace(rr[key].get<std::string>()));
      }
    }
    auto number = [&](const char* key, std::optional<Term>* out) -> absl::Status {
      if (!rr.contains(key) || rr[key].is_null()) return absl::OkStatus();
      *out = NumberTerm(rr[key]);
      if (!*out) {
        return absl::InvalidArgumentError(
            StrCat("'reviewRating.", key, "' must be a number, not ", rr[key].dump()));
      }
      return absl::OkStatus();
    };
    KG_RETURN_IF_ERROR(number("ratingValue", &v->value));
    KG_RETURN_IF_ERROR(number("bestRating", &v->best));
    KG_RETURN_IF_ERROR(number("worstRating", &v->worst));
    if (v->rating_text.empty() && !v->value) {
      return absl::InvalidArgumentError(
          "'reviewRating' needs 'alternateName' (the rating as published) or 'ratingValue'");
    }
    // The score on its scale; schema.org's defaults are 1 (worst) to 5 (best).
    std::optional<Rating> by_score;
    if (v->value) {
      const double best = v->best ? *ParseRatingNumber(v->best->ToString()) : 5;
      const double worst = v->worst ? *ParseRatingNumber(v->worst->ToString()) : 1;
      by_score = RatingFromScore(*ParseRatingNumber(v->value->ToString()), best, worst);
    }
    std::optional<Rating> by_label;
    if (!v->rating_text.empty()) by_label = vocab_.RatingOfLabel(v->rating_text);
    if (by_label) {
      v->rating = *by_label;
      if (by_score && *by_score != *by_label) {
        notes->push_back(StrCat("the label '", v->rating_text, "' is ", RatingName(*by_label),
                                " but the score ", v->value->ToString(),
                                v->best ? StrCat(" of ", v->best->ToString()) : "", " reads ",
                                RatingName(*by_score), "; kept the label's"));
      }
    } else if (by_score) {
      v->rating = *by_score;
      if (!v->rating_text.empty()) {
        notes->push_back(StrCat("the label '", v->rating_text, "' is not in the vocabulary; rated ",
                                RatingName(*by_score), " from the score"));
      }
    } else if (!v->rating_text.empty()) {
      v->rating = Rating::kUnrated;
      notes->push_back(StrCat("the label '", v->rating_text,
                              "' is not in the vocabulary: recorded as unrated (map it with "
                              "'@entity RatedFalse ; alias ",
                              v->rating_text, "' or another Rated* entity in a .kgv file)"));
    } else {
      v->rating = Rating::kUnrated;
      notes->push_back(StrCat("the score ", v->value->ToString(),
                              " is not on its scale (worst ",
                              v->worst ? v->worst->ToString() : "1 by default", ", best ",
                              v->best ? v->best->ToString() : "5 by default",
                              "): recorded as unrated"));
    }
    return absl::OkStatus();
  }

  // An Organization or Person object (or a bare name) as an entity.
  absl::StatusOr<std::optional<Entity>> Agent(const Json& a, std::string_view path,
                                              std::string* display) {
    std::string name, url;
    if (a.is_string()) {
      name = a.get<std::string>();
    } else if (a.is_object()) {
      Note(a, path, {"@type", "@id", "name", "url"});
      if (a.contains("name") && a["name"].is_string()) name = a["name"].get<std::string>();
      if (a.contains("url") && a["url"].is_string()) url = a["url"].get<std::string>();
    } else {
      return absl::InvalidArgumentError(StrCat("'", path.substr(0, path.size() - 1),
                                               "' must be an object or a name"));
    }
    *display = name.empty() ? HostOf(url) : name;
    if (display->empty()) {
      return absl::InvalidArgumentError(
          StrCat("'", path.substr(0, path.size() - 1), "' has no name or url to name it by"));
    }
    const bool person = HasType(a, "Person");
    return vocab_.AgentEntity(*display, person ? "Person" : "Organization");
  }

  absl::Status MapReviewer(const Json& r, Verdict* v, DocumentWrite* w) {
    std::vector<std::pair<const Json*, std::string>> agents;
    for (const char* key : {"author", "publisher"}) {
      if (!r.contains(key) || r[key].is_null()) continue;
      const Json& a = r[key];
      if (a.is_array()) {
        for (size_t i = 0; i < a.size(); ++i) agents.push_back({&a[i], StrCat(key, ".")});
      } else {
        agents.push_back({&a, StrCat(key, ".")});
      }
    }
    if (agents.empty()) return Missing("author");
    std::optional<Entity> org, person;
    for (const auto& [a, path] : agents) {
      std::string display;
      KG_ASSIGN_OR_RETURN(std::optional<Entity> e, Agent(*a, path, &display));
      if (!e) {
        return absl::InvalidArgumentError(StrCat("'", path.substr(0, path.size() - 1), "' name '",
                                                 display, "' has no letter or digit"));
      }
      if (HasType(*a, "Person")) {
        if (!person) person = e, author_display_ = display;
      } else if (!org) {
        org = e, reviewer_display_ = display;
      }
    }
    // A review signed only by a person: the person is the reviewer.
    if (!org) org = person, reviewer_display_ = author_display_, person.reset();
    v->reviewer = Term::Entity(org->name);
    w->entities.push_back(*org);
    if (person) {
      v->review_author = Term::Entity(person->name);
      w->entities.push_back(*person);
    }
    return absl::OkStatus();
  }

  // A CreativeWork where the claim appeared: a document named by its url.
  absl::StatusOr<std::optional<Term>> Appearance(const Json& a, std::string_view path,
                                                 DocumentWrite* w) {
    std::string url;
    const Json* at = &a;
    if (a.is_string()) {
      url = a.get<std::string>();
    } else if (a.is_object()) {
      Note(a, path, {"@type", "@id", "url", "headline", "name", "author", "datePublished",
                     "isPartOf"});
      if (a.contains("url") && a["url"].is_string()) {
        url = a["url"].get<std::string>();
      } else if (a.contains("isPartOf") && a["isPartOf"].is_object() &&
                 a["isPartOf"].contains("url") && a["isPartOf"]["url"].is_string()) {
        at = &a["isPartOf"];  // a clip of a video: the video
        url = (*at)["url"].get<std::string>();
        Note(*at, StrCat(path, "isPartOf."), {"@type", "url", "name", "headline"});
      }
    } else {
      return absl::InvalidArgumentError(StrCat("'", path.substr(0, path.size() - 1),
                                               "' must be an object or a URL"));
    }
    if (url.empty()) return std::optional<Term>();
    const Term doc = Term::Document(url);
    // What the review says about it, as @source facts: claims about the
    // document with evidence in the review.
    auto fact = [&](std::string_view predicate, Term value) {
      ClaimEvidence ce;
      ce.claim = Term::Claim(doc, Term::Entity(predicate), std::move(value));
      w->claims.push_back(std::move(ce));
    };
    fact("url", Term::Iri(url));
    for (const Json* src : {&a, at}) {
      if (!src->is_object()) continue;
      for (const char* key : {"headline", "name"}) {
        if (src->contains(key) && (*src)[key].is_string()) {
          fact("title", Term::String((*src)[key].get<std::string>()));
          break;
        }
      }
    }
    if (a.is_object() && a.contains("datePublished")) {
      KG_ASSIGN_OR_RETURN(std::optional<Date> d,
                          DateField(a["datePublished"], StrCat(path, "datePublished")));
      if (d) fact("date", *Term::DateOf(*d));
    }
    if (a.is_object() && a.contains("author")) {
      std::string display;
      KG_ASSIGN_OR_RETURN(std::optional<Entity> e, Agent(a["author"], StrCat(path, "author."), &display));
      if (e) fact("author", Term::String(display));
    }
    w->document.links.push_back({Relation::kCites, doc, "", std::nullopt});
    return std::optional<Term>(doc);
  }

  absl::Status MapItem(const Json& item, Verdict* v, Evidence* ev, DocumentWrite* w) {
    if (!item.is_object()) return absl::InvalidArgumentError("'itemReviewed' must be an object");
    Note(item, "itemReviewed.", {"@type", "@id", "author", "datePublished", "appearance",
                                 "firstAppearance", "name", "headline", "url", "isPartOf",
                                 "startOffset", "endOffset"});
    // Who made the claim, and when: qualifiers of the verdict.
    if (item.contains("author") && !item["author"].is_null()) {
      const Json& a = item["author"].is_array() && !item["author"].empty() ? item["author"][0]
                                                                             : item["author"];
      std::string display;
      KG_ASSIGN_OR_RETURN(std::optional<Entity> e, Agent(a, "itemReviewed.author.", &display));
      if (e) {
        ev->qualifiers.push_back({"claimant", Term::Entity(e->name)});
        w->entities.push_back(*e);
      }
    }
    if (item.contains("datePublished")) {
      KG_ASSIGN_OR_RETURN(std::optional<Date> d,
                          DateField(item["datePublished"], "itemReviewed.datePublished"));
      if (d) ev->qualifiers.push_back({"claim_date", *Term::DateOf(*d)});
    }
    // Where it appeared: the item itself when it is the work (a
    // CreativeWork, a Clip), its appearances, its first appearance.
    auto add = [&](const Json& a, const std::string& path, bool first) -> absl::Status {
      KG_ASSIGN_OR_RETURN(std::optional<Term> doc, Appearance(a, path, w));
      if (!doc) return absl::OkStatus();
      if (first) {
        v->first_appearance = *doc;
      } else if (std::find(v->appearances.begin(), v->appearances.end(), *doc) ==
                 v->appearances.end()) {
        v->appearances.push_back(*doc);
      }
      return absl::OkStatus();
    };
    if (!HasType(item, "Claim")) {
      const bool located = item.contains("url") || item.contains("isPartOf");
      if (located) {
        KG_RETURN_IF_ERROR(add(item, "itemReviewed.", false));
      } else {
        for (const char* key : {"name", "headline"}) {
          if (item.contains(key) && item[key].is_string()) {
            ev->qualifiers.push_back({"appearance_title", Term::String(item[key].get<std::string>())});
            break;
          }
        }
      }
    }
    for (const char* key : {"appearance", "firstAppearance"}) {
      if (!item.contains(key) || item[key].is_null()) continue;
      const Json& a = item[key];
      const bool first = std::string_view(key) == "firstAppearance";
      if (a.is_array()) {
        for (size_t i = 0; i < a.size(); ++i) {
          KG_RETURN_IF_ERROR(add(a[i], StrCat("itemReviewed.", key, "[", i, "]."), first && i == 0));
        }
      } else {
        KG_RETURN_IF_ERROR(add(a, StrCat("itemReviewed.", key, "."), first));
      }
    }
    return absl::OkStatus();
  }

  const FactCheckVocabulary& vocab_;
  Unmapped* unmapped_;
  std::string reviewer_display_, author_display_;
};

// ---- which claim a review is about -------------------------------------

// Whether `part` occurs in `whole` as consecutive tokens.
bool Contains(const std::vector<std::string>& whole, const std::vector<std::string>& part) {
  if (part.empty() || part.size() > whole.size()) return false;
  return std::search(whole.begin(), whole.end(), part.begin(), part.end()) != whole.end();
}

// The stored claim whose evidence quote the text contains (or is contained
// in), by the longest such quote; the text claim when none does. An error
// when two claims tie.
absl::StatusOr<Term> FindClaim(const Snapshot& snap, const std::string& text,
                               const std::string& own_doc, bool* attached) {
  *attached = false;
  const Term text_claim = TextClaim(text);
  KG_ASSIGN_OR_RETURN(std::optional<TermId> same, snap.Find(text_claim));
  if (same) return text_claim;
  const std::vector<std::string> tokens = QuoteTokens(text);
  constexpr size_t kMinTokens = 3;  // a shorter quote matches too much
  if (tokens.size() < kMinTokens) return text_claim;
  std::map<TermId, size_t> best;  // claim -> tokens of its longest matching quote
  std::set<std::string> searched;
  for (size_t i = 0; i + kMinTokens <= tokens.size(); ++i) {
    std::string window = absl::StrJoin(tokens.begin() + i, tokens.begin() + i + kMinTokens, " ");
    if (!searched.insert(window).second) continue;
    KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> hits, snap.SearchQuotes(window, true, 1000));
    for (const EvidenceEntry& e : hits) {
      if (e.document_id == own_doc) continue;  // this review, imported before
      const std::vector<std::string> quote = QuoteTokens(e.evidence.quote);
      if (quote.size() < kMinTokens) continue;
      if (!Contains(tokens, quote) && !Contains(quote, tokens)) continue;
      size_t& n = best[e.claim];
      n = std::max(n, std::min(quote.size(), tokens.size()));
    }
  }
  if (best.empty()) return text_claim;
  size_t top = 0;
  for (const auto& [c, n] : best) top = std::max(top, n);
  std::vector<TermId> winners;
  for (const auto& [c, n] : best) {
    if (n == top) winners.push_back(c);
  }
  if (winners.size() > 1) {
    std::vector<std::string> names;
    for (const TermId& c : winners) {
      KG_ASSIGN_OR_RETURN(Term t, snap.Decode(c));
      names.push_back(t.ToString());
    }
    return absl::InvalidArgumentError(
        StrCat("claimReviewed matches ", winners.size(), " stored claims equally (",
               absl::StrJoin(names, ", "), "): import this review with --claim"));
  }
  *attached = true;
  return snap.Decode(winners[0]);
}

// ---- files --------------------------------------------------------------

// The JSON texts of a file: its HTML blocks, its lines (JSON lines), or all
// of it.
std::vector<JsonBlock> JsonTexts(const std::string& path, const std::string& content) {
  if (LooksLikeHtml(content)) return JsonLdBlocks(content);
  std::vector<JsonBlock> out;
  std::string lower = absl::AsciiStrToLower(path);
  // A .json file is one JSON text, or JSON lines when it is not one.
  bool lines = lower.ends_with(".jsonl") || lower.ends_with(".ndjson");
  if (lower.ends_with(".json") && !Json::accept(content)) lines = true;
  if (lines) {
    std::istringstream in(content);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      out.push_back({line, n});
    }
    return out;
  }
  out.push_back({content, 1});
  return out;
}

// Every ClaimReview in `j`: itself, the items of an array, the nodes of an
// @graph. Other objects are counted in `skipped` by type.
void CollectReviews(const Json& j, int line, std::vector<Record>* out,
                    std::map<std::string, int>* skipped) {
  if (j.is_array()) {
    for (const Json& x : j) CollectReviews(x, line, out, skipped);
    return;
  }
  if (!j.is_object()) {
    ++(*skipped)[j.type_name()];
    return;
  }
  if (HasType(j, "ClaimReview")) {
    out->push_back({j, line, static_cast<int>(out->size()) + 1});
    return;
  }
  if (j.contains("@graph")) {
    CollectReviews(j["@graph"], line, out, skipped);
    return;
  }
  ++(*skipped)[TypeName(j)];
}

class FileImporter {
 public:
  FileImporter(Store& store, const ClaimReviewOptions& options, std::ostream& err)
      : store_(store), options_(options), err_(err) {}

  // Returns false when the file had errors (reported; nothing written).
  absl::StatusOr<bool> Import(const std::string& path, ClaimReviewSummary* summary) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      err_ << path << ": error: cannot read: " << std::strerror(errno) << "\n";
      return false;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string content = buf.str();
    if (auto bad = FindInvalidUtf8(content)) {
      err_ << path << ":" << PositionInText(content, *bad + 1).line << ":1: error: not valid UTF-8 (byte " << *bad
           << ")\n";
      return false;
    }
    std::vector<Record> records;
    std::map<std::string, int> skipped;
    bool ok = true;
    const std::vector<JsonBlock> texts = JsonTexts(path, content);
    for (const JsonBlock& t : texts) {
      try {
        Json j = Json::parse(t.text);
        if (JsonDeeperThan(j, kMaxJsonDepth)) {
          err_ << path << ":" << t.line << ":1: error: JSON nested deeper than " << kMaxJsonDepth
               << " levels\n";
          ok = false;
          continue;
        }
        CollectReviews(j, t.line, &records, &skipped);
      } catch (const Json::parse_error& e) {
        const TextPosition at = PositionInText(t.text, e.byte);
        err_ << path << ":" << t.line + at.line - 1 << ":" << at.column
             << ": error: malformed JSON: " << JsonErrorMessage(e.what()) << "\n";
        ok = false;
      } catch (const Json::exception& e) {  // e.g. a number too large for a double
        err_ << path << ":" << t.line << ":1: error: malformed JSON: " << JsonErrorMessage(e.what())
             << "\n";
        ok = false;
      }
    }
    if (ok && records.empty()) {
      err_ << path << ":1:1: error: no ClaimReview found"
           << (LooksLikeHtml(content) ? " (no <script type=\"application/ld+json\"> block has one)"
                                      : "")
           << "\n";
      return false;
    }
    if (!ok) return false;

    auto snap = store_.NewSnapshot();
    KG_ASSIGN_OR_RETURN(FactCheckVocabulary vocab, FactCheckVocabulary::Load(*snap));
    Unmapped unmapped;
    std::vector<DocumentWrite> writes;
    std::vector<bool> attached;
    std::map<std::string, int> urls;  // review url -> record number
    for (const Record& r : records) {
      auto where = [&] { return StrCat(path, ":", r.line, ":1: error: record ", r.number, ": "); };
      RecordMapper mapper(vocab, &unmapped);
      auto mapped = mapper.Map(r.json);
      if (!mapped.ok()) {
        err_ << where() << mapped.status().message() << "\n";
        ok = false;
        continue;
      }
      for (const std::string& note : mapped->notes) {
        err_ << path << ":" << r.line << ":1: note: record " << r.number << ": " << note << "\n";
      }
      auto [it, fresh] = urls.emplace(mapped->write.document.id, r.number);
      if (!fresh) {
        err_ << where() << "its url repeats record " << it->second << "'s: " << it->first << "\n";
        ok = false;
        continue;
      }
      bool on_stored = false;
      absl::StatusOr<Term> claim = options_.claim ? absl::StatusOr<Term>(*options_.claim)
                                                  : FindClaim(*snap, mapped->claim_text,
                                                              mapped->write.document.id, &on_stored);
      if (!claim.ok()) {
        if (!absl::IsInvalidArgument(claim.status())) return claim.status();
        err_ << where() << claim.status().message() << "\n";
        ok = false;
        continue;
      }
      if (options_.claim) on_stored = true;
      mapped->write.claims[0].claim = *claim;
      if (IsTextClaim(*claim)) vocab.DeclareTextClaim(&mapped->write.entities);
      // What the store would refuse (a NUL in a name, say) is an error of
      // this record, found before anything of the file is written.
      if (absl::Status s = Store::ValidateDocument(mapped->write); !s.ok()) {
        err_ << where() << s.message() << "\n";
        ok = false;
        continue;
      }
      writes.push_back(std::move(mapped->write));
      attached.push_back(on_stored);
    }
    if (!unmapped.empty()) {
      std::vector<std::string> parts;
      for (const auto& [field, n] : unmapped) parts.push_back(StrCat(field, " (", n, ")"));
      err_ << path << ": note: fields kg does not map, left in the source (records): "
           << absl::StrJoin(parts, ", ") << "\n";
    }
    if (!skipped.empty()) {
      std::vector<std::string> parts;
      for (const auto& [type, n] : skipped) parts.push_back(StrCat(type, " (", n, ")"));
      err_ << path << ": note: objects that are not ClaimReviews, skipped: "
           << absl::StrJoin(parts, ", ") << "\n";
    }
    if (!ok) {
      err_ << path << ": nothing imported from this file\n";
      return false;
    }
    // Each review is its own document, written atomically.
    for (size_t i = 0; i < writes.size(); ++i) {
      KG_RETURN_IF_ERROR(store_.WriteDocument(writes[i]));  // validated above
      ++summary->reviews;
      (attached[i] ? summary->attached : summary->text_claims)++;
    }
    return true;
  }

 private:
  Store& store_;
  const ClaimReviewOptions& options_;
  std::ostream& err_;
};

}  // namespace

absl::StatusOr<ClaimReviewSummary> ImportClaimReviews(Store& store,
                                                      const std::vector<std::string>& paths,
                                                      const ClaimReviewOptions& options,
                                                      std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  ClaimReviewSummary summary;
  FileImporter importer(store, options, err);
  for (const std::string& path : paths) {
    KG_ASSIGN_OR_RETURN(bool ok, importer.Import(path, &summary));
    if (ok) {
      ++summary.files_loaded;
    } else {
      ++summary.files_failed;
      summary.failed_files.push_back(path);
    }
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace kg::ingest
