// The W3C test suites' manifests (mf:entries of rdft: / mf: tests) read
// with kg's own Turtle reader, and their entries registered as GoogleTests:
// one test per entry, named after it, in the suite its manifest names, and
// a <summary>.PassCounts test that reruns them all and prints pass counts
// per manifest. Used by the N-Triples / N-Quads and the Turtle conformance
// tests (tests/ingest/w3c_*_test.cc).
#ifndef KG_TESTS_SUPPORT_W3C_SUITE_H_
#define KG_TESTS_SUPPORT_W3C_SUITE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kg::testing {

struct W3cEntry {
  std::string manifest;  // the manifest's path
  std::string id;        // the entry's IRI
  std::string type;      // local name of its rdf:type, e.g. "TestTurtleEval"
  std::string action;    // mf:action as a path
  std::string result;    // mf:result as a path, "" if none
  std::string base;      // the URL the suite publishes the action file at
};

// A manifest (a path under the external folder) and the GoogleTest suite
// its entries go to.
struct W3cManifest {
  const char* path;
  const char* suite;
};

// What running one entry gave; `kind` names the entry's kind in the
// summary ("positive", "negative", "eval", ...), "" for an entry the
// harness does not know, which fails.
struct W3cOutcome {
  bool pass = false;
  std::string detail;  // why it failed; for a negative test, the error
  std::string kind;
};

// Judges what parsing `e.action` gave (`error`: the reader's formatted
// error, if any, at `line`:`col`) for a test of kind `o->kind`: a negative
// test passes when the file was rejected at a position, any other fails when
// it was rejected. Returns whether a test of another kind goes on to check
// what it read.
bool JudgeParse(const W3cEntry& e, const std::optional<std::string>& error,
                int line, int col, W3cOutcome* o);

// Registers the tests of `manifests` under `external_dir`, and
// `summary_suite`.PassCounts. Without `external_dir`/`folder`, a single
// skipped test says so.
void RegisterW3cTests(const std::string& external_dir,
                      const std::string& folder,
                      const std::vector<W3cManifest>& manifests,
                      const std::string& summary_suite,
                      std::function<W3cOutcome(const W3cEntry&)> run);

// Registers `suite`.`name`, a test that only reports `message`: skipped
// when `skip`, else failed (a missing suite, an unreadable manifest).
void RegisterMessageTest(const std::string& suite, const std::string& name,
                         std::string message, bool skip);

// The directory of the third-party data: $KG_EXTERNAL_DIR, else `fallback`.
std::string ExternalDir(const char* fallback);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_W3C_SUITE_H_
