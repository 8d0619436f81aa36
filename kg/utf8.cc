#include "kg/utf8.h"

namespace kg {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if (!IsContinuation(s[i + k])) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

uint64_t CountCodePoints(std::string_view text) {
  uint64_t count = 0;
  for (char ch : text) {
    if (!IsContinuation(static_cast<unsigned char>(ch))) ++count;
  }
  return count;
}

std::optional<size_t> CodePointToByte(std::string_view text, uint64_t cp) {
  uint64_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (seen == cp) return i;
    ++seen;
  }
  if (seen == cp) return text.size();
  return std::nullopt;
}

std::optional<std::string_view> SliceCodePoints(std::string_view text,
                                                uint64_t start, uint64_t end) {
  if (start > end) return std::nullopt;
  auto b = CodePointToByte(text, start);
  if (!b) return std::nullopt;
  auto e = CodePointToByte(text.substr(*b), end - start);
  if (!e) return std::nullopt;
  return text.substr(*b, *e);
}

CodePointIndex::CodePointIndex(std::string_view text) : text_(text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (code_points_ % kStride == 0) samples_.push_back(i);
    ++code_points_;
  }
}

std::optional<size_t> CodePointIndex::ToByte(uint64_t cp) const {
  if (cp > code_points_) return std::nullopt;
  if (cp == code_points_) return text_.size();
  size_t byte = samples_[cp / kStride];
  for (uint64_t k = cp % kStride; k > 0; --k) {
    ++byte;
    while (byte < text_.size() && IsContinuation(static_cast<unsigned char>(text_[byte]))) ++byte;
  }
  return byte;
}

std::optional<std::string_view> CodePointIndex::Slice(uint64_t start, uint64_t end) const {
  if (start > end) return std::nullopt;
  auto b = ToByte(start);
  auto e = ToByte(end);
  if (!b || !e) return std::nullopt;
  return text_.substr(*b, *e - *b);
}

}  // namespace kg
