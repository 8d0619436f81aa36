// SHACL validation of a kg store's claims (ValidateStore) and of RDF files,
// and the `kg shacl` entry points' output and exit codes.
#include <fstream>
#include <sstream>
#include <string>

#include "cli/shacl_command.h"
#include "gtest/gtest.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "shacl/shacl.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg::shacl {
namespace {

using ::kg::testing::DocBuilder;
using ::kg::testing::TempDir;

constexpr std::string_view kShapes = R"(
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kge: <https://w3id.org/kg/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
# Whoever supplies something supplies an entity, and says how many at most once.
kge:Supplier a sh:NodeShape ;
  sh:targetSubjectsOf kge:supplied ;
  sh:property [ sh:path kge:supplied ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path kge:quantity ; sh:maxCount 1 ; sh:datatype xsd:integer ] .
)";

void WriteFile(const std::string& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

class StoreValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Sub("db");
    auto store = Store::Open(db_, StoreOptions{});
    ASSERT_TRUE(store.ok()) << store.status();
    DocBuilder doc("report-1");
    doc.Claim("Iran", "supplied", "ShahedDrone")
        .Claim(Term::Entity("Iran"), Term::Entity("quantity"), Term::Integer(2700), "2,700 a month")
        .Claim(Term::Entity("Iran"), Term::Entity("quantity"), Term::Integer(3000), "3,000 a month")
        .Claim(Term::Entity("NorthKorea"), Term::Entity("supplied"), Term::String("shells"),
               "North Korea supplied shells");
    ASSERT_TRUE((*store)->WriteDocument(doc.Build()).ok());
    shapes_ = dir_.Sub("shapes.ttl");
    WriteFile(shapes_, kShapes);
  }

  TempDir dir_;
  std::string db_, shapes_;
};

TEST_F(StoreValidationTest, ClaimsAreTheDataGraph) {
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(db_, options);
  ASSERT_TRUE(store.ok()) << store.status();
  auto pool = std::make_shared<TermPool>();
  absl::StatusOr<Shapes> shapes = ReadShapesFile(shapes_, pool);
  ASSERT_TRUE(shapes.ok()) << shapes.status();
  std::unique_ptr<Snapshot> snap = (*store)->NewSnapshot();
  absl::StatusOr<Report> report = ValidateStore(*snap, *shapes);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->results.size(), 2u);
  std::vector<std::string> seen;
  for (const ValidationResult& r : report->results) {
    seen.push_back(StrCat(pool->term(r.focus).value, " ", ComponentIri(r.component)));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "https://w3id.org/kg/entity/Iran http://www.w3.org/ns/shacl#MaxCountConstraintComponent",
                      "https://w3id.org/kg/entity/NorthKorea http://www.w3.org/ns/shacl#NodeKindConstraintComponent"}));
}

TEST_F(StoreValidationTest, CommandExitCodes) {
  std::ostringstream out, err;
  EXPECT_EQ(cli::RunShaclCheckStore(db_, shapes_, "json", out, err), 1) << err.str();
  EXPECT_NE(out.str().find("\"conforms\":false"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("kge:NorthKorea"), std::string::npos) << out.str();

  // Shapes the store satisfies.
  const std::string lenient = dir_.Sub("lenient.ttl");
  WriteFile(lenient,
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "<https://w3id.org/kg/entity/S> sh:targetSubjectsOf <https://w3id.org/kg/entity/supplied> ;\n"
            "  sh:property [ sh:path <https://w3id.org/kg/entity/supplied> ; sh:minCount 1 ] .\n");
  std::ostringstream ttl, err2;
  EXPECT_EQ(cli::RunShaclCheckStore(db_, lenient, "ttl", ttl, err2), 0) << err2.str();
  EXPECT_NE(ttl.str().find("sh:conforms true"), std::string::npos) << ttl.str();

  // A syntax error in the shapes: exit 2, positioned.
  const std::string bad = dir_.Sub("bad.ttl");
  WriteFile(bad, "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<s> sh:minCount .\n");
  std::ostringstream out3, err3;
  EXPECT_EQ(cli::RunShaclCheckStore(db_, bad, "ttl", out3, err3), 2);
  EXPECT_NE(err3.str().find("bad.ttl:2:"), std::string::npos) << err3.str();
  EXPECT_TRUE(out3.str().empty());

  std::ostringstream out4, err4;
  EXPECT_EQ(cli::RunShaclCheckStore(db_, shapes_, "xml", out4, err4), 2);
  EXPECT_NE(err4.str().find("unknown report format 'xml'"), std::string::npos);
  std::ostringstream out5, err5;
  EXPECT_EQ(cli::RunShaclCheckStore(dir_.Sub("no-such-db"), shapes_, "ttl", out5, err5), 2);
  EXPECT_FALSE(err5.str().empty());
}

TEST_F(StoreValidationTest, CheckFileBeforeImport) {
  const std::string good = dir_.Sub("good.nt");
  WriteFile(good,
            "<https://w3id.org/kg/entity/Iran> <https://w3id.org/kg/entity/supplied> "
            "<https://w3id.org/kg/entity/ShahedDrone> .\n");
  std::ostringstream out, err;
  EXPECT_EQ(cli::RunShaclCheckFile(good, shapes_, "json", out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "{\"conforms\":true,\"results\":[]}\n");

  const std::string bad = dir_.Sub("bad.ttl");
  WriteFile(bad,
            "@prefix kge: <https://w3id.org/kg/entity/> .\n"
            "kge:Iran kge:supplied \"drones\" .\n"
            "kge:Iran kge:supplied .\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::RunShaclCheckFile(bad, shapes_, "json", out2, err2), 2);
  EXPECT_NE(err2.str().find("bad.ttl:3:"), std::string::npos) << err2.str();

  const std::string missing = dir_.Sub("missing.nt");
  std::ostringstream out3, err3;
  EXPECT_EQ(cli::RunShaclCheckFile(missing, shapes_, "json", out3, err3), 2);
  EXPECT_NE(err3.str().find("missing.nt"), std::string::npos) << err3.str();
}

}  // namespace
}  // namespace kg::shacl
