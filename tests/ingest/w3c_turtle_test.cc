// W3C RDF 1.1 / 1.2 Turtle conformance (and TriG where a manifest has it).
// The manifests are Turtle themselves: they are read with TurtleReader,
// which is then under test twice. Every mf:entries item is its own
// GoogleTest:
//   positive syntax  the file parses without error;
//   negative syntax  the reader rejects it with a line and a column;
//   eval             its statements are isomorphic to mf:result (N-Triples).
// Files are parsed with the base IRI the suite assumes: the file's URL under
// https://w3c.github.io/rdf-tests/. W3cTurtleSummary.PassCounts prints pass
// counts per manifest. Without the external folder a skipped test says so.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/rdf/iri.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/turtle.h"
#include "kg/str_cat.h"
#include "tests/support/rdf_isomorphism.h"

namespace kg::ingest {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kMf =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kRdft = "http://www.w3.org/ns/rdftest#";
constexpr std::string_view kSuiteUrl = "https://w3c.github.io/rdf-tests/";

struct ManifestSpec {
  const char* path;   // under the external folder
  const char* suite;  // GoogleTest suite name
};

constexpr ManifestSpec kManifests[] = {
    {"w3c-rdf-tests/rdf/rdf11/rdf-turtle/manifest.ttl", "W3cTurtle11"},
    {"w3c-rdf-tests/rdf/rdf12/rdf-turtle/syntax/manifest.ttl",
     "W3cTurtle12Syntax"},
    {"w3c-rdf-tests/rdf/rdf12/rdf-turtle/eval/manifest.ttl", "W3cTurtle12Eval"},
    // The RDF-star CG's syntax tests, read as RDF 1.2 (where `<< s p o >>`
    // is a reified triple, no longer a quoted one). Its eval tests expect
    // the superseded quoted-triple graphs, so they are not run.
    {"w3c-rdf-star/tests/turtle/syntax/manifest.ttl", "W3cRdfStarTurtleSyntax"},
};

enum class Kind { kPositive, kNegative, kEval, kUnknown };

// RDF-star CG tests that RDF 1.2 turned around, by local name: a reified
// triple with no predicate-object list (`<< :s :p :o >> .`) was not a
// statement with quoted triples; in RDF 1.2 it is one (its rdf:reifies
// triple; rdf12 turtle12-syntax-basic-* hold the same form). Run as positive.
constexpr std::string_view kValidInRdf12[] = {"turtle-star-bad-2"};

struct Entry {
  std::string manifest;
  std::string id;      // the entry IRI
  std::string type;    // local name of its rdf:type
  std::string action;  // file path
  std::string result;  // file path, "" if none
  std::string base;    // the IRI the suite reads the action file from
  bool trig = false;
  Kind kind = Kind::kUnknown;
};

std::string ExternalDir() {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return env != nullptr && *env != '\0' ? env : KG_EXTERNAL_DIR;
}

std::string LocalName(const std::string& iri) {
  const size_t cut = iri.find_last_of("#/");
  return cut == std::string::npos ? iri : iri.substr(cut + 1);
}

// file:///x/y -> /x/y (the manifests' IRIs have no escapes worth decoding
// beyond what FileIri wrote).
std::string PathOf(const std::string& iri) {
  std::string p = iri.starts_with("file://") ? iri.substr(7) : iri;
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size()) {
      out.push_back(
          static_cast<char>(std::stoi(p.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(p[i]);
    }
  }
  return out;
}

struct Parsed {
  std::vector<RdfQuad> quads;
  std::optional<std::string> error;  // formatted
  Diagnostic diagnostic;
};

Parsed ParseTurtle(const std::string& path, const std::string& base,
                   bool trig) {
  Parsed out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.error = StrCat("cannot open ", path);
    return out;
  }
  TurtleReader reader(path, in, trig, base);
  RdfQuad q;
  while (reader.Next(&q)) out.quads.push_back(q);
  if (reader.error()) {
    out.error = reader.FormatError();
    out.diagnostic = *reader.error();
  }
  return out;
}

bool ReadManifest(const std::string& path, std::vector<Entry>* entries,
                  std::string* error) {
  const std::string root = ExternalDir();
  Parsed m = ParseTurtle(path, FileIri(path), false);
  if (m.error) {
    *error = *m.error;
    return false;
  }
  std::map<std::string, std::map<std::string, std::vector<RdfTerm>>> props;
  for (const RdfQuad& q : m.quads) {
    const std::string s = q.s.is_blank_node() ? "_:" + q.s.value : q.s.value;
    props[s][q.p.value].push_back(q.o);
  }
  auto first = [&](const std::string& s, std::string_view p) -> const RdfTerm* {
    auto it = props.find(s);
    if (it == props.end()) return nullptr;
    auto jt = it->second.find(std::string(p));
    return jt == it->second.end() || jt->second.empty() ? nullptr
                                                        : &jt->second.front();
  };
  auto key = [](const RdfTerm& t) {
    return t.is_blank_node() ? "_:" + t.value : t.value;
  };
  const RdfTerm* list = nullptr;
  for (auto& [s, p] : props) {
    if (const RdfTerm* l = first(s, StrCat(kMf, "entries"))) list = l;
  }
  if (list == nullptr) {
    *error = StrCat(path, ": no mf:entries list");
    return false;
  }
  const std::string rdf_first = StrCat(kRdf, "first"),
                    rdf_rest = StrCat(kRdf, "rest");
  for (std::string node = key(*list); node != StrCat(kRdf, "nil");) {
    const RdfTerm* item = first(node, rdf_first);
    const RdfTerm* next = first(node, rdf_rest);
    if (item == nullptr || next == nullptr) {
      *error = StrCat(path, ": mf:entries is not a well-formed list");
      return false;
    }
    Entry e;
    e.manifest = path;
    e.id = key(*item);
    if (const RdfTerm* t = first(e.id, StrCat(kRdf, "type")))
      e.type = LocalName(t->value);
    if (const RdfTerm* a = first(e.id, StrCat(kMf, "action")))
      e.action = PathOf(a->value);
    if (const RdfTerm* r = first(e.id, StrCat(kMf, "result")))
      e.result = PathOf(r->value);
    const std::string suite = e.action.find("/w3c-rdf-star/") != std::string::npos
                                  ? "w3c-rdf-star"
                                  : "w3c-rdf-tests";
    const std::string rel =
        std::filesystem::path(e.action)
            .lexically_relative(
                std::filesystem::absolute(std::filesystem::path(root) / suite).lexically_normal())
            .string();
    e.base = StrCat(suite == "w3c-rdf-star" ? "https://w3c.github.io/rdf-star/" : kSuiteUrl, rel);
    e.trig = e.type.starts_with("TestTrig");
    if (e.type.ends_with("PositiveSyntax")) e.kind = Kind::kPositive;
    if (e.type.ends_with("NegativeSyntax") ||
        e.type.ends_with("NegativeEval")) {
      e.kind = Kind::kNegative;
    }
    if (e.type == "TestTurtleEval" || e.type == "TestTrigEval")
      e.kind = Kind::kEval;
    for (std::string_view name : kValidInRdf12) {
      if (LocalName(e.id) == name && e.kind == Kind::kNegative) e.kind = Kind::kPositive;
    }
    entries->push_back(std::move(e));
    node = key(*next);
  }
  return true;
}

struct Outcome {
  bool pass = false;
  std::string detail;
};

Outcome RunEntry(const Entry& e) {
  if (e.kind == Kind::kUnknown)
    return {false, StrCat(e.id, ": unknown test type ", e.type)};
  const Parsed got = ParseTurtle(e.action, e.base, e.trig);
  switch (e.kind) {
    case Kind::kPositive:
      if (got.error)
        return {false, StrCat("rejected a valid file:\n", *got.error)};
      return {true, ""};
    case Kind::kNegative:
      if (!got.error)
        return {false, StrCat("accepted an invalid file: ", e.action)};
      if (got.diagnostic.pos.line < 1 || got.diagnostic.pos.col < 1) {
        return {false, StrCat("rejected without a position:\n", *got.error)};
      }
      return {true, *got.error};
    case Kind::kEval: {
      if (got.error)
        return {false, StrCat("rejected a valid file:\n", *got.error)};
      std::ifstream in(e.result, std::ios::binary);
      if (!in) return {false, StrCat("cannot read ", e.result)};
      NQuadsReader reader(e.result, in, NQuadsReader::Syntax::kNQuads);
      std::vector<RdfQuad> expected;
      RdfQuad q;
      while (reader.Next(&q)) expected.push_back(q);
      if (reader.error())
        return {false, StrCat("cannot parse the expected result:\n",
                              reader.FormatError())};
      std::string why;
      if (!kg::testing::Isomorphic(got.quads, expected, &why)) {
        std::string actual;
        for (const RdfQuad& a : got.quads) actual += CanonicalNQuad(a);
        return {false, StrCat("not isomorphic to ", e.result, ": ", why,
                              "\nactual:\n", actual)};
      }
      return {true, ""};
    }
    case Kind::kUnknown:
      break;
  }
  return {false, "unreachable"};
}

class EntryTest : public ::testing::Test {
 public:
  explicit EntryTest(Entry e) : e_(std::move(e)) {}
  void TestBody() override {
    const Outcome o = RunEntry(e_);
    EXPECT_TRUE(o.pass) << e_.id << " (" << e_.type << ", " << e_.action
                        << "): " << o.detail;
    if (o.pass && e_.kind == Kind::kNegative) std::cout << o.detail;
  }

 private:
  Entry e_;
};

class MessageTest : public ::testing::Test {
 public:
  MessageTest(std::string message, bool skip)
      : message_(std::move(message)), skip_(skip) {}
  void TestBody() override {
    if (skip_) GTEST_SKIP() << message_;
    FAIL() << message_;
  }

 private:
  std::string message_;
  bool skip_;
};

class SummaryTest : public ::testing::Test {
 public:
  explicit SummaryTest(std::vector<std::vector<Entry>> m)
      : manifests_(std::move(m)) {}
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
      const std::string manifest =
          entries.empty() ? "(empty)" : entries.front().manifest;
      size_t cut = manifest.find("rdf/rdf1");
      if (cut == std::string::npos) cut = manifest.find("w3c-rdf-star/");
      std::cout << "[ W3C Turtle ] "
                << (cut == std::string::npos ? manifest : manifest.substr(cut))
                << ": positive " << pass[0] << "/" << total[0] << ", negative "
                << pass[1] << "/" << total[1] << ", eval " << pass[2] << "/"
                << total[2]
                << (unknown > 0 ? StrCat(", unknown ", unknown) : "") << "\n";
      EXPECT_EQ(pass[0] + pass[1] + pass[2], total[0] + total[1] + total[2])
          << manifest;
      EXPECT_EQ(unknown, 0) << manifest;
    }
  }

 private:
  std::vector<std::vector<Entry>> manifests_;
};

std::string TestName(const std::string& id, std::set<std::string>* used) {
  std::string name;
  for (const char c : LocalName(id)) {
    name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  if (name.empty()) name = "entry";
  std::string unique = name;
  for (int i = 2; !used->insert(unique).second; ++i)
    unique = StrCat(name, "_", i);
  return unique;
}

void Register() {
  const std::string root = ExternalDir();
  if (!std::filesystem::is_directory(std::filesystem::path(root) /
                                     "w3c-rdf-tests")) {
    const std::string message =
        StrCat("W3C RDF tests not found at ", root, "/w3c-rdf-tests, skipping");
    ::testing::RegisterTest("W3cTurtle", "TestsPresent", nullptr, nullptr,
                            __FILE__, __LINE__,
                            [message]() -> ::testing::Test* {
                              return new MessageTest(message, true);
                            });
    return;
  }
  std::vector<std::vector<Entry>> all;
  for (const ManifestSpec& spec : kManifests) {
    std::vector<Entry> entries;
    std::string error;
    if (!ReadManifest(StrCat(root, "/", spec.path), &entries, &error)) {
      ::testing::RegisterTest(spec.suite, "Manifest", nullptr, nullptr,
                              __FILE__, __LINE__,
                              [error]() -> ::testing::Test* {
                                return new MessageTest(error, false);
                              });
      continue;
    }
    std::set<std::string> used;
    for (const Entry& e : entries) {
      const std::string name = TestName(e.id, &used);
      ::testing::RegisterTest(
          spec.suite, name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
          [e]() -> ::testing::Test* { return new EntryTest(e); });
    }
    all.push_back(std::move(entries));
  }
  ::testing::RegisterTest(
      "W3cTurtleSummary", "PassCounts", nullptr, nullptr, __FILE__, __LINE__,
      [all]() -> ::testing::Test* { return new SummaryTest(all); });
}

}  // namespace
}  // namespace kg::ingest

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  kg::ingest::Register();
  return RUN_ALL_TESTS();
}
