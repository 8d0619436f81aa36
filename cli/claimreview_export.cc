// `kg export --format claimreview CLAIM`: schema.org ClaimReview JSON-LD for
// the claims CLAIM names (read as TRACE reads it). A claim with verdicts gets
// one ClaimReview per verdict, built from the verdict and its review
// document; a claim without one gets a draft ClaimReview to complete, with
// the documents it appeared in and its primary sources (an extension in the
// kg vocabulary). docs/claimreview.md, section "Export", has the mapping.
//
// The properties follow Google's fact-check markup guidelines
// (https://developers.google.com/search/docs/appearance/structured-data/factcheck,
// "Structured data type definitions", as tabulated in Full Fact's
// https://fullfact.github.io/markup-investigation/docs/notes/01-basic-usage/):
// ClaimReview requires claimReviewed, reviewRating and url and recommends
// author, datePublished and itemReviewed; Rating requires alternateName and
// recommends ratingValue, bestRating (greater than worstRating) and
// worstRating; Claim recommends appearance, firstAppearance (URL or
// CreativeWork), author and datePublished.
#include "cli/claimreview_export.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/verdict.h"
#include "query/context.h"
#include "ingest/factcheck.h"
#include "query/provenance.h"
#include "query/query.h"

namespace kg::cli {

using Json = nlohmann::ordered_json;

namespace {

// More claims than this is not a claim but a pattern: ask for a precise one.
constexpr uint64_t kMaxClaims = 100;

// Empty strings and nulls are missing values.
bool Missing(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return true;
  const Json& v = object[key];
  return v.is_null() || (v.is_string() && v.get<std::string>().empty());
}

// An author (one object or an array of them) has a name.
bool HasNamedAuthor(const Json& review) {
  if (Missing(review, "author")) return false;
  const Json& a = review["author"];
  if (a.is_object()) return !Missing(a, "name");
  if (a.is_array()) {
    return std::any_of(a.begin(), a.end(), [](const Json& x) { return !Missing(x, "name"); });
  }
  return a.is_string();
}

std::optional<double> Number(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return std::nullopt;
  const Json& v = object[key];
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return ingest::ParseRatingNumber(v.get<std::string>());
  return std::nullopt;
}

}  // namespace

ClaimReviewGaps CheckClaimReview(const Json& review) {
  ClaimReviewGaps gaps;
  if (Missing(review, "claimReviewed")) gaps.required.push_back("claimReviewed");
  if (Missing(review, "reviewRating") || !review["reviewRating"].is_object()) {
    gaps.required.push_back("reviewRating");
  } else {
    const Json& rating = review["reviewRating"];
    if (Missing(rating, "alternateName")) gaps.required.push_back("reviewRating.alternateName");
    const std::optional<double> best = Number(rating, "bestRating");
    const std::optional<double> worst = Number(rating, "worstRating");
    if (best && worst && !(*best > *worst)) {
      std::ostringstream msg;
      msg << "reviewRating.bestRating " << *best << " is not greater than reviewRating.worstRating "
          << *worst;
      gaps.invalid.push_back(msg.str());
    }
    const std::optional<double> value = Number(rating, "ratingValue");
    if (value && best && worst && *best > *worst && (*value < *worst || *value > *best)) {
      std::ostringstream msg;
      msg << "reviewRating.ratingValue " << *value << " lies outside [" << *worst << ", " << *best
          << "]";
      gaps.invalid.push_back(msg.str());
    }
  }
  if (Missing(review, "url")) gaps.required.push_back("url");
  if (!HasNamedAuthor(review)) gaps.recommended.push_back("author");
  if (Missing(review, "datePublished")) gaps.recommended.push_back("datePublished");
  if (Missing(review, "itemReviewed")) gaps.recommended.push_back("itemReviewed");
  return gaps;
}

namespace {

// A term as plain text: entity names, strings without quotes, dates as
// ISO 8601, documents as doc:id, claims in words.
std::string Words(const Term& t) {
  switch (t.kind()) {
    case TermKind::kClaim:
      return Words(t.subject()) + " " + Words(t.predicate()) + " " + Words(t.object());
    case TermKind::kString:
    case TermKind::kEntity:
    case TermKind::kIri: return t.text();
    case TermKind::kDate: return FormatDate(t.date());
    default: return query::SourceName(t);
  }
}

// The claim as a fact-checker states it: a text claim's sentence, else
// "subject predicate object".
std::string ClaimInWords(const Term& claim) {
  std::string sentence;
  if (IsTextClaim(claim, &sentence)) return sentence;
  return Words(claim);
}

// A number term (integer or decimal) as a JSON number.
Json NumberJson(const Term& t) {
  if (t.kind() == TermKind::kInteger) return t.integer();
  if (t.kind() == TermKind::kDecimal) return std::strtod(t.text().c_str(), nullptr);
  return t.ToString();
}

// The URL a document can be linked by: its url field, else its id when that
// is an absolute IRI (a ClaimReview imported from the web is named by its
// url); empty if neither.
std::string DocumentUrl(const Document& d) {
  if (!d.url.empty()) return d.url;
  if (GraphName(d.id).kind() == TermKind::kIri) return d.id;
  return "";
}

class Exporter {
 public:
  explicit Exporter(query::Context& ctx) : ctx_(ctx) {}

  // One ClaimReview per verdict on `claim`, or one draft without verdicts;
  // appended to `out`, with the warnings and notes for stderr in `notes`.
  absl::Status Export(const Term& claim, std::vector<Json>& out, std::vector<std::string>& notes) {
    KG_ASSIGN_OR_RETURN(std::optional<TermId> id, ctx_.snap().Find(claim));
    if (!id) return absl::NotFoundError("the claim " + claim.ToString() + " is not stored");
    KG_ASSIGN_OR_RETURN(auto evidence, ctx_.EvidenceFor(*id));
    bool rated = false;
    for (const EvidenceEntry& e : *evidence) {
      std::optional<Verdict> v = VerdictOf(e.evidence);
      if (!v) continue;
      rated = true;
      KG_ASSIGN_OR_RETURN(Json review, VerdictReview(claim, e, *v));
      const ClaimReviewGaps gaps = CheckClaimReview(review);
      const std::string what = "the ClaimReview of doc:" + e.document_id;
      for (const std::string& f : gaps.required) {
        notes.push_back("warning: " + what + " lacks required " + f + Hint(f));
      }
      for (const std::string& m : gaps.invalid) notes.push_back("warning: " + what + ": " + m);
      if (!gaps.recommended.empty()) {
        notes.push_back("note: " + what + " lacks recommended " +
                        absl::StrJoin(gaps.recommended, ", "));
      }
      out.push_back(std::move(review));
    }
    if (rated) return absl::OkStatus();
    KG_ASSIGN_OR_RETURN(Json draft, Draft(claim, *id, *evidence));
    ClaimReviewGaps gaps = CheckClaimReview(draft);
    std::vector<std::string> fill = gaps.required;
    fill.insert(fill.end(), gaps.recommended.begin(), gaps.recommended.end());
    notes.push_back("note: " + claim.ToString() +
                    " has no verdict: wrote a draft ClaimReview (\"kg:draft\": true); fill in " +
                    absl::StrJoin(fill, ", ") +
                    " and remove the kg: properties before publishing");
    out.push_back(std::move(draft));
    return absl::OkStatus();
  }

 private:
  static std::string Hint(const std::string& field) {
    if (field == "url") return " (the review document has no url)";
    if (field == "reviewRating.alternateName") return " (the verdict has no rating label)";
    return "";
  }

  // How an organisation or person is named in the markup: an entity by its
  // first alias (its name as published: "Example Fact Check"), else by its
  // name; an IRI also as its url.
  absl::StatusOr<Json> Agent(const Term& t, const char* type) {
    Json a = {{"@type", type}};
    std::string name = Words(t);
    if (t.kind() == TermKind::kEntity) {
      KG_ASSIGN_OR_RETURN(std::optional<TermId> id, ctx_.snap().Find(t));
      if (id) {
        KG_ASSIGN_OR_RETURN(std::optional<Entity> e, ctx_.snap().GetEntity(*id));
        if (e && !e->aliases.empty()) name = e->aliases[0];
      }
    }
    a["name"] = name;
    if (t.kind() == TermKind::kIri) a["url"] = t.text();
    return a;
  }

  // A document as a CreativeWork: its url (or IRI id), title, authors,
  // publisher, date, and its kg id as the identifier.
  absl::StatusOr<Json> CreativeWork(const std::string& doc_id) {
    KG_ASSIGN_OR_RETURN(query::Context::DocumentFacts facts, ctx_.DescribeDocument(doc_id));
    const Document& d = facts.document;
    Json w = {{"@type", "CreativeWork"}};
    if (const std::string url = DocumentUrl(d); !url.empty()) w["url"] = url;
    if (!d.title.empty()) w["headline"] = d.title;
    if (!d.authors.empty()) {
      Json authors = Json::array();
      for (const std::string& a : d.authors) authors.push_back({{"@type", "Person"}, {"name", a}});
      w["author"] = authors.size() == 1 ? authors[0] : authors;
    }
    if (!d.publisher.empty()) w["publisher"] = {{"@type", "Organization"}, {"name", d.publisher}};
    if (d.date) w["datePublished"] = FormatDate(*d.date);
    w["identifier"] = "doc:" + d.id;
    return w;
  }

  absl::StatusOr<Json> VerdictReview(const Term& claim, const EvidenceEntry& e, const Verdict& v) {
    KG_ASSIGN_OR_RETURN(query::Context::DocumentFacts facts, ctx_.DescribeDocument(e.document_id));
    const Document& review_doc = facts.document;
    Json r = {{"@context", "https://schema.org"}, {"@type", "ClaimReview"}};
    r["url"] = DocumentUrl(review_doc);
    if (!review_doc.title.empty()) r["name"] = review_doc.title;
    if (review_doc.date) r["datePublished"] = FormatDate(*review_doc.date);
    KG_ASSIGN_OR_RETURN(Json author, Agent(v.reviewer, "Organization"));
    if (v.review_author) {
      KG_ASSIGN_OR_RETURN(Json person, Agent(*v.review_author, "Person"));
      author = Json::array({author, person});
    }
    r["author"] = author;
    r["claimReviewed"] = e.evidence.quote.empty() ? ClaimInWords(claim) : e.evidence.quote;
    Json rating = {{"@type", "Rating"}};
    rating["alternateName"] =
        v.rating_text.empty() ? std::string(RatingName(v.rating)) : v.rating_text;
    if (v.value) rating["ratingValue"] = NumberJson(*v.value);
    if (v.best) rating["bestRating"] = NumberJson(*v.best);
    if (v.worst) rating["worstRating"] = NumberJson(*v.worst);
    r["reviewRating"] = rating;
    Json item = {{"@type", "Claim"}};
    std::optional<Json> first;
    if (v.first_appearance) {
      KG_ASSIGN_OR_RETURN(first, CreativeWork(v.first_appearance->text()));
      if (first->contains("datePublished")) item["datePublished"] = (*first)["datePublished"];
    }
    if (!v.appearances.empty()) {
      Json seen = Json::array();
      for (const Term& d : v.appearances) {
        KG_ASSIGN_OR_RETURN(Json w, CreativeWork(d.text()));
        seen.push_back(std::move(w));
      }
      item["appearance"] = std::move(seen);
    }
    if (first) item["firstAppearance"] = std::move(*first);
    // What an import kept of the item reviewed: who made the claim, when,
    // and the title of a work without a url.
    for (const Qualifier& q : e.evidence.qualifiers) {
      if (q.key == "claimant" && !item.contains("author")) {
        std::string type = "Person";
        if (q.value.kind() == TermKind::kEntity) {
          KG_ASSIGN_OR_RETURN(std::optional<TermId> id, ctx_.snap().Find(q.value));
          if (id) {
            KG_ASSIGN_OR_RETURN(std::optional<Entity> ent, ctx_.snap().GetEntity(*id));
            if (ent && ent->type == "Organization") type = "Organization";
          }
        }
        KG_ASSIGN_OR_RETURN(item["author"], Agent(q.value, type.c_str()));
      } else if (q.key == "claim_date" && q.value.kind() == TermKind::kDate) {
        item["datePublished"] = FormatDate(q.value.date());
      } else if (q.key == "appearance_title" && q.value.kind() == TermKind::kString) {
        item["name"] = q.value.text();
      }
    }
    r["itemReviewed"] = std::move(item);
    return r;
  }

  absl::StatusOr<Json> Draft(const Term& claim, const TermId& id,
                             const std::vector<EvidenceEntry>& evidence) {
    Json r = {{"@context", Json::array({"https://schema.org",
                                        {{"kg", std::string(kKgVocabNs)},
                                         {"kg:path", {{"@container", "@list"}}}}})},
              {"@type", "ClaimReview"},
              {"kg:draft", true},
              {"url", ""},
              {"datePublished", ""},
              {"author", {{"@type", "Organization"}, {"name", ""}}},
              {"claimReviewed", ClaimInWords(claim)},
              {"reviewRating", {{"@type", "Rating"}, {"alternateName", ""}}}};
    // The documents that carry the claim (evidence for it, not against it),
    // earliest first (undated last, then by id).
    std::vector<Document> docs;
    absl::flat_hash_set<std::string> seen;
    for (const EvidenceEntry& e : evidence) {
      if (IsVerdict(e.evidence) || query::Opposes(e.evidence) ||
          !seen.insert(e.document_id).second) {
        continue;
      }
      KG_ASSIGN_OR_RETURN(query::Context::DocumentFacts facts, ctx_.DescribeDocument(e.document_id));
      docs.push_back(std::move(facts.document));
    }
    std::stable_sort(docs.begin(), docs.end(), [](const Document& a, const Document& b) {
      if (a.date.has_value() != b.date.has_value()) return a.date.has_value();
      if (a.date && DaysFromEpoch(*a.date) != DaysFromEpoch(*b.date)) {
        return DaysFromEpoch(*a.date) < DaysFromEpoch(*b.date);
      }
      return a.id < b.id;
    });
    Json item = {{"@type", "Claim"}};
    Json appearances = Json::array();
    for (const Document& d : docs) {
      KG_ASSIGN_OR_RETURN(Json w, CreativeWork(d.id));
      appearances.push_back(std::move(w));
    }
    if (!docs.empty()) {
      if (docs[0].date) item["datePublished"] = FormatDate(*docs[0].date);
      item["appearance"] = appearances;
      item["firstAppearance"] = appearances[0];
    }
    r["itemReviewed"] = std::move(item);
    r["kg:claim"] = claim.ToString();
    // The provenance walk: what SOURCES OF shows.
    KG_ASSIGN_OR_RETURN(std::vector<query::RootSource> groups, query::RootsOf(ctx_, id));
    const query::SourceCounts counts = query::CountSources(groups);
    r["kg:independentSources"] = {{"kg:supporting", counts.supporting},
                                  {"kg:opposing", counts.opposing},
                                  {"kg:circular", counts.circular}};
    Json sources = Json::array();
    for (const query::RootSource& g : groups) {
      Json s = {{"kg:side", g.opposes ? "opposes" : "supports"},
                {"kg:source", query::SourceName(g.root)},
                {"kg:roots", Names(g.roots)}};
      if (!g.through.empty()) s["kg:through"] = Names(g.through);
      if (g.cycle) s["kg:circular"] = true;
      s["kg:evidence"] = g.evidence.size();
      Json chains = Json::array();
      for (const query::Chain& c : g.chains) {
        Json chain = {{"kg:path", Names(c.terms)}};
        if (c.circular) chain["kg:circular"] = true;
        chains.push_back(std::move(chain));
      }
      s["kg:chains"] = std::move(chains);
      sources.push_back(std::move(s));
    }
    r["kg:primarySources"] = std::move(sources);
    return r;
  }

  static Json Names(const std::vector<Term>& terms) {
    Json out = Json::array();
    for (const Term& t : terms) out.push_back(query::SourceName(t));
    return out;
  }

  query::Context& ctx_;
};

}  // namespace

int RunExportClaimReview(const std::string& db, const std::string& claim,
                         const std::string& output, std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  auto found = query::FindClaims(store.get(), claim, kMaxClaims + 1);
  if (!found.ok()) {
    // The position would count from the statement FindClaims builds, not
    // from the claim as given: leave it out.
    const std::string message(found.status().message());
    const std::optional<query::ErrorPosition> at = query::PositionOf(message);
    err << "kg: export: " << (at ? at->rest : message) << "\n";
    return 1;
  }
  if (found->empty()) {
    err << "kg: export: no stored claim matches " << claim
        << " (kg query 'SEARCH \"words\"' finds claims by their quotes)\n";
    return 1;
  }
  if (found->size() > kMaxClaims) {
    err << "kg: export: more than " << kMaxClaims << " claims match " << claim
        << "; give a more precise claim\n";
    return 1;
  }
  auto snap = store->NewSnapshot();
  query::Context ctx(*snap, query::QueryOptions{});
  Exporter exporter(ctx);
  std::vector<Json> reviews;
  std::vector<std::string> notes;
  for (const Term& c : *found) {
    if (absl::Status s = exporter.Export(c, reviews, notes); !s.ok()) {
      err << "kg: export failed: " << s.message() << "\n";
      return 1;
    }
  }
  if (found->size() > 1) {
    notes.insert(notes.begin(), "note: " + std::to_string(found->size()) + " claims match " +
                                    claim + ": writing an array, one ClaimReview per verdict or "
                                            "draft of each");
  }
  const std::string text =
      (reviews.size() == 1 ? reviews[0] : Json(reviews)).dump(2) + "\n";
  for (const std::string& n : notes) err << "kg: " << n << "\n";
  if (output.empty()) {
    out << text;
    out.flush();
    return out ? 0 : 1;
  }
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "kg: cannot write " << output << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  return 0;
}

}  // namespace kg::cli
