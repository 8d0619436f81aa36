// Fuzzes SHACL Core (shacl/): the input is read as Turtle and used both as
// the shapes graph and as the data graph, the way the W3C suite's files
// are, then validated, and the report written as Turtle and JSON.
//
// Invariants beyond "no crash, no hang": a shapes graph is either parsed or
// refused with InvalidArgument or Unimplemented (never an internal error),
// and the Turtle report reads again as Turtle.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "shacl/graph.h"
#include "shacl/report.h"
#include "shacl/shapes.h"
#include "shacl/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (64 << 10)) return 0;  // paths and lists over a large graph: slow, not deeper
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pool = std::make_shared<kg::shacl::TermPool>();
  kg::shacl::Graph graph(pool);
  if (!kg::shacl::ReadTurtleText(text, "fuzz.ttl", "http://example.org/base/", "s_", &graph)
           .ok()) {
    return 0;
  }
  graph.Finish();
  absl::StatusOr<kg::shacl::Shapes> shapes = kg::shacl::ParseShapes(graph, "fuzz.ttl");
  if (!shapes.ok()) {
    if (!absl::IsInvalidArgument(shapes.status()) && !absl::IsUnimplemented(shapes.status())) {
      kg::fuzz::Fail("shapes refused with an unexpected code", shapes.status().ToString());
    }
    return 0;
  }
  const kg::shacl::Report report = kg::shacl::Validate(graph, *shapes);
  std::ostringstream ttl, json;
  kg::shacl::WriteReportTurtle(report, ttl);
  kg::shacl::WriteReportJson(report, json);
  kg::shacl::Graph reread(std::make_shared<kg::shacl::TermPool>());
  if (absl::Status s = kg::shacl::ReadTurtleText(ttl.str(), "report.ttl", "", "r_", &reread);
      !s.ok()) {
    kg::fuzz::Violation("the Turtle report does not read back", s.ToString() + "\n" + ttl.str(),
                        text);
  }
  return 0;
}
