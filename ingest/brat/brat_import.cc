#include "ingest/brat/brat_import.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "ingest/annotated/ingest.h"
#include "kg/rdf_mapping.h"

namespace kg::ingest {

std::string_view BratMappingText();  // generated from schemas/brat-mapping.txt

namespace {

constexpr std::string_view kKinds[] = {"entity", "relation", "event", "role", "equiv", "attribute"};

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::string_view w : SplitOn(s, ' ')) {
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

std::optional<uint64_t> ParseOffset(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Roles may carry a numeric suffix (Theme2) that brat uses to tell several
// arguments of one role apart.
std::string_view BaseRole(std::string_view role) {
  while (!role.empty() && role.back() >= '0' && role.back() <= '9') role.remove_suffix(1);
  return role;
}

struct TextBound {
  std::string type;
  std::vector<Span> spans;
  std::string text;
};

class BratParser {
 public:
  BratParser(const std::string& doc_id, std::string_view txt, std::string_view ann,
             const BratMapping& mapping, Diagnostics* ann_diag)
      : doc_id_(doc_id), txt_(txt), index_(txt), ann_(ann), mapping_(mapping), diag_(ann_diag),
        scope_(BlankScope(doc_id)) {}

  std::optional<DocumentWrite> Run() {
    ParseLines();
    if (!diag_->ok()) return std::nullopt;
    Build();
    if (!diag_->ok()) return std::nullopt;
    write_.document.id = doc_id_;
    write_.document.text = std::string(txt_);
    write_.document.type = "brat";
    return std::move(write_);
  }

 private:
  struct Line {
    int number;
    std::string id;
    std::vector<std::string_view> fields;  // TAB-separated, after the id
    std::vector<int> field_cols;
  };

  void ParseLines() {
    int number = 0;
    for (std::string_view raw : SplitOn(ann_, '\n')) {
      ++number;
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      if (raw.find_first_not_of(" \t") == std::string_view::npos) continue;
      auto parts = SplitOn(raw, '\t');
      if (parts.size() < 2) {
        diag_->Error({number, 1}, "expected an annotation ID, a TAB and the annotation");
        continue;
      }
      Line line{number, std::string(parts[0]), {}, {}};
      int col = static_cast<int>(CountCodePoints(parts[0])) + 2;
      for (size_t i = 1; i < parts.size(); ++i) {
        line.fields.push_back(parts[i]);
        line.field_cols.push_back(col);
        col += static_cast<int>(CountCodePoints(parts[i])) + 1;
      }
      const char kind = line.id[0];
      if (std::string_view("TRENAM#*").find(kind) == std::string_view::npos) {
        diag_->Error({number, 1}, StrCat("unknown annotation type '", line.id,
                                         "': expected an ID starting with T, R, E, A, M, N, # or *"));
        continue;
      }
      if (kind == 'T') ParseTextBound(line);
      if (kind != '*' && !ids_.insert(line.id).second) {
        diag_->Error({number, 1}, StrCat("duplicate annotation ID '", line.id, "'"));
        continue;
      }
      lines_.push_back(std::move(line));
    }
  }

  void ParseTextBound(const Line& line) {
    if (line.fields.size() < 2) {
      diag_->Error({line.number, line.field_cols[0]}, "expected 'Type start end' and a TAB and the span text");
      return;
    }
    const std::string_view head = line.fields[0];
    const size_t space = head.find(' ');
    if (space == std::string_view::npos) {
      diag_->Error({line.number, line.field_cols[0]}, "expected 'Type start end'");
      return;
    }
    TextBound tb;
    tb.type = std::string(head.substr(0, space));
    int col = line.field_cols[0] + static_cast<int>(space) + 1;
    std::string joined;
    for (std::string_view frag : SplitOn(head.substr(space + 1), ';')) {
      auto nums = Words(frag);
      auto start = nums.size() == 2 ? ParseOffset(nums[0]) : std::nullopt;
      auto end = nums.size() == 2 ? ParseOffset(nums[1]) : std::nullopt;
      if (!start || !end || *start > *end) {
        diag_->Error({line.number, col}, StrCat("expected 'start end' offsets, got '", frag, "'"));
        return;
      }
      auto text = index_.Slice(*start, *end);
      if (!text) {
        diag_->Error({line.number, col}, StrCat("span ", *start, "-", *end, " is past the end of the .txt (",
                                                index_.size(), " characters)"));
        return;
      }
      if (!joined.empty() || !tb.spans.empty()) joined += ' ';
      joined += *text;
      tb.spans.push_back({*start, *end});
      col += static_cast<int>(frag.size()) + 1;
    }
    tb.text = std::string(line.fields[1]);
    if (joined != tb.text) {
      diag_->Error({line.number, line.field_cols[1]},
                   StrCat("span text '", tb.text, "' does not match the .txt at those offsets ('", joined, "')"));
      return;
    }
    text_bound_[line.id] = std::move(tb);
  }

  // The term an annotation ID stands for, or nullopt (error reported).
  std::optional<Term> TermOf(std::string_view id, const Line& line, int col) {
    if (auto it = text_bound_.find(std::string(id)); it != text_bound_.end()) {
      return EntityTerm(it->second);
    }
    if (!id.empty() && id[0] == 'E' && ids_.contains(std::string(id))) {
      return Term::BlankNode(StrCat(scope_, ".", id));
    }
    if (auto it = relations_.find(std::string(id)); it != relations_.end()) return it->second;
    diag_->Error({line.number, col}, StrCat("'", id, "' is not a text-bound annotation, event or relation of this file"));
    return std::nullopt;
  }

  static Term EntityTerm(const TextBound& tb) {
    std::string name;
    for (char c : tb.text) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (space && (name.empty() || name.back() == ' ')) continue;
      name.push_back(space ? ' ' : c);
    }
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return Term::Entity(name.empty() ? tb.text : name);
  }

  // Spans of an annotation (all fragments of a text-bound one).
  std::vector<Span> SpansOf(std::string_view id) {
    if (auto it = text_bound_.find(std::string(id)); it != text_bound_.end()) return it->second.spans;
    if (auto it = anchor_.find(std::string(id)); it != anchor_.end()) return {it->second};
    return {};
  }

  // The smallest span covering every fragment of every id.
  std::optional<Span> Cover(const std::vector<std::string_view>& ids) {
    std::optional<Span> out;
    for (std::string_view id : ids) {
      for (const Span& s : SpansOf(id)) {
        if (!out) out = s;
        out->start = std::min(out->start, s.start);
        out->end = std::max(out->end, s.end);
      }
    }
    return out;
  }

  static bool HasEmptyName(const Term& t) {
    if (t.kind() == TermKind::kEntity) return t.text().empty();
    if (t.kind() == TermKind::kClaim) {
      return HasEmptyName(t.subject()) || HasEmptyName(t.predicate()) || HasEmptyName(t.object());
    }
    return false;
  }

  void AddClaim(const Term& claim, const std::vector<Span>& spans, const std::string& owner) {
    // The store refuses empty names; a type, role or attribute that maps to
    // nothing is this annotation's mistake (found by the brat fuzzer).
    if (HasEmptyName(claim)) {
      int number = 1;
      for (const Line& l : lines_) {
        if (l.id == owner) number = l.number;
      }
      diag_->Error({number, 1}, StrCat("annotation ", owner, " gives an empty name (in ",
                                       claim.ToString(), ")"));
      return;
    }
    for (const Span& s : spans) {
      ClaimEvidence ce;
      ce.claim = claim;
      ce.evidence.quote = std::string(*index_.Slice(s.start, s.end));
      ce.evidence.span = s;
      claims_by_owner_[owner].push_back(write_.claims.size());
      write_.claims.push_back(std::move(ce));
    }
  }

  void Build() {
    // Relations and event ids first, so notes and arguments can refer to them.
    for (const Line& line : lines_) {
      const char kind = line.id[0];
      if (kind == 'T') {
        const TextBound& tb = text_bound_.at(line.id);
        write_.entities.push_back({EntityTerm(tb).text(), {}, mapping_.Map("entity", tb.type)});
        AddClaim(Term::Claim(Term::Document(doc_id_), Term::Entity("mentions"), EntityTerm(tb)), tb.spans,
                 line.id);
      } else if (kind == 'R') {
        auto words = Words(line.fields[0]);
        if (words.size() < 3) {
          diag_->Error({line.number, line.field_cols[0]}, "expected 'Type Arg1:ID Arg2:ID'");
          continue;
        }
        std::vector<std::string_view> args;
        int col = line.field_cols[0] + static_cast<int>(words[0].size()) + 1;
        std::vector<Term> terms;
        for (size_t i = 1; i < 3; ++i) {
          const size_t colon = words[i].find(':');
          if (colon == std::string_view::npos) {
            diag_->Error({line.number, col}, StrCat("expected ROLE:ID, got '", words[i], "'"));
            break;
          }
          args.push_back(words[i].substr(colon + 1));
          if (auto t = TermOf(args.back(), line, col + static_cast<int>(colon) + 1)) terms.push_back(*t);
          col += static_cast<int>(words[i].size()) + 1;
        }
        if (terms.size() != 2) continue;
        const Term claim = Term::Claim(terms[0], Term::Entity(mapping_.Map("relation", words[0])), terms[1]);
        relations_[line.id] = claim;
        if (auto cover = Cover(args)) {
          anchor_[line.id] = *cover;
          AddClaim(claim, {*cover}, line.id);
        }
      } else if (kind == 'E') {
        auto words = Words(line.fields[0]);
        const size_t colon = words.empty() ? std::string_view::npos : words[0].find(':');
        if (colon == std::string_view::npos) {
          diag_->Error({line.number, line.field_cols[0]}, "expected 'Type:TriggerID' then ROLE:ID arguments");
          continue;
        }
        const std::string_view type = words[0].substr(0, colon), trigger = words[0].substr(colon + 1);
        if (!text_bound_.contains(std::string(trigger))) {
          diag_->Error({line.number, line.field_cols[0] + static_cast<int>(colon) + 1},
                       StrCat("event trigger '", trigger, "' is not a text-bound annotation"));
          continue;
        }
        const Term event = Term::BlankNode(StrCat(scope_, ".", line.id));
        const std::vector<Span> trigger_spans = text_bound_.at(std::string(trigger)).spans;
        anchor_[line.id] = *Cover({trigger});
        AddClaim(Term::Claim(event, Term::Entity("is_a"), Term::Entity(mapping_.Map("event", type))),
                 trigger_spans, line.id);
        int col = line.field_cols[0] + static_cast<int>(words[0].size()) + 1;
        for (size_t i = 1; i < words.size(); ++i) {
          const size_t c = words[i].find(':');
          if (c == std::string_view::npos) {
            diag_->Error({line.number, col}, StrCat("expected ROLE:ID, got '", words[i], "'"));
            break;
          }
          const std::string_view arg = words[i].substr(c + 1);
          auto term = TermOf(arg, line, col + static_cast<int>(c) + 1);
          col += static_cast<int>(words[i].size()) + 1;
          if (!term) continue;
          const std::string_view role = BaseRole(words[i].substr(0, c));
          if (role.empty()) {
            diag_->Error({line.number, col - static_cast<int>(words[i].size()) - 1},
                         StrCat("expected a role name before ':' in '", words[i], "'"));
            continue;
          }
          const Term claim = Term::Claim(event, Term::Entity(mapping_.Map("role", role)), *term);
          AddClaim(claim, {*Cover({trigger, arg})}, line.id);
        }
      }
    }
    for (const Line& line : lines_) {
      const char kind = line.id[0];
      if (kind == 'A' || kind == 'M') ApplyAttribute(line);
      if (kind == 'N' || kind == '#') AddNote(line, kind == 'N');
      if (kind == '*') AddEquivalence(line);
    }
  }

  void ApplyAttribute(const Line& line) {
    auto words = Words(line.fields[0]);
    if (words.size() < 2) {
      diag_->Error({line.number, line.field_cols[0]}, "expected 'Name TargetID [Value]'");
      return;
    }
    const std::string_view value = words.size() > 2 ? words[2] : "";
    const int target_col = line.field_cols[0] + static_cast<int>(words[0].size()) + 1;
    auto target = TermOf(words[1], line, target_col);
    if (!target) return;
    const std::string rule = mapping_.AttributeRule(words[0], value);
    auto& owned = claims_by_owner_[std::string(words[1])];
    if (rule == "negated" || rule.starts_with("hedge:")) {
      std::optional<Hedge> hedge;
      if (rule != "negated") {
        hedge = ParseHedge(rule.substr(6));
        if (!hedge) {
          diag_->Error({line.number, line.field_cols[0]}, StrCat("mapping rule '", rule, "' names no hedge"));
          return;
        }
      }
      for (size_t i : owned) {
        if (hedge) write_.claims[i].evidence.hedge = *hedge;
        else write_.claims[i].evidence.negated = true;
      }
      return;
    }
    const std::string predicate = rule.empty() ? std::string(words[0]) : rule;
    AddClaim(Term::Claim(*target, Term::Entity(predicate), Term::String(value.empty() ? "true" : value)),
             SpansOf(words[1]), line.id);
  }

  void AddNote(const Line& line, bool normalization) {
    auto words = Words(line.fields[0]);
    const size_t need = normalization ? 3 : 2;
    if (words.size() < need) {
      diag_->Error({line.number, line.field_cols[0]},
                   normalization ? "expected 'Type TargetID DB:ID'" : "expected 'Type TargetID'");
      return;
    }
    auto target = TermOf(words[1], line, line.field_cols[0] + static_cast<int>(words[0].size()) + 1);
    if (!target) return;
    const std::string note = line.fields.size() > 1 ? std::string(line.fields[1]) : "";
    const Term value = normalization ? Term::String(std::string(words[2])) : Term::String(note);
    const std::string predicate = normalization ? "normalized_to" : "annotator_note";
    std::vector<Span> spans = SpansOf(words[1]);
    if (spans.empty()) spans = {};
    if (spans.empty()) {
      ClaimEvidence ce;
      ce.claim = Term::Claim(*target, Term::Entity(predicate), value);
      write_.claims.push_back(std::move(ce));
      return;
    }
    AddClaim(Term::Claim(*target, Term::Entity(predicate), value), {spans.front()}, line.id);
  }

  void AddEquivalence(const Line& line) {
    auto words = Words(line.fields[0]);
    if (words.size() < 3) {
      diag_->Error({line.number, line.field_cols[0]}, "expected 'Type ID ID ...'");
      return;
    }
    int col = line.field_cols[0] + static_cast<int>(words[0].size()) + 1;
    auto first = TermOf(words[1], line, col);
    col += static_cast<int>(words[1].size()) + 1;
    const Term predicate = Term::Entity(mapping_.Map("equiv", words[0]));
    for (size_t i = 2; i < words.size(); ++i) {
      auto other = TermOf(words[i], line, col);
      col += static_cast<int>(words[i].size()) + 1;
      if (!first || !other) continue;
      if (auto cover = Cover({words[1], words[i]})) {
        AddClaim(Term::Claim(*other, predicate, *first), {*cover}, line.id);
      }
    }
  }

  std::string doc_id_;
  std::string_view txt_;
  CodePointIndex index_;
  std::string_view ann_;
  const BratMapping& mapping_;
  Diagnostics* diag_;
  std::string scope_;
  std::vector<Line> lines_;
  std::set<std::string> ids_;
  std::map<std::string, TextBound> text_bound_;
  std::map<std::string, Term> relations_;
  std::map<std::string, Span> anchor_;
  std::map<std::string, std::vector<size_t>> claims_by_owner_;
  DocumentWrite write_;
};

}  // namespace

BratMapping BratMapping::Builtin() {
  Diagnostics diag("brat-mapping.txt", BratMappingText());
  return Parse(BratMappingText(), &diag);  // tested to parse cleanly
}

BratMapping BratMapping::Parse(std::string_view text, Diagnostics* diag) {
  BratMapping m;
  int number = 0;
  for (std::string_view line : SplitOn(text, '\n')) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto words = Words(line);
    if (words.empty()) continue;
    if (words.size() != 3) {
      diag->Error({number, 1}, "expected 'KIND BRAT-NAME KG-NAME'");
      continue;
    }
    if (std::find(std::begin(kKinds), std::end(kKinds), words[0]) == std::end(kKinds)) {
      diag->Error({number, 1}, StrCat("unknown kind '", words[0],
                                      "': expected entity, relation, event, role, equiv or attribute"));
      continue;
    }
    m.rules_[StrCat(words[0], " ", words[1])] = std::string(words[2]);
  }
  return m;
}

std::string BratMapping::Map(std::string_view kind, std::string_view brat_name) const {
  auto it = rules_.find(StrCat(kind, " ", brat_name));
  return it == rules_.end() ? std::string(brat_name) : it->second;
}

std::string BratMapping::AttributeRule(std::string_view name, std::string_view value) const {
  if (!value.empty()) {
    if (auto it = rules_.find(StrCat("attribute ", name, "=", value)); it != rules_.end()) return it->second;
  }
  auto it = rules_.find(StrCat("attribute ", name));
  return it == rules_.end() ? "" : it->second;
}

std::optional<DocumentWrite> ParseBrat(const std::string& doc_id, std::string_view txt,
                                       std::string_view ann, const BratMapping& mapping,
                                       Diagnostics* txt_diag, Diagnostics* ann_diag) {
  // Line and code-point column of byte `offset` (the bytes before it are
  // valid UTF-8).
  auto pos_of = [](std::string_view text, size_t offset) -> Pos {
    const std::string_view before = text.substr(0, offset);
    const int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    const size_t nl = before.rfind('\n');
    const size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
    return {line, static_cast<int>(CountCodePoints(before.substr(line_start))) + 1};
  };
  if (auto bad = FindInvalidUtf8(txt)) {
    txt_diag->Error(pos_of(txt, *bad), "invalid UTF-8 in the document text");
    return std::nullopt;
  }
  if (auto bad = FindInvalidUtf8(ann)) {
    ann_diag->Error(pos_of(ann, *bad), "invalid UTF-8 in the annotation file");
    return std::nullopt;
  }
  // Names and values come from the .ann file, and no stored name may hold a
  // NUL byte (found by the brat fuzzer: the store refused such a document).
  if (const size_t nul = ann.find('\0'); nul != std::string_view::npos) {
    ann_diag->Error(pos_of(ann, nul), "NUL byte in the annotation file");
    return std::nullopt;
  }
  BratParser parser(doc_id, txt, ann, mapping, ann_diag);
  return parser.Run();
}

absl::StatusOr<BratImportSummary> ImportBrat(Store& store, const std::vector<std::string>& paths,
                                             const BratMapping& mapping, std::ostream& err) {
  namespace fs = std::filesystem;
  BratImportSummary summary;
  const auto start = std::chrono::steady_clock::now();
  // (.ann path, document id): the path below a directory argument, or the
  // file's stem, without the extension.
  std::vector<std::pair<fs::path, std::string>> anns;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".ann") continue;
        anns.emplace_back(it->path(),
                          fs::relative(it->path(), p, ec).replace_extension("").generic_string());
      }
    } else if (fs::path(p).extension() == ".ann" || fs::path(p).extension() == ".txt") {
      anns.emplace_back(fs::path(p).replace_extension(".ann"), fs::path(p).stem().string());
    } else {
      err << p << ": error: expected a brat .ann/.txt file or a directory\n";
      ++summary.documents_failed;
    }
  }
  std::sort(anns.begin(), anns.end());
  anns.erase(std::unique(anns.begin(), anns.end()), anns.end());
  std::set<std::string> seen;
  for (const auto& [ann_path, doc_id] : anns) {
    if (!seen.insert(doc_id).second) {
      err << ann_path.string() << ": error: document id '" << doc_id
          << "' is also used by another file in this run\n";
      ++summary.documents_failed;
      continue;
    }
    const fs::path txt_path = fs::path(ann_path).replace_extension(".txt");
    std::string ann, txt, read_error;
    if (!ReadDocumentFile(ann_path.string(), &ann, &read_error) ||
        !ReadDocumentFile(txt_path.string(), &txt, &read_error)) {
      err << read_error << "\n";
      ++summary.documents_failed;
      continue;
    }
    Diagnostics txt_diag(txt_path.string(), txt), ann_diag(ann_path.string(), ann);
    auto write = ParseBrat(doc_id, txt, ann, mapping, &txt_diag, &ann_diag);
    if (!write) {
      err << txt_diag.Format() << ann_diag.Format();
      ++summary.documents_failed;
      continue;
    }
    absl::Status s = store.WriteDocument(*write);
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      err << ann_path.string() << ": error: " << s.message() << "\n";
      ++summary.documents_failed;
      continue;
    }
    if (!s.ok()) return s;
    ++summary.documents_loaded;
    summary.claims += write->claims.size();
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace kg::ingest
