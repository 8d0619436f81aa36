#include "tests/support/w3c_suite.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "gtest/gtest.h"
#include "kg/iri.h"
#include "ingest/rdf/turtle.h"
#include "kg/str_cat.h"

namespace kg::testing {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kMf =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";

using kg::RdfQuad;
using kg::RdfTerm;

std::string LocalName(const std::string& iri) {
  const size_t cut = iri.find_last_of("#/");
  return cut == std::string::npos ? iri : iri.substr(cut + 1);
}

// file:///x/y%20z -> /x/y z
std::string PathOf(const std::string& iri) {
  const std::string p = iri.starts_with("file://") ? iri.substr(7) : iri;
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

// Where the W3C publishes a file of one of the suites' repositories.
std::string PublishedUrl(const std::string& external_dir,
                         const std::string& path) {
  for (const auto& [folder, url] :
       {std::pair<std::string, std::string>{"w3c-rdf-tests",
                                            "https://w3c.github.io/rdf-tests/"},
        {"w3c-rdf-star", "https://w3c.github.io/rdf-star/"},
        {"w3c-sparql-tests", "https://w3c.github.io/rdf-tests/"}}) {
    const auto root =
        std::filesystem::absolute(std::filesystem::path(external_dir) / folder)
            .lexically_normal();
    const std::string rel =
        std::filesystem::path(path).lexically_relative(root).string();
    if (!rel.empty() && !rel.starts_with("..")) return url + rel;
  }
  return kg::FileIri(path);
}

bool ReadManifest(const std::string& external_dir, const std::string& path,
                  std::vector<W3cEntry>* entries, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = StrCat("cannot read ", path);
    return false;
  }
  ingest::TurtleReader reader(path, in, /*trig=*/false, kg::FileIri(path));
  std::map<std::string, std::map<std::string, std::vector<RdfTerm>>> props;
  auto key = [](const RdfTerm& t) {
    return t.is_blank_node() ? "_:" + t.value : t.value;
  };
  RdfQuad q;
  while (reader.Next(&q)) props[key(q.s)][q.p.value].push_back(q.o);
  if (reader.error()) {
    *error = reader.FormatError();
    return false;
  }
  auto first = [&](const std::string& s, std::string_view p) -> const RdfTerm* {
    auto it = props.find(s);
    if (it == props.end()) return nullptr;
    auto jt = it->second.find(std::string(p));
    return jt == it->second.end() || jt->second.empty() ? nullptr
                                                        : &jt->second.front();
  };
  const RdfTerm* list = nullptr;
  for (const auto& [s, p] : props) {
    if (const RdfTerm* l = first(s, StrCat(kMf, "entries"))) list = l;
  }
  if (list == nullptr) {
    *error = StrCat(path, ": no mf:entries list");
    return false;
  }
  for (std::string node = key(*list); node != StrCat(kRdf, "nil");) {
    const RdfTerm* item = first(node, StrCat(kRdf, "first"));
    const RdfTerm* next = first(node, StrCat(kRdf, "rest"));
    if (item == nullptr || next == nullptr) {
      *error = StrCat(path, ": mf:entries is not a well-formed list");
      return false;
    }
    W3cEntry e;
    e.manifest = path;
    e.id = key(*item);
    if (const RdfTerm* t = first(e.id, StrCat(kRdf, "type")))
      e.type = LocalName(t->value);
    if (const RdfTerm* a = first(e.id, StrCat(kMf, "action")))
      e.action = PathOf(a->value);
    if (const RdfTerm* r = first(e.id, StrCat(kMf, "result")))
      e.result = PathOf(r->value);
    e.base = PublishedUrl(external_dir, e.action);
    entries->push_back(std::move(e));
    node = key(*next);
  }
  return true;
}

using RunFn = std::function<W3cOutcome(const W3cEntry&)>;

class EntryTest : public ::testing::Test {
 public:
  EntryTest(W3cEntry e, RunFn run) : e_(std::move(e)), run_(std::move(run)) {}
  void TestBody() override {
    const W3cOutcome o = run_(e_);
    EXPECT_TRUE(o.pass) << e_.id << " (" << e_.type << ", " << e_.action
                        << "): " << o.detail;
    if (o.pass && o.kind == "negative") std::cout << o.detail;
  }

 private:
  W3cEntry e_;
  RunFn run_;
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

// Reruns every manifest's entries: "positive a/b, negative c/d, ...".
class SummaryTest : public ::testing::Test {
 public:
  SummaryTest(std::vector<std::vector<W3cEntry>> manifests, RunFn run)
      : manifests_(std::move(manifests)), run_(std::move(run)) {}
  void TestBody() override {
    for (const std::vector<W3cEntry>& entries : manifests_) {
      std::map<std::string, std::pair<int, int>>
          counts;  // kind -> (passed, total)
      std::vector<std::string> order;
      int failed = 0;
      for (const W3cEntry& e : entries) {
        const W3cOutcome o = run_(e);
        const std::string kind = o.kind.empty() ? "unknown" : o.kind;
        if (!counts.contains(kind)) order.push_back(kind);
        counts[kind].first += o.pass;
        ++counts[kind].second;
        failed += !o.pass;
      }
      std::string manifest =
          entries.empty() ? "(empty)" : entries.front().manifest;
      for (const char* top : {"rdf/rdf1", "w3c-rdf-star/"}) {
        if (const size_t cut = manifest.find(top); cut != std::string::npos) {
          manifest = manifest.substr(cut);
          break;
        }
      }
      std::cout << "[ W3C ] " << manifest << ":";
      for (size_t i = 0; i < order.size(); ++i) {
        std::cout << (i > 0 ? "," : "") << " " << order[i] << " "
                  << counts[order[i]].first << "/" << counts[order[i]].second;
      }
      std::cout << "\n";
      EXPECT_EQ(failed, 0) << manifest;
    }
  }

 private:
  std::vector<std::vector<W3cEntry>> manifests_;
  RunFn run_;
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

}  // namespace

bool JudgeParse(const W3cEntry& e, const std::optional<std::string>& error,
                int line, int col, W3cOutcome* o) {
  if (o->kind == "negative") {
    if (!error) {
      o->detail = StrCat("accepted an invalid file: ", e.action);
    } else if (line < 1 || col < 1) {
      o->detail = StrCat("rejected without a position:\n", *error);
    } else {
      o->pass = true;
      o->detail = *error;
    }
    return false;
  }
  if (error) {
    o->detail = StrCat("rejected a valid file:\n", *error);
    return false;
  }
  return true;
}

void RegisterMessageTest(const std::string& suite, const std::string& name,
                         std::string message, bool skip) {
  ::testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [message = std::move(message), skip]() -> ::testing::Test* {
                            return new MessageTest(message, skip);
                          });
}

std::string ExternalDir(const char* fallback) {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return env != nullptr && *env != '\0' ? env : fallback;
}

void RegisterW3cTests(const std::string& external_dir,
                      const std::string& folder,
                      const std::vector<W3cManifest>& manifests,
                      const std::string& summary_suite, RunFn run) {
  if (!std::filesystem::is_directory(std::filesystem::path(external_dir) /
                                     folder)) {
    const std::string message =
        StrCat(folder, " not found at ", external_dir, ", skipping");
    RegisterMessageTest(summary_suite, "TestsPresent", message, /*skip=*/true);
    return;
  }
  std::vector<std::vector<W3cEntry>> all;
  for (const W3cManifest& m : manifests) {
    std::vector<W3cEntry> entries;
    std::string error;
    if (!ReadManifest(external_dir, StrCat(external_dir, "/", m.path), &entries,
                      &error)) {
      RegisterMessageTest(m.suite, "Manifest", error, /*skip=*/false);
      continue;
    }
    std::set<std::string> used;
    for (const W3cEntry& e : entries) {
      const std::string name = TestName(e.id, &used);
      ::testing::RegisterTest(
          m.suite, name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
          [e, run]() -> ::testing::Test* { return new EntryTest(e, run); });
    }
    all.push_back(std::move(entries));
  }
  ::testing::RegisterTest(
      summary_suite.c_str(), "PassCounts", nullptr, nullptr, __FILE__, __LINE__,
      [all, run]() -> ::testing::Test* { return new SummaryTest(all, run); });
}

}  // namespace kg::testing
