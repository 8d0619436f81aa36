// Fuzzes the brat standoff parser (ParseBrat) with the built-in mapping.
// The input is the .txt content, a NUL byte, then the .ann content (no NUL:
// all of it is the .ann, against an empty .txt). Documents that parse are
// written to a scratch store, checked and deleted again.
//
// Invariant beyond "no crash": a document ParseBrat accepts is one
// WriteDocument accepts (its quotes equal their spans), and the store
// checks clean afterwards.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "ingest/brat/brat_import.h"
#include "ingest/diagnostics.h"
#include "kg/store.h"

namespace {

kg::ingest::BratMapping* mapping = nullptr;
std::unique_ptr<kg::Store>* store = nullptr;

void CheckStore(const char* when) {
  auto report = (*store)->Check(/*verify_file_checksums=*/false);  // the indexes: cheap enough per input
  if (!report.ok()) kg::fuzz::Fail(std::string("Check failed ") + when, report.status().ToString());
  if (!report->ok()) kg::fuzz::Fail(std::string("store inconsistent ") + when, "Check() reports problems");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mapping = new kg::ingest::BratMapping(kg::ingest::BratMapping::Builtin());
  store = new std::unique_ptr<kg::Store>(kg::fuzz::OpenScratchStore());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string_view txt = nul == std::string_view::npos ? "" : input.substr(0, nul);
  const std::string_view ann = nul == std::string_view::npos ? input : input.substr(nul + 1);

  // The mapping-file parser, on the .ann bytes.
  {
    kg::ingest::Diagnostics diag("fuzz.map", ann);
    (void)kg::ingest::BratMapping::Parse(ann, &diag);
  }

  kg::ingest::Diagnostics txt_diag("fuzz.txt", txt), ann_diag("fuzz.ann", ann);
  auto write = kg::ingest::ParseBrat("fuzz", txt, ann, *mapping, &txt_diag, &ann_diag);
  (void)txt_diag.Format();
  (void)ann_diag.Format();
  if (!write) return 0;
  absl::Status s = (*store)->WriteDocument(*write);
  if (!s.ok()) {
    kg::fuzz::Violation("ParseBrat accepted a document WriteDocument rejects", s.ToString(),
                        input);
    return 0;
  }
  CheckStore("after WriteDocument");
  s = (*store)->DeleteDocument(write->document.id);
  if (!s.ok()) kg::fuzz::Fail("DeleteDocument of a document just written failed", s.ToString());
  CheckStore("after DeleteDocument");
  kg::fuzz::ScratchStoreUsed(store);
  return 0;
}
