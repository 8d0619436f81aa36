// Byte coding of keys and ids: fixed-width big-endian integers, so that
// RocksDB's bytewise key order is numeric order. The one place keys and ids
// are turned into bytes and back (records use cereal, kg/codec.h).
#ifndef KG_CODING_H_
#define KG_CODING_H_

#include <cstdint>
#include <string>
#include <string_view>

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

// Variable-length unsigned integers: 7 bits per byte, least significant
// first, the high bit set on every byte but the last (as LevelDB's varint).
inline void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
// Reads a varint at the start of `*in` and removes it; false if `*in` does
// not start with one (truncated, or longer than 10 bytes).
inline bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < in->size() && i < 10; ++i) {
    const auto byte = static_cast<uint8_t>((*in)[i]);
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      *v = result;
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace kg

#endif  // KG_CODING_H_
