// The W3C SHACL Core test suite (data-shapes-test-suite/tests/core), read
// with kg's Turtle reader and run through the SHACL validator. Every
// manifest entry is its own GoogleTest, in suite W3cShacl_<folder>:
//   passes       the report's sh:conforms and its multiset of results equal
//                the expected report's, comparing sh:focusNode,
//                sh:resultPath (as a path), sh:value, sh:sourceShape,
//                sh:sourceConstraintComponent and sh:resultSeverity; a blank
//                node matches any blank node (sh:resultMessage is not
//                compared);
//   unsupported  the shapes use a feature outside the subset (sh:sparql,
//                ...) or the entry is not an sht:Validate test: skipped with
//                the reason.
// W3cShaclSummary.Counts prints passed / failed / unsupported per folder and
// names each failing and unsupported entry. Without the suite (the
// external folder, $KG_EXTERNAL_DIR overriding the compiled-in one) a
// single skipped test says so.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/w3c_suite.h"
#include "ingest/rdf/ntriples.h"
#include "kg/iri.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "shacl/shacl.h"

namespace kg::shacl {
namespace {

constexpr std::string_view kMf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kSht = "http://www.w3.org/ns/shacl-test#";
constexpr std::string_view kSuitePath = "w3c-shacl-tests/data-shapes-test-suite/tests/core";

struct Entry {
  std::string folder;  // under tests/core: "node", "property", ...
  std::string name;    // the entry's local name
  std::string type;    // its rdf:type IRI
  std::string data, shapes;  // file paths
  std::shared_ptr<Graph> manifest;  // holds the expected report
  std::optional<NodeId> result;
};

enum class Verdict { kPass, kFail, kUnsupported };

struct Outcome {
  Verdict verdict = Verdict::kFail;
  std::string detail;
};

std::string PathOfFileIri(std::string_view iri) {
  if (!iri.starts_with("file://")) return std::string(iri);
  return PercentDecode(iri.substr(7)).value_or(std::string(iri.substr(7)));
}

std::string LocalName(std::string_view iri) {
  const size_t cut = iri.find_last_of("/#");
  return std::string(cut == std::string_view::npos ? iri : iri.substr(cut + 1));
}

// Reads `path` and its mf:include'd manifests, appending their entries.
absl::Status ReadManifest(const std::string& path, const std::string& core,
                          std::vector<Entry>* entries, int depth = 0) {
  if (depth > 8) return absl::InvalidArgumentError(StrCat(path, ": manifests include too deep"));
  auto graph = std::make_shared<Graph>(std::make_shared<TermPool>());
  if (absl::Status s = ReadRdfFile(path, "", graph.get()); !s.ok()) return s;
  graph->Finish();
  TermPool& pool = graph->pool();
  auto mf = [&](std::string_view local) { return pool.Iri(StrCat(kMf, local)); };
  auto sht = [&](std::string_view local) { return pool.Iri(StrCat(kSht, local)); };
  const NodeId self = pool.Iri(FileIri(path));
  std::string folder = std::filesystem::path(path).parent_path().lexically_relative(core).string();
  for (NodeId inc : graph->Objects(self, mf("include"))) {
    if (absl::Status s = ReadManifest(PathOfFileIri(pool.term(inc).value), core, entries, depth + 1);
        !s.ok()) {
      return s;
    }
  }
  for (NodeId list : graph->Objects(self, mf("entries"))) {
    absl::StatusOr<std::vector<NodeId>> items = graph->List(list);
    if (!items.ok()) return items.status();
    for (NodeId item : *items) {
      Entry e;
      e.folder = folder;
      e.name = LocalName(pool.term(item).value);
      if (auto type = graph->Object(item, graph->rdf_type())) e.type = pool.term(*type).value;
      if (auto action = graph->Object(item, mf("action"))) {
        if (auto d = graph->Object(*action, sht("dataGraph"))) e.data = PathOfFileIri(pool.term(*d).value);
        if (auto s = graph->Object(*action, sht("shapesGraph"))) {
          e.shapes = PathOfFileIri(pool.term(*s).value);
        }
      }
      e.result = graph->Object(item, mf("result"));
      e.manifest = graph;
      entries->push_back(std::move(e));
    }
  }
  return absl::OkStatus();
}

// One result as compared: its six members, blank nodes made anonymous.
using Row = std::vector<std::string>;

std::string Key(const RdfTerm& t) { return t.is_blank_node() ? "_:" : ingest::CanonicalTerm(t); }

Row ResultRow(const ValidationResult& r, const TermPool& pool) {
  return {Key(pool.term(r.focus)),
          r.path ? PathToString(*r.path, pool) : "",
          r.value ? Key(pool.term(*r.value)) : "",
          Key(pool.term(r.source_shape)),
          ComponentIri(r.component),
          Key(pool.term(r.severity))};
}

absl::StatusOr<Row> ExpectedRow(const Graph& g, NodeId result) {
  TermPool& pool = g.pool();
  auto member = [&](std::string_view local) -> std::string {
    auto v = g.Object(result, pool.Iri(StrCat(kShNs, local)));
    return v ? Key(pool.term(*v)) : "";
  };
  std::string path;
  if (auto p = g.Object(result, pool.Iri(StrCat(kShNs, "resultPath")))) {
    absl::StatusOr<Path> parsed = ParsePath(g, *p);
    if (!parsed.ok()) return parsed.status();
    path = PathToString(*parsed, pool);
  }
  std::string component = member("sourceConstraintComponent");
  if (component.size() > 2) component = component.substr(1, component.size() - 2);  // <iri>
  return Row{member("focusNode"), path,      member("value"),
             member("sourceShape"), component, member("resultSeverity")};
}

std::string Show(const std::vector<Row>& rows) {
  std::string out;
  for (const Row& r : rows) {
    out += "  [";
    for (size_t i = 0; i < r.size(); ++i) StrAppend(&out, i > 0 ? " | " : "", r[i]);
    out += "]\n";
  }
  return out;
}

Outcome RunEntry(const Entry& e) {
  Outcome o;
  if (e.type != StrCat(kSht, "Validate")) {
    o.verdict = Verdict::kUnsupported;
    o.detail = StrCat("test type <", e.type, "> is not sht:Validate");
    return o;
  }
  if (e.data.empty() || e.shapes.empty() || !e.result) {
    o.detail = "entry lacks sht:dataGraph, sht:shapesGraph or mf:result";
    return o;
  }
  auto pool = std::make_shared<TermPool>();
  Graph shapes_graph(pool);
  if (absl::Status s = ReadRdfFile(e.shapes, "s_", &shapes_graph); !s.ok()) {
    o.detail = StrCat("reading the shapes graph: ", s.message());
    return o;
  }
  shapes_graph.Finish();
  absl::StatusOr<Shapes> shapes = ParseShapes(shapes_graph, e.shapes);
  if (!shapes.ok()) {
    o.verdict = shapes.status().code() == absl::StatusCode::kUnimplemented ? Verdict::kUnsupported
                                                                             : Verdict::kFail;
    o.detail = std::string(shapes.status().message());
    return o;
  }
  Graph data_graph(pool);
  const Graph* data = &shapes_graph;
  if (e.data != e.shapes) {
    if (absl::Status s = ReadRdfFile(e.data, "d_", &data_graph); !s.ok()) {
      o.detail = StrCat("reading the data graph: ", s.message());
      return o;
    }
    data_graph.Finish();
    data = &data_graph;
  }
  const Report report = Validate(*data, *shapes);

  const Graph& m = *e.manifest;
  TermPool& mp = m.pool();
  bool expect_conforms = false;
  if (auto c = m.Object(*e.result, mp.Iri(StrCat(kShNs, "conforms")))) {
    expect_conforms = mp.term(*c).value == "true";
  }
  std::vector<Row> expected, got;
  for (NodeId r : m.Objects(*e.result, mp.Iri(StrCat(kShNs, "result")))) {
    absl::StatusOr<Row> row = ExpectedRow(m, r);
    if (!row.ok()) {
      o.detail = StrCat("reading the expected report: ", row.status().message());
      return o;
    }
    expected.push_back(*std::move(row));
  }
  for (const ValidationResult& r : report.results) got.push_back(ResultRow(r, *pool));
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  if (report.conforms() != expect_conforms || got != expected) {
    o.detail = StrCat("conforms: expected ", expect_conforms ? "true" : "false", ", got ",
                      report.conforms() ? "true" : "false", "\nexpected results (", expected.size(),
                      "):\n", Show(expected), "actual results (", got.size(), "):\n", Show(got));
    return o;
  }
  o.verdict = Verdict::kPass;
  return o;
}

std::string TestName(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return out;
}

class EntryTest : public ::testing::Test {
 public:
  explicit EntryTest(Entry e) : e_(std::move(e)) {}
  void TestBody() override {
    const Outcome o = RunEntry(e_);
    if (o.verdict == Verdict::kUnsupported) GTEST_SKIP() << "unsupported: " << o.detail;
    EXPECT_TRUE(o.verdict == Verdict::kPass) << e_.folder << "/" << e_.name << ": " << o.detail;
  }

 private:
  Entry e_;
};

class SummaryTest : public ::testing::Test {
 public:
  explicit SummaryTest(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  void TestBody() override {
    struct Counts {
      int passed = 0, failed = 0, unsupported = 0;
    };
    std::map<std::string, Counts> counts;
    std::string notes;
    Counts total;
    for (const Entry& e : entries_) {
      const Outcome o = RunEntry(e);
      Counts& c = counts[e.folder];
      switch (o.verdict) {
        case Verdict::kPass: ++c.passed, ++total.passed; break;
        case Verdict::kFail:
          ++c.failed, ++total.failed;
          notes += StrCat("  FAILED      ", e.folder, "/", e.name, "\n");
          break;
        case Verdict::kUnsupported:
          ++c.unsupported, ++total.unsupported;
          notes += StrCat("  UNSUPPORTED ", e.folder, "/", e.name, ": ", o.detail, "\n");
          break;
      }
    }
    std::cout << "W3C SHACL Core: passed / failed / unsupported per folder\n";
    for (const auto& [folder, c] : counts) {
      std::cout << "  " << folder << ": " << c.passed << " / " << c.failed << " / " << c.unsupported
                << "\n";
    }
    std::cout << "  total: " << total.passed << " / " << total.failed << " / " << total.unsupported
              << "\n"
              << notes;
    EXPECT_GT(total.passed, 0);
  }

 private:
  std::vector<Entry> entries_;
};

// Every file of the suite (manifests included) read as a shapes graph and
// validated against itself: whatever it holds, the validator answers with
// a report or an error, never a crash or a hang.
class RobustnessTest : public ::testing::Test {
 public:
  explicit RobustnessTest(std::string core) : core_(std::move(core)) {}
  void TestBody() override {
    int files = 0, reports = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(core_)) {
      if (f.path().extension() != ".ttl") continue;
      ++files;
      auto pool = std::make_shared<TermPool>();
      absl::StatusOr<Shapes> shapes = ReadShapesFile(f.path().string(), pool);
      if (!shapes.ok()) {
        EXPECT_NE(shapes.status().code(), absl::StatusCode::kInternal) << shapes.status();
        continue;
      }
      absl::StatusOr<Report> report = ValidateFile(f.path().string(), *shapes);
      EXPECT_TRUE(report.ok()) << f.path() << ": " << report.status();
      reports += report.ok();
    }
    std::cout << files << " files, " << reports << " validated against themselves\n";
    EXPECT_GT(reports, 0);
  }

 private:
  std::string core_;
};

void RegisterAll() {
  const std::string external = kg::testing::ExternalDir(KG_EXTERNAL_DIR);
  const std::string core = std::filesystem::path(StrCat(external, "/", kSuitePath)).lexically_normal();
  const std::string manifest = StrCat(core, "/manifest.ttl");
  auto message = [](const std::string& name, std::string text, bool skip) {
    kg::testing::RegisterMessageTest("W3cShacl", name, std::move(text), skip);
  };
  if (!std::filesystem::exists(manifest)) {
    message("SuiteMissing",
            StrCat("the W3C SHACL test suite is not at ", manifest,
                   " (set KG_EXTERNAL_DIR to the folder holding w3c-shacl-tests/): not run"),
            true);
    return;
  }
  std::vector<Entry> entries;
  if (absl::Status s = ReadManifest(manifest, core, &entries); !s.ok()) {
    message("ManifestUnreadable", std::string(s.message()), false);
    return;
  }
  for (const Entry& e : entries) {
    ::testing::RegisterTest(StrCat("W3cShacl_", TestName(e.folder)).c_str(), TestName(e.name).c_str(),
                            nullptr, nullptr, __FILE__, __LINE__,
                            [=]() -> ::testing::Test* { return new EntryTest(e); });
  }
  ::testing::RegisterTest("W3cShaclSummary", "Counts", nullptr, nullptr, __FILE__, __LINE__,
                          [=]() -> ::testing::Test* { return new SummaryTest(entries); });
  ::testing::RegisterTest("W3cShaclSummary", "EveryFileValidatesItself", nullptr, nullptr, __FILE__,
                          __LINE__, [=]() -> ::testing::Test* { return new RobustnessTest(core); });
}

}  // namespace
}  // namespace kg::shacl

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  kg::shacl::RegisterAll();
  return RUN_ALL_TESTS();
}
