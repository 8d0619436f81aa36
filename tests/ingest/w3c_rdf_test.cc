// W3C RDF 1.1 / 1.2 N-Triples and N-Quads conformance. Reads the test
// manifests under $KG_EXTERNAL_DIR/w3c-rdf-tests and registers every entry
// of each manifest's mf:entries list as its own GoogleTest:
//   positive syntax  the file parses without error;
//   negative syntax  the reader rejects it with a line and a column;
//   c14n             the canonical form of its statements equals mf:result.
// W3cRdfSummary.PassCounts reruns them all and prints pass counts per
// manifest. Without the external folder a single skipped test says so.
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/rdf/ntriples.h"
#include "kg/str_cat.h"
#include "re2/re2.h"

namespace kg::ingest {
namespace {

struct ManifestSpec {
  const char* path;   // under the external folder
  const char* suite;  // GoogleTest suite name
};

constexpr ManifestSpec kManifests[] = {
    {"w3c-rdf-tests/rdf/rdf11/rdf-n-triples/manifest.ttl", "W3cNTriples11"},
    {"w3c-rdf-tests/rdf/rdf11/rdf-n-quads/manifest.ttl", "W3cNQuads11"},
    {"w3c-rdf-tests/rdf/rdf12/rdf-n-triples/syntax/manifest.ttl", "W3cNTriples12Syntax"},
    {"w3c-rdf-tests/rdf/rdf12/rdf-n-quads/syntax/manifest.ttl", "W3cNQuads12Syntax"},
    {"w3c-rdf-tests/rdf/rdf12/rdf-n-triples/c14n/manifest.ttl", "W3cNTriples12C14n"},
    {"w3c-rdf-tests/rdf/rdf12/rdf-n-quads/c14n/manifest.ttl", "W3cNQuads12C14n"},
};

enum class Kind { kPositive, kNegative, kC14n, kUnknown };

struct Entry {
  std::string manifest;  // path of the manifest, for messages
  std::string id;        // the entry as written, e.g. <#nt-syntax-uri-01>
  std::string type;      // e.g. rdft:TestNTriplesPositiveSyntax
  std::string action;    // file path, "" if none
  std::string result;    // file path, "" if none
  Kind kind = Kind::kUnknown;
  NQuadsReader::Syntax syntax = NQuadsReader::Syntax::kNTriples;
};

std::string ExternalDir() {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return env != nullptr && *env != '\0' ? env : KG_EXTERNAL_DIR;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

// The manifest with comments removed ('#' outside <IRIs> and "strings").
std::string StripComments(const std::string& ttl) {
  std::string out;
  char in = 0;  // '<' or '"' while inside one
  for (size_t i = 0; i < ttl.size(); ++i) {
    const char c = ttl[i];
    if (in == '"' && c == '\\' && i + 1 < ttl.size()) {
      out.push_back(c);
      out.push_back(ttl[++i]);
      continue;
    }
    if (in == 0 && c == '#') {
      while (i < ttl.size() && ttl[i] != '\n') ++i;
      out.push_back('\n');
      continue;
    }
    if (in == 0 && (c == '<' || c == '"')) {
      in = c;
    } else if ((in == '<' && c == '>') || (in == '"' && c == '"')) {
      in = 0;
    }
    out.push_back(c);
  }
  return out;
}

// Statements of a comment-free manifest: split at '.' followed by white
// space, outside IRIs and strings.
std::vector<std::string> SplitStatements(const std::string& ttl) {
  std::vector<std::string> out;
  std::string cur;
  char in = 0;
  for (size_t i = 0; i < ttl.size(); ++i) {
    const char c = ttl[i];
    cur.push_back(c);
    if (in == '"' && c == '\\' && i + 1 < ttl.size()) {
      cur.push_back(ttl[++i]);
    } else if (in == 0 && (c == '<' || c == '"')) {
      in = c;
    } else if ((in == '<' && c == '>') || (in == '"' && c == '"')) {
      in = 0;
    } else if (in == 0 && c == '.' && (i + 1 == ttl.size() || std::isspace(
                                          static_cast<unsigned char>(ttl[i + 1])))) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  return out;
}

std::string LocalName(const std::string& id) {
  std::string s = id;
  if (!s.empty() && s.front() == '<') s = s.substr(1, s.size() - 2);
  const size_t cut = s.find_last_of("#:/");
  return cut == std::string::npos ? s : s.substr(cut + 1);
}

// Reads one manifest. Entries follow the order of mf:entries; an entry
// without a description comes back with kind kUnknown.
bool ReadManifest(const std::string& path, std::vector<Entry>* entries, std::string* error) {
  std::string ttl;
  if (!ReadFile(path, &ttl)) {
    *error = StrCat("cannot read ", path);
    return false;
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  ttl = StripComments(ttl);

  static const RE2 kEntries(R"(mf:entries\s*\(([^)]*)\))");
  static const RE2 kEntryToken(R"(\s*(<[^>]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]+))");
  static const RE2 kSubjectType(
      R"(^\s*(<[^>]*>|[A-Za-z]?[\w.-]*:[\w.-]*)\s+(?:a|rdf:type)\s+([A-Za-z][\w-]*:[\w-]+))");
  static const RE2 kAction(R"(mf:action\s+<([^>]*)>)");
  static const RE2 kResult(R"(mf:result\s+<([^>]*)>)");

  std::string list;
  if (!RE2::PartialMatch(ttl, kEntries, &list)) {
    *error = StrCat(path, ": no mf:entries list");
    return false;
  }
  std::map<std::string, Entry> described;
  for (const std::string& statement : SplitStatements(ttl)) {
    Entry e;
    if (!RE2::PartialMatch(statement, kSubjectType, &e.id, &e.type)) continue;
    std::string action, result;
    if (RE2::PartialMatch(statement, kAction, &action)) e.action = StrCat(dir, "/", action);
    if (RE2::PartialMatch(statement, kResult, &result)) e.result = StrCat(dir, "/", result);
    const std::string t = LocalName(e.type);
    e.syntax = t.starts_with("TestNQuads") ? NQuadsReader::Syntax::kNQuads
                                           : NQuadsReader::Syntax::kNTriples;
    if (t.ends_with("PositiveSyntax")) e.kind = Kind::kPositive;
    if (t.ends_with("NegativeSyntax")) e.kind = Kind::kNegative;
    if (t.ends_with("PositiveC14N")) e.kind = Kind::kC14n;
    described[e.id] = std::move(e);
  }
  re2::StringPiece rest(list);
  std::string id;
  while (RE2::Consume(&rest, kEntryToken, &id)) {
    auto it = described.find(id);
    Entry e = it != described.end() ? it->second : Entry{};
    e.id = id;
    e.manifest = path;
    entries->push_back(std::move(e));
  }
  return true;
}

struct Outcome {
  bool pass = false;
  std::string detail;
};

// Reads every statement of `path`; `*canonical` collects their canonical
// form. Returns the reader's first error, if any.
std::optional<std::string> ParseFile(const std::string& path, NQuadsReader::Syntax syntax,
                                     std::string* canonical, Diagnostic* diagnostic) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return StrCat("cannot open ", path);
  NQuadsReader reader(path, in, syntax);
  RdfQuad quad;
  while (reader.Next(&quad)) canonical->append(CanonicalNQuad(quad));
  if (!reader.error()) return std::nullopt;
  *diagnostic = *reader.error();
  return reader.FormatError();
}

Outcome RunEntry(const Entry& e) {
  if (e.kind == Kind::kUnknown) {
    return {false, StrCat(e.manifest, ": entry ", e.id, " has no test description (type '",
                          e.type, "')")};
  }
  if (e.action.empty()) return {false, StrCat(e.id, " has no mf:action")};
  std::string canonical;
  Diagnostic diagnostic;
  const std::optional<std::string> error = ParseFile(e.action, e.syntax, &canonical, &diagnostic);
  switch (e.kind) {
    case Kind::kPositive:
      if (error) return {false, StrCat("rejected a valid file:\n", *error)};
      return {true, ""};
    case Kind::kNegative:
      if (!error) return {false, StrCat("accepted an invalid file: ", e.action)};
      if (diagnostic.pos.line < 1 || diagnostic.pos.col < 1) {
        return {false, StrCat("rejected without a position:\n", *error)};
      }
      return {true, *error};
    case Kind::kC14n: {
      if (error) return {false, StrCat("rejected a valid file:\n", *error)};
      std::string expected;
      if (!ReadFile(e.result, &expected)) return {false, StrCat("cannot read ", e.result)};
      if (canonical != expected) {
        return {false, StrCat("canonical form differs from ", e.result, "\n  expected: ",
                              expected, "  actual:   ", canonical)};
      }
      return {true, ""};
    }
    case Kind::kUnknown:
      break;
  }
  return {false, "unreachable"};
}

class W3cEntryTest : public ::testing::Test {
 public:
  explicit W3cEntryTest(Entry entry) : entry_(std::move(entry)) {}
  void TestBody() override {
    const Outcome outcome = RunEntry(entry_);
    EXPECT_TRUE(outcome.pass) << entry_.id << " (" << entry_.type << ", " << entry_.action
                              << "): " << outcome.detail;
    if (outcome.pass && entry_.kind == Kind::kNegative) std::cout << outcome.detail;
  }

 private:
  Entry entry_;
};

class W3cFailTest : public ::testing::Test {
 public:
  explicit W3cFailTest(std::string message) : message_(std::move(message)) {}
  void TestBody() override { FAIL() << message_; }

 private:
  std::string message_;
};

class W3cSkipTest : public ::testing::Test {
 public:
  explicit W3cSkipTest(std::string message) : message_(std::move(message)) {}
  void TestBody() override { GTEST_SKIP() << message_; }

 private:
  std::string message_;
};

// Runs every manifest and prints "positive a/b, negative c/d, c14n e/f".
class W3cSummaryTest : public ::testing::Test {
 public:
  explicit W3cSummaryTest(std::vector<std::vector<Entry>> manifests)
      : manifests_(std::move(manifests)) {}
  void TestBody() override {
    for (const std::vector<Entry>& entries : manifests_) {
      int pass[3] = {0, 0, 0}, total[3] = {0, 0, 0}, unknown = 0;
      for (const Entry& e : entries) {
        if (e.kind == Kind::kUnknown) {
          ++unknown;
          continue;
        }
        const int k = static_cast<int>(e.kind);
        ++total[k];
        if (RunEntry(e).pass) ++pass[k];
      }
      const std::string manifest = entries.empty() ? "(empty)" : entries.front().manifest;
      const size_t short_name = manifest.find("rdf/rdf1");
      std::cout << "[ W3C RDF ] "
                << (short_name == std::string::npos ? manifest : manifest.substr(short_name))
                << ": positive "
                << pass[0] << "/" << total[0] << ", negative " << pass[1] << "/" << total[1]
                << ", c14n " << pass[2] << "/" << total[2]
                << (unknown > 0 ? StrCat(", undescribed entries ", unknown) : "") << "\n";
      EXPECT_EQ(pass[0] + pass[1] + pass[2], total[0] + total[1] + total[2]) << manifest;
      EXPECT_EQ(unknown, 0) << manifest;
    }
  }

 private:
  std::vector<std::vector<Entry>> manifests_;
};

std::string TestName(const std::string& id, std::set<std::string>* used) {
  std::string name;
  for (const char c : LocalName(id)) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (name.empty()) name = "entry";
  std::string unique = name;
  for (int i = 2; !used->insert(unique).second; ++i) unique = StrCat(name, "_", i);
  return unique;
}

void RegisterW3cTests() {
  const std::string root = ExternalDir();
  if (!std::filesystem::is_directory(std::filesystem::path(root) / "w3c-rdf-tests")) {
    const std::string message =
        StrCat("W3C RDF tests not found at ", root, "/w3c-rdf-tests, skipping");
    ::testing::RegisterTest("W3cRdf", "TestsPresent", nullptr, nullptr, __FILE__, __LINE__,
                            [message]() -> ::testing::Test* { return new W3cSkipTest(message); });
    return;
  }
  std::vector<std::vector<Entry>> all;
  for (const ManifestSpec& spec : kManifests) {
    std::vector<Entry> entries;
    std::string error;
    if (!ReadManifest(StrCat(root, "/", spec.path), &entries, &error)) {
      ::testing::RegisterTest(spec.suite, "Manifest", nullptr, nullptr, __FILE__, __LINE__,
                              [error]() -> ::testing::Test* { return new W3cFailTest(error); });
      continue;
    }
    std::set<std::string> used;
    for (const Entry& e : entries) {
      const std::string name = TestName(e.id, &used);
      ::testing::RegisterTest(spec.suite, name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [e]() -> ::testing::Test* { return new W3cEntryTest(e); });
    }
    all.push_back(std::move(entries));
  }
  ::testing::RegisterTest("W3cRdfSummary", "PassCounts", nullptr, nullptr, __FILE__, __LINE__,
                          [all]() -> ::testing::Test* { return new W3cSummaryTest(all); });
}

}  // namespace
}  // namespace kg::ingest

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  kg::ingest::RegisterW3cTests();
  return RUN_ALL_TESTS();
}
