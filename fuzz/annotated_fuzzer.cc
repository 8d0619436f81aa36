// Fuzzes the annotated-text (.kga) path on one input file: the parser, the
// resolver against the core vocabulary plus the sample corpus's domain
// vocabulary, and, for documents that resolve, the store's write, check and
// delete. The same bytes are also read as a .kgv vocabulary file.
//
// Invariants beyond "no crash": a document ParseDocument accepts is one
// WriteDocument accepts, and the store checks clean afterwards.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "ingest/annotated/annotated_parser.h"
#include "ingest/diagnostics.h"
#include "ingest/annotated/ingest.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/store.h"

namespace {

using kg::ingest::Diagnostics;
using kg::ingest::Vocabulary;

struct State {
  Vocabulary vocab = Vocabulary::Core();
  std::unique_ptr<kg::Store> store;
};

State* state = nullptr;

void CheckStore(const char* when) {
  auto report = state->store->Check(/*verify_file_checksums=*/false);  // the indexes: cheap enough per input
  if (!report.ok()) kg::fuzz::Fail(std::string("Check failed ") + when, report.status().ToString());
  if (!report->ok()) kg::fuzz::Fail(std::string("store inconsistent ") + when, "Check() reports problems");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  state = new State();
  const std::string kgv = kg::fuzz::SourceDir() + "/examples/corpus/crink.kgv";
  std::ifstream in(kgv, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  Diagnostics diag(kgv, text);
  kg::ingest::ParsedFile parsed = kg::ingest::ParseAnnotated(text, &diag);
  state->vocab.AddDirectives(parsed.directives, &diag);
  if (text.empty() || !diag.ok()) kg::fuzz::Fail("cannot load " + kgv, diag.Format());
  state->store = kg::fuzz::OpenScratchStore();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // As a vocabulary file.
  {
    Diagnostics diag("fuzz.kgv", input);
    kg::ingest::ParsedFile parsed = kg::ingest::ParseAnnotated(input, &diag);
    const bool adds = std::any_of(parsed.directives.begin(), parsed.directives.end(),
                                  [](const kg::ingest::Directive& d) {
                                    return Vocabulary::IsEntryKeyword(d.keyword);
                                  });
    if (adds) {  // on a copy, as `kg ingest` does with a .kgv file
      Vocabulary candidate = state->vocab;
      candidate.AddDirectives(parsed.directives, &diag);
    } else if (!parsed.directives.empty()) {  // only errors: no copy of the vocabulary needed
      Vocabulary empty;
      empty.AddDirectives(parsed.directives, &diag);
    }
    (void)diag.Format();
  }

  // As a document.
  auto write = kg::ingest::ParseDocument("fuzz.kga", input, state->vocab);
  if (!write.ok()) return 0;
  absl::Status s = state->store->WriteDocument(*write);
  if (!s.ok()) {
    kg::fuzz::Violation("ParseDocument accepted a document WriteDocument rejects", s.ToString(),
                        input);
    return 0;
  }
  CheckStore("after WriteDocument");
  s = state->store->DeleteDocument(write->document.id);
  if (!s.ok()) kg::fuzz::Fail("DeleteDocument of a document just written failed", s.ToString());
  CheckStore("after DeleteDocument");
  kg::fuzz::ScratchStoreUsed(&state->store);
  return 0;
}
