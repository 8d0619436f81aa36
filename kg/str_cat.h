// String concatenation over std::string_view. Debian 12's Abseil is built
// with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0), so
// absl::StrCat does not accept std::string_view; this small equivalent takes
// both, plus strings, characters and integers.
#ifndef KG_STR_CAT_H_
#define KG_STR_CAT_H_

#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace kg {
namespace internal_str_cat {

inline void Append(std::string* out, std::string_view s) { out->append(s); }
inline void Append(std::string* out, absl::string_view s) {
  out->append(s.data(), s.size());
}
inline void Append(std::string* out, const std::string& s) { out->append(s); }
inline void Append(std::string* out, const char* s) { out->append(s); }
inline void Append(std::string* out, char c) { out->push_back(c); }
// A bool would silently become the character '\0' or '\1'; say what you mean.
void Append(std::string* out, bool b) = delete;
template <std::integral T>
  requires(!std::same_as<T, char> && !std::same_as<T, bool>)
void Append(std::string* out, T v) {
  out->append(std::to_string(v));
}

}  // namespace internal_str_cat

template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  (internal_str_cat::Append(out, args), ...);
}

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  StrAppend(&out, args...);
  return out;
}

}  // namespace kg

#endif  // KG_STR_CAT_H_
