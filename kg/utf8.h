// UTF-8 helpers. Offsets into document text are counted in Unicode code
// points (scalar values), the unit brat and most annotation tools use; these
// functions convert between code-point offsets and byte offsets.
#ifndef KG_UTF8_H_
#define KG_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kg {

// Returns the byte offset of the first invalid UTF-8 sequence in `text`
// (overlong forms, surrogates and values above U+10FFFF are invalid), or
// nullopt if `text` is entirely valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Number of code points in `text`. REQUIRES: `text` is valid UTF-8.
uint64_t CountCodePoints(std::string_view text);

// Byte offset of code point number `cp` in `text` (cp == CountCodePoints(text)
// gives text.size()), or nullopt if `text` has fewer code points.
// REQUIRES: `text` is valid UTF-8.
std::optional<size_t> CodePointToByte(std::string_view text, uint64_t cp);

// The substring of `text` between code points [start, end), or nullopt if the
// range is empty-inverted or extends past the end.
std::optional<std::string_view> SliceCodePoints(std::string_view text,
                                                uint64_t start, uint64_t end);

}  // namespace kg

#endif  // KG_UTF8_H_
