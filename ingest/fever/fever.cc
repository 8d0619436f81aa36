#include "ingest/fever/fever.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "ingest/annotated/ingest.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "kg/verdict.h"

namespace kg::ingest {

namespace {

using nlohmann::json;

constexpr std::string_view kSupports = "SUPPORTS";
constexpr std::string_view kRefutes = "REFUTES";
constexpr std::string_view kNotEnoughInfo = "NOT ENOUGH INFO";
constexpr std::string_view kKnownFields[] = {"id", "verifiable", "label", "claim", "evidence"};
constexpr std::string_view kItemShape = "expected [annotation_id, evidence_id, page, sentence]";

// One Wikipedia sentence of an evidence set: the FEVER page name and the
// sentence's index in the page.
struct Sentence {
  std::string page;
  int64_t index = 0;
  bool operator==(const Sentence&) const = default;
};

// A record as read; `sets` only for SUPPORTS and REFUTES.
struct Record {
  int64_t id = 0;
  std::string label;
  std::string claim;
  std::vector<std::vector<Sentence>> sets;
};

std::optional<int64_t> AsInteger(const json& v) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

// A JSON value as shown in an error, cut to a readable length.
std::string Shown(const json& v) {
  std::string s = v.dump();
  if (s.size() > 80) s = StrCat(s.substr(0, 77), "...");
  return s;
}

bool HasNonSpace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") != std::string_view::npos;
}

// One [annotation_id, evidence_id, page, sentence] item into `out`. A
// NOT ENOUGH INFO record's items name no sentence (page and index null).
bool ReadItem(const json& item, bool verifiable, Sentence* out) {
  if (!item.is_array() || item.size() != 4) return false;
  if (!AsInteger(item[0])) return false;  // the annotation id
  if (!item[1].is_null() && !AsInteger(item[1])) return false;  // the evidence id
  if (!verifiable) {
    return (item[2].is_null() || item[2].is_string()) &&
           (item[3].is_null() || AsInteger(item[3]));
  }
  if (!item[2].is_string() || item[2].get_ref<const std::string&>().empty()) return false;
  const std::optional<int64_t> index = AsInteger(item[3]);
  if (!index || *index < 0) return false;
  *out = {item[2].get<std::string>(), *index};
  return true;
}

// The record's evidence sets into `r->sets`; "" or what is wrong.
std::string ReadEvidence(const json& evidence, Record* r) {
  if (!evidence.is_array()) {
    return StrCat("'evidence' must be a list of evidence sets; got ", Shown(evidence));
  }
  const bool verifiable = r->label != kNotEnoughInfo;
  for (size_t i = 0; i < evidence.size(); ++i) {
    const json& set = evidence[i];
    if (!set.is_array() || (verifiable && set.empty())) {
      return StrCat("evidence set ", i + 1, ": expected a non-empty list of [annotation_id, ",
                    "evidence_id, page, sentence]; got ", Shown(set));
    }
    std::vector<Sentence> sentences(set.size());
    for (size_t k = 0; k < set.size(); ++k) {
      if (!ReadItem(set[k], verifiable, &sentences[k])) {
        return StrCat("evidence set ", i + 1, " item ", k + 1, ": ", kItemShape, " with ",
                      verifiable ? "a page name and a sentence number" : "null page and sentence",
                      "; got ", Shown(set[k]));
      }
    }
    if (verifiable) r->sets.push_back(std::move(sentences));
  }
  if (verifiable && r->sets.empty()) {
    return StrCat("a ", r->label, " record needs at least one evidence set");
  }
  return "";
}

// The fields of one record into `r`; "" or what is wrong.
std::string ReadRecord(const json& j, Record* r) {
  if (!j.is_object()) return StrCat("expected a JSON object (a FEVER record); got ", Shown(j));
  for (std::string_view key : {"id", "label", "claim", "evidence"}) {
    if (!j.contains(std::string(key))) return StrCat("missing field '", key, "'");
  }
  const std::optional<int64_t> id = AsInteger(j["id"]);
  if (!id) return StrCat("'id' must be an integer; got ", Shown(j["id"]));
  r->id = *id;
  const json& label = j["label"];
  r->label = label.is_string() ? label.get<std::string>() : "";
  if (r->label != kSupports && r->label != kRefutes && r->label != kNotEnoughInfo) {
    return StrCat("'label' must be SUPPORTS, REFUTES or NOT ENOUGH INFO; got ", Shown(label));
  }
  const json& claim = j["claim"];
  if (!claim.is_string() || !HasNonSpace(claim.get_ref<const std::string&>())) {
    return StrCat("'claim' must be a sentence (text that is not blank); got ", Shown(claim));
  }
  r->claim = claim.get<std::string>();
  // `verifiable` says again what the label says; a record where the two
  // disagree is damaged.
  if (j.contains("verifiable")) {
    const json& v = j["verifiable"];
    const std::string_view expected =
        r->label == kNotEnoughInfo ? "NOT VERIFIABLE" : "VERIFIABLE";
    if (!v.is_string() || v.get_ref<const std::string&>() != expected) {
      return StrCat("'verifiable' must be ", expected, " for a ", r->label, " record; got ",
                    Shown(v));
    }
  }
  return ReadEvidence(j["evidence"], r);
}

// Parses one line; nullopt with the error (and its column) in `diag`.
std::optional<json> ParseLine(std::string_view line, int number, Diagnostics* diag) {
  try {
    json j = json::parse(line);
    if (JsonDeeperThan(j, kMaxJsonDepth)) {
      diag->Error({number, 1}, StrCat("JSON nested deeper than ", kMaxJsonDepth, " levels"));
      return std::nullopt;
    }
    return j;
  } catch (const json::parse_error& e) {
    diag->Error({number, PositionInText(line, e.byte).column},
                StrCat("invalid JSON: ", JsonErrorMessage(e.what())));
    return std::nullopt;
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    diag->Error({number, 1}, StrCat("invalid JSON: ", JsonErrorMessage(e.what())));
    return std::nullopt;
  }
}

// Builds the file's document from its records.
class FeverBuilder {
 public:
  FeverBuilder(std::string_view path, const FactCheckVocabulary& vocab) : vocab_(vocab) {
    const std::string name = std::filesystem::path(std::string(path)).filename().string();
    write_.document.id = FeverDocumentId(path);
    write_.document.title = StrCat("FEVER ", name);
    write_.document.publisher = "FEVER";
    write_.document.type = "dataset";
    reviewer_ = vocab.AgentEntity(kFeverReviewer, "Group").value_or(
        Entity{"FEVERAnnotators", {std::string(kFeverReviewer)}, "Group"});
  }

  // Adds `r`'s verdict and evidence; false if its label maps to no rating
  // (a vocabulary that lost the aliases of schemas/vocab/core.kgv).
  bool Add(const Record& r) {
    const std::optional<Rating> rating = vocab_.RatingOfLabel(r.label);
    if (!rating) return false;
    const Term claim = TextClaim(r.claim);
    claims_.insert(claim.subject().text());
    ratings_.insert(*rating);
    AddVerdict(claim, r, *rating);
    std::vector<std::vector<Sentence>> added;
    for (const std::vector<Sentence>& set : r.sets) {
      // Two annotators who chose the same sentences give one piece of evidence.
      if (std::find(added.begin(), added.end(), set) != added.end()) {
        ++repeated_sets_;
        continue;
      }
      AddEvidenceSet(claim, r, set);
      added.push_back(set);
    }
    return true;
  }

  // The document write, with the entities it uses declared; counts into
  // `summary`.
  DocumentWrite Finish(FeverSummary* summary) {
    DeclareEntities();
    summary->document_id = write_.document.id;
    summary->claims = claims_.size();
    summary->evidence_sets = evidence_sets_;
    summary->repeated_sets = repeated_sets_;
    summary->pages = pages_.size();
    return std::move(write_);
  }

 private:
  // The label as a verdict by the FEVER annotators; its quote is the claim
  // as the record gives it (no span: the document has no text).
  void AddVerdict(const Term& claim, const Record& r, Rating rating) {
    Evidence ev;
    ev.quote = r.claim;
    Verdict v;
    v.rating = rating;
    v.rating_text = r.label;
    v.reviewer = Term::Entity(reviewer_.name);
    SetVerdict(v, &ev);
    ev.qualifiers.push_back({std::string(kFeverIdKey), Term::Integer(r.id)});
    write_.claims.push_back({claim, std::move(ev)});
  }

  // One evidence set: its pages (each once, in order) and its sentences.
  void AddEvidenceSet(const Term& claim, const Record& r, const std::vector<Sentence>& set) {
    Evidence ev;
    ev.stance = r.label == kRefutes ? Stance::kDisputes : Stance::kSupports;
    std::vector<std::string> urls;
    for (const Sentence& s : set) {
      std::string url = FeverPageUrl(s.page);
      if (std::find(urls.begin(), urls.end(), url) != urls.end()) continue;
      pages_.insert(url);
      ev.qualifiers.push_back({std::string(kFeverPageKey), Term::Document(url)});
      urls.push_back(std::move(url));
    }
    for (const Sentence& s : set) {
      ev.qualifiers.push_back({std::string(kFeverSentenceKey),
                               Term::String(StrCat(FeverPageTitle(s.page), " ", s.index))});
    }
    ev.qualifiers.push_back({std::string(kFeverIdKey), Term::Integer(r.id)});
    write_.claims.push_back({claim, std::move(ev)});
    ++evidence_sets_;
  }

  // The reviewer, the rating entities used, and the text claims' predicate
  // and type, as the core vocabulary declares them.
  void DeclareEntities() {
    write_.entities.push_back(reviewer_);
    for (Rating rating : ratings_) write_.entities.push_back(vocab_.RatingDeclaration(rating));
    vocab_.DeclareTextClaim(&write_.entities);
  }

  const FactCheckVocabulary& vocab_;
  DocumentWrite write_;
  Entity reviewer_;
  std::set<std::string> claims_;  // sentences, as TextClaim normalises them
  std::set<std::string> pages_;   // URLs
  std::set<Rating> ratings_;
  uint64_t evidence_sets_ = 0;
  uint64_t repeated_sets_ = 0;
};

}  // namespace

std::string FeverDocumentId(std::string_view path) {
  return StrCat("fever-", std::filesystem::path(std::string(path)).stem().string());
}

std::string FeverPageTitle(std::string_view page) {
  static constexpr std::pair<std::string_view, char> kEscapes[] = {
      {"-LRB-", '('}, {"-RRB-", ')'}, {"-LSB-", '['}, {"-RSB-", ']'},
      {"-LCB-", '{'}, {"-RCB-", '}'}, {"-COLON-", ':'}};
  std::string out;
  for (size_t i = 0; i < page.size();) {
    bool escaped = false;
    for (const auto& [escape, c] : kEscapes) {
      if (page.substr(i, escape.size()) == escape) {
        out += c;
        i += escape.size();
        escaped = true;
        break;
      }
    }
    if (!escaped) out += page[i++];
  }
  return out;
}

std::string FeverPageUrl(std::string_view page) {
  static constexpr std::string_view kKept = "_-.~:/(),'!";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "https://en.wikipedia.org/wiki/";
  for (unsigned char c : FeverPageTitle(page)) {
    if (std::isalnum(c) && c < 0x80) {
      url += static_cast<char>(c);
    } else if (kKept.find(static_cast<char>(c)) != std::string_view::npos) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

std::optional<DocumentWrite> ParseFever(std::string_view path, std::string_view content,
                                        const FactCheckVocabulary& vocab, Diagnostics* diag,
                                        std::vector<std::string>* notes, FeverSummary* summary) {
  FeverBuilder builder(path, vocab);
  std::map<std::string, uint64_t> unknown;  // field -> records with it
  int number = 0;
  for (size_t start = 0; start < content.size();) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!HasNonSpace(line)) continue;
    std::optional<json> j = ParseLine(line, number, diag);
    if (!j) continue;
    if (j->is_object()) {
      for (const auto& [key, value] : j->items()) {
        if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) ==
            std::end(kKnownFields)) {
          ++unknown[key];
        }
      }
    }
    Record r;
    if (std::string error = ReadRecord(*j, &r); !error.empty()) {
      diag->Error({number, 1}, std::move(error));
      continue;
    }
    if (!builder.Add(r)) {
      diag->Error({number, 1}, StrCat("the vocabulary maps no rating to the label '", r.label,
                                      "' (schemas/vocab/core.kgv gives it as an alias)"));
      continue;
    }
    ++summary->records;
    ++(r.label == kSupports ? summary->supports
       : r.label == kRefutes ? summary->refutes
                             : summary->not_enough_info);
  }
  for (const auto& [key, count] : unknown) {
    notes->push_back(StrCat(path, ": note: unknown field '", key, "' in ", count,
                            " record(s): not imported"));
  }
  if (!diag->ok()) return std::nullopt;
  return builder.Finish(summary);
}

absl::StatusOr<FeverSummary> ImportFever(Store& store, const std::string& path,
                                         std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  std::string content, read_error;
  if (!ReadDocumentFile(path, &content, &read_error)) {
    err << read_error << "\n";
    return absl::NotFoundError(read_error);
  }
  absl::StatusOr<FactCheckVocabulary> vocab = FactCheckVocabulary::Load(*store.NewSnapshot());
  if (!vocab.ok()) return vocab.status();
  Diagnostics diag(path, content);
  std::vector<std::string> notes;
  FeverSummary summary;
  std::optional<DocumentWrite> write = ParseFever(path, content, *vocab, &diag, &notes, &summary);
  for (const std::string& note : notes) err << note << "\n";
  if (!write) {
    err << diag.Format();
    return absl::InvalidArgumentError(
        StrCat(path, ": ", diag.errors().size(), " bad record(s): nothing was imported"));
  }
  if (absl::Status s = store.WriteDocument(*write); !s.ok()) {
    if (!absl::IsInvalidArgument(s)) return s;
    err << path << ": error: " << s.message() << "\n";
    return absl::InvalidArgumentError(StrCat(path, ": nothing was imported"));
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace kg::ingest
