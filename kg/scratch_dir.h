// A private directory under the system's temporary directory, made with
// mkdtemp and removed with everything in it when the object goes: for a
// follower's log files, an uploaded file, a dry run's empty store.
#ifndef KG_SCRATCH_DIR_H_
#define KG_SCRATCH_DIR_H_

#include <string>
#include <string_view>

namespace kg {

class ScratchDir {
 public:
  // `prefix` starts the directory's name ("kg-upload-" -> kg-upload-XXXXXX).
  explicit ScratchDir(std::string_view prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Empty if the directory could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace kg

#endif  // KG_SCRATCH_DIR_H_
