// Byte coding of keys and ids: fixed-width big-endian integers, so that
// RocksDB's bytewise key order is numeric order. The one place keys and ids
// are turned into bytes and back (records use cereal, kg/codec.h).
#ifndef KG_CODING_H_
#define KG_CODING_H_

#include <cstdint>
#include <string>

namespace kg {

// Appends the low `n` bytes of `v`, most significant first (1 <= n <= 8).
inline void PutBigEndian(std::string* out, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}
// Writes the low `n` bytes of `v` at `p`, most significant first.
inline void StoreBigEndian(uint8_t* p, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * (n - 1 - i)));
}
// Reads `n` bytes at `p` as a big-endian number.
inline uint64_t LoadBigEndian(const void* p, int n) {
  const auto* b = static_cast<const uint8_t*>(p);
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | b[i];
  return v;
}

inline void PutFixed32BE(std::string* out, uint32_t v) { PutBigEndian(out, v, 4); }
inline void PutFixed64BE(std::string* out, uint64_t v) { PutBigEndian(out, v, 8); }
inline uint32_t GetFixed32BE(const char* p) {
  return static_cast<uint32_t>(LoadBigEndian(p, 4));
}
inline uint64_t GetFixed64BE(const char* p) { return LoadBigEndian(p, 8); }

}  // namespace kg

#endif  // KG_CODING_H_
