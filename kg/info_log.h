// RocksDB's diagnostic log (the LOG file in a store directory), for stores
// opened for writing. Private to kg/*.cc.
//
// RocksDB's own logger writes through a WritableFileWriter that, once a
// write has failed -- a full disk -- aborts the process on the next message
// in Debian's librocksdb, which is built with assertions; and the next
// message is the one reporting the full disk. This one writes each line with
// write(2) and drops lines it cannot write, so a full disk costs log lines,
// never the process (tests/reliability/faults_test.py, disk full).
#ifndef KG_INFO_LOG_H_
#define KG_INFO_LOG_H_

#include <cstdarg>
#include <cstdint>
#include <mutex>
#include <string>

#include "rocksdb/env.h"

namespace kg {

class InfoLog final : public rocksdb::Logger {
 public:
  // Appends to the file at `path`, creating it; logs nothing if it cannot
  // be opened (a read-only directory).
  explicit InfoLog(std::string path);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;

  // If the file has grown past `max_bytes`, renames it to PATH.old
  // (replacing an older one) and starts a new one. REQUIRES: the caller
  // holds the store's write lock, so no other process writes to the file.
  void RotateIfLarger(uint64_t max_bytes);

 private:
  std::mutex mu_;
  const std::string path_;
  int fd_ = -1;
};

}  // namespace kg

#endif  // KG_INFO_LOG_H_
