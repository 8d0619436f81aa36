// For lsan_suppression_test.py (sanitizer builds only): a thread that has
// constructed a thread_local with a destructor is still running when the
// process exits, so glibc's node for that destructor (calloc'ed in
// __cxa_thread_atexit_impl) is reachable only from the thread's TLS. With
// `leak` as argument it also leaks a block of its own.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace {

// No heap memory of its own (use_tls=0 would report that too): only the
// destructor, which glibc registers.
struct WithDestructor {
  volatile int value = 1;
  ~WithDestructor() { value = 0; }
};
thread_local WithDestructor per_thread;

std::atomic<bool> ready{false};
void* volatile own_block = nullptr;

}  // namespace

int main(int argc, char** argv) {
  std::thread t([] {
    per_thread.value = 2;
    ready = true;
    pause();
  });
  t.detach();
  while (!ready) usleep(1000);
  if (argc > 1 && std::strcmp(argv[1], "leak") == 0) {
    own_block = std::malloc(48);
    own_block = nullptr;
  }
  std::exit(0);
}
