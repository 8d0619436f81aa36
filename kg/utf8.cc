#include "kg/utf8.h"

#include <algorithm>
#include <string>

namespace kg {

char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  const size_t i = *pos;
  const unsigned char c = static_cast<unsigned char>(text[i]);
  *pos = i + 1;  // where an invalid sequence leaves the cursor
  if (c < 0x80) return c;
  size_t len;
  char32_t cp;
  char32_t min;  // the least value that needs `len` bytes
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return kInvalidUtf8;  // a continuation byte, C0, C1 or F5..FF
  }
  if (len > text.size() - i) return kInvalidUtf8;
  for (size_t k = 1; k < len; ++k) {
    if (!IsUtf8Continuation(text[i + k])) return kInvalidUtf8;
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalidUtf8;
  *pos = i + len;
  return cp;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t at = i;
    if (DecodeUtf8(text, &i) == kInvalidUtf8) return at;
  }
  return std::nullopt;
}

uint64_t CountCodePoints(std::string_view text) {
  uint64_t count = 0;
  for (char ch : text) {
    if (!IsUtf8Continuation(ch)) ++count;
  }
  return count;
}

std::optional<size_t> CodePointToByte(std::string_view text, uint64_t cp) {
  uint64_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsUtf8Continuation(text[i])) continue;
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
    if (IsUtf8Continuation(text[i])) continue;
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
    while (byte < text_.size() && IsUtf8Continuation(text_[byte])) ++byte;
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

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Whether a sentence ends just before byte `i` (text[i] is white space).
bool EndsBefore(std::string_view text, size_t i) {
  if (i == 0 || i >= text.size() || !IsSpace(text[i])) return false;
  // A blank line.
  if (text[i] == '\n') {
    for (size_t k = i + 1; k < text.size() && IsSpace(text[k]); ++k) {
      if (text[k] == '\n') return true;
    }
  }
  // '.', '!' or '?', then closers.
  size_t k = i;
  while (k > 0) {
    const char c = text[k - 1];
    if (c == '.' || c == '!' || c == '?') return true;
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
      --k;
    } else if (k >= 3 && (text.substr(k - 3, 3) == "\u201d" || text.substr(k - 3, 3) == "\u2019")) {
      k -= 3;
    } else {
      return false;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> SentenceAround(std::string_view text, uint64_t start, uint64_t end,
                                          size_t limit) {
  const std::optional<size_t> b0 = CodePointToByte(text, start);
  const std::optional<size_t> b1 = CodePointToByte(text, end);
  if (!b0 || !b1 || *b0 > *b1) return std::nullopt;
  // Back from the span to the end of the sentence before it.
  size_t from = *b0;
  const size_t floor = *b0 > limit ? *b0 - limit : 0;
  while (from > floor && !EndsBefore(text, from - 1)) --from;
  if (from == floor && floor > 0) {
    while (from < *b0 && !IsSpace(text[from])) ++from;  // a whole word
  }
  // On from the span to the end of its sentence.
  size_t to = *b1;
  const size_t ceiling = std::min(text.size(), *b1 + limit);
  while (to < ceiling && !EndsBefore(text, to)) ++to;
  if (to == ceiling && ceiling < text.size()) {
    while (to > *b1 && !IsSpace(text[to - 1])) --to;
  }
  // Keep whole code points: step off continuation bytes.
  while (from < *b0 && IsUtf8Continuation(text[from])) ++from;
  while (to > *b1 && to < text.size() && IsUtf8Continuation(text[to])) {
    --to;
  }
  while (from < to && IsSpace(text[from])) ++from;
  while (to > from && IsSpace(text[to - 1])) --to;
  return std::string(text.substr(from, to - from));
}

}  // namespace kg
