#include "kg/info_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace kg {

InfoLog::InfoLog(std::string path)
    : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

InfoLog::~InfoLog() {
  if (fd_ >= 0) ::close(fd_);
}

void InfoLog::Logv(const char* format, va_list ap) {
  char line[4096];
  timeval now;
  gettimeofday(&now, nullptr);
  tm t;
  localtime_r(&now.tv_sec, &t);
  int n = std::snprintf(line, sizeof line, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ",
                        t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                        static_cast<long>(now.tv_usec));
  va_list copy;
  va_copy(copy, ap);
  const int m = std::vsnprintf(line + n, sizeof line - n - 1, format, copy);
  va_end(copy);
  // A longer message is cut: the log is for people reading it, not for
  // recovery.
  n = m < 0 ? n : std::min<int>(n + m, sizeof line - 2);
  if (line[n - 1] != '\n') line[n++] = '\n';
  std::lock_guard<std::mutex> lock(mu_);
  // A failed write (a full disk) loses the line and nothing else.
  if (fd_ >= 0) (void)!::write(fd_, line, n);
}

void InfoLog::RotateIfLarger(uint64_t max_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  struct stat st;
  if (fd_ < 0 || ::fstat(fd_, &st) != 0 || static_cast<uint64_t>(st.st_size) <= max_bytes) return;
  const std::string old = path_ + ".old";
  if (std::rename(path_.c_str(), old.c_str()) != 0) return;
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;  // keep writing to the renamed file
  ::close(fd_);
  fd_ = fd;
}

}  // namespace kg
