#include "kg/scratch_dir.h"

#include <stdlib.h>

#include <filesystem>

namespace kg {

ScratchDir::ScratchDir(std::string_view prefix) {
  std::error_code ec;
  std::string dir =
      (std::filesystem::temp_directory_path(ec) / (std::string(prefix) + "XXXXXX")).string();
  if (!ec && mkdtemp(dir.data()) != nullptr) path_ = dir;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace kg
