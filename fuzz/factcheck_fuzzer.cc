// Fuzzes the fact-check importers: ClaimReview (JSON-LD, HTML pages with
// JSON-LD blocks, JSON lines) and FEVER JSON lines. The first byte picks the
// reader ('h' page, 'l' JSON lines, 'f' FEVER, anything else JSON-LD); the
// rest is the file's content. Reviews are imported into a scratch store.
//
// Invariants beyond "no crash": a FEVER file that ParseFever accepts is one
// WriteDocument accepts; whatever the ClaimReview importer writes leaves a
// store that checks clean; no exception escapes (nlohmann throws on misuse).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "ingest/claimreview/claimreview.h"
#include "ingest/diagnostics.h"
#include "ingest/factcheck.h"
#include "ingest/fever/fever.h"
#include "kg/store.h"

namespace {

std::unique_ptr<kg::Store>* store = nullptr;
std::string* dir = nullptr;

void CheckStore(const char* when) {
  auto report = (*store)->Check(/*verify_file_checksums=*/false);
  if (!report.ok()) kg::fuzz::Fail(std::string("Check failed ") + when, report.status().ToString());
  if (!report->ok()) kg::fuzz::Fail(std::string("store inconsistent ") + when, "Check() reports problems");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  store = new std::unique_ptr<kg::Store>(kg::fuzz::OpenScratchStore());
  char tmpl[] = "/tmp/kg-factcheck-fuzz-XXXXXX";
  dir = new std::string(mkdtemp(tmpl));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char mode = static_cast<char>(data[0]);
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (mode == 'f') {
    auto snap = (*store)->NewSnapshot();
    auto vocab = kg::ingest::FactCheckVocabulary::Load(*snap);
    if (!vocab.ok()) kg::fuzz::Fail("FactCheckVocabulary::Load failed", vocab.status().ToString());
    kg::ingest::Diagnostics diag("fuzz.jsonl", content);
    std::vector<std::string> notes;
    kg::ingest::FeverSummary summary;
    auto write = kg::ingest::ParseFever("fuzz.jsonl", content, *vocab, &diag, &notes, &summary);
    (void)diag.Format();
    if (!write) return 0;
    absl::Status s = (*store)->WriteDocument(*write);
    if (!s.ok()) {
      kg::fuzz::Violation("ParseFever accepted a document WriteDocument rejects", s.ToString(),
                          content);
      return 0;
    }
    CheckStore("after a FEVER write");
    kg::fuzz::ScratchStoreUsed(store);
    return 0;
  }
  const std::string path = *dir + (mode == 'h' ? "/in.html" : mode == 'l' ? "/in.jsonl" : "/in.jsonld");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }
  std::ostringstream err;
  auto summary = kg::ingest::ImportClaimReviews(**store, {path}, {}, err);
  if (!summary.ok()) kg::fuzz::Fail("ImportClaimReviews failed on the store", summary.status().ToString());
  if (summary->reviews > 0) CheckStore("after a ClaimReview import");
  std::remove(path.c_str());
  kg::fuzz::ScratchStoreUsed(store);
  return 0;
}
