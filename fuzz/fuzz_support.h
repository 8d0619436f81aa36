// Shared helpers of the libFuzzer harnesses: a scratch store in a temporary
// directory that lives as long as the fuzzing process, and the repository
// root (for the sample corpus the query harness loads).
#ifndef KG_FUZZ_FUZZ_SUPPORT_H_
#define KG_FUZZ_FUZZ_SUPPORT_H_

#include <memory>
#include <string>
#include <string_view>

#include "kg/store.h"

namespace kg::fuzz {

// Opens a new, empty store (sync_writes off) in a fresh temporary directory
// that is removed when the process exits. Aborts on failure: a harness
// without its store cannot run.
std::unique_ptr<Store> OpenScratchStore();

// For harnesses that write and delete a document per input: call after each
// such use of `*store` (made by OpenScratchStore). Every 100 uses it replaces
// the store with a new empty one and removes the old one's directory:
// deletions leave tombstones that every later scan (Check reads every column
// family) steps over, so without it the runs slow down as they pile up
// (brat harness, 150,000 runs from the seeds: 86 CPU-s renewing every 500
// uses, 62 every 100; opening a store costs more than that saves below ~50).
void ScratchStoreUsed(std::unique_ptr<Store>* store);

// The repository root: $KG_SOURCE_DIR, else the directory CMake configured.
std::string SourceDir();

// Prints `what` and `detail` to stderr and aborts, so libFuzzer saves the
// input that broke an invariant.
[[noreturn]] void Fail(const std::string& what, const std::string& detail);

// A broken contract between modules (say, the loader produced a document
// the store rejects): aborts like Fail() when $KG_FUZZ_STRICT is set;
// otherwise prints the first few distinct messages, saves `input` as
// $KG_FUZZ_VIOLATIONS/<what>-<n> when that directory is set, and lets
// fuzzing go on, so one common mismatch does not hide crashes behind it.
void Violation(const std::string& what, const std::string& detail, std::string_view input);

}  // namespace kg::fuzz

#endif  // KG_FUZZ_FUZZ_SUPPORT_H_
