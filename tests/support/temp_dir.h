// A fresh directory under the system temp dir, removed when destroyed.
#ifndef KG_TESTS_SUPPORT_TEMP_DIR_H_
#define KG_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace kg::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_TEMP_DIR_H_
