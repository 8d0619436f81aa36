#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <vector>

namespace kg::fuzz {
namespace {

std::mutex dirs_mu;
std::vector<std::string>* dirs = nullptr;  // leaked on purpose: used at exit

void RemoveDirs() {
  std::lock_guard<std::mutex> lock(dirs_mu);
  if (dirs == nullptr) return;
  std::error_code ec;
  for (const auto& d : *dirs) std::filesystem::remove_all(d, ec);
}

}  // namespace

std::unique_ptr<Store> OpenScratchStore() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kg-fuzz-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) Fail("mkdtemp failed", tmpl);
  {
    std::lock_guard<std::mutex> lock(dirs_mu);
    if (dirs == nullptr) {
      dirs = new std::vector<std::string>();
      std::atexit(RemoveDirs);
    }
    dirs->push_back(tmpl);
  }
  StoreOptions options;
  options.sync_writes = false;
  auto store = Store::Open(tmpl + "/db", options);
  if (!store.ok()) Fail("cannot open scratch store", store.status().ToString());
  return *std::move(store);
}

void ScratchStoreUsed(std::unique_ptr<Store>* store) {
  static int uses = 0;
  if (++uses % 100 != 0) return;
  const std::string dir = std::filesystem::path((*store)->path()).parent_path().string();
  store->reset();
  bool ours = false;  // only a directory OpenScratchStore made is removed
  {
    std::lock_guard<std::mutex> lock(dirs_mu);
    ours = dirs != nullptr && std::erase(*dirs, dir) > 0;
  }
  if (ours) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  *store = OpenScratchStore();
}

std::string SourceDir() {
  const char* env = std::getenv("KG_SOURCE_DIR");
  return env != nullptr ? env : KG_SOURCE_DIR;
}

void Fail(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "kg fuzz invariant broken: %s\n%s\n", what.c_str(), detail.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace kg::fuzz

namespace kg::fuzz {

void Violation(const std::string& what, const std::string& detail, std::string_view input) {
  if (std::getenv("KG_FUZZ_STRICT") != nullptr) Fail(what, detail);
  static std::set<std::string>* seen = new std::set<std::string>();
  const std::string key = what + ": " + detail.substr(0, 60);
  if (seen->size() >= 20 || !seen->insert(key).second) return;
  std::fprintf(stderr, "kg fuzz contract violation (KG_FUZZ_STRICT=1 stops here): %s\n%s\n",
               what.c_str(), detail.c_str());
  if (const char* dir = std::getenv("KG_FUZZ_VIOLATIONS"); dir != nullptr) {
    std::string name;
    for (char c : what) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    const std::string path = std::string(dir) + "/" + name.substr(0, 60) + "-" +
                             std::to_string(getpid()) + "-" + std::to_string(seen->size());
    std::ofstream(path, std::ios::binary).write(input.data(), input.size());
    std::fprintf(stderr, "input saved as %s\n", path.c_str());
  }
}

}  // namespace kg::fuzz
