// UTF-8: the one decoder and encoder every module uses, and the helpers
// built on them. Offsets into document text are counted in Unicode code
// points (scalar values), the unit brat and most annotation tools use; these
// functions convert between code-point offsets and byte offsets.
#ifndef KG_UTF8_H_
#define KG_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg {

// What DecodeUtf8 returns for an invalid sequence: not a Unicode scalar
// value, so no decoded character is ever equal to it.
inline constexpr char32_t kInvalidUtf8 = 0xFFFFFFFF;

// Decodes the UTF-8 sequence that starts at text[*pos] and advances *pos
// past it. A sequence is valid when it is the shortest form of a Unicode
// scalar value: no overlong forms (a C0 or C1 lead, E0 then 80..9F, F0 then
// 80..8F), no surrogates U+D800..U+DFFF, nothing above U+10FFFF (F4 then
// 90..BF, or a lead F5..FF). On an invalid or truncated sequence, or a stray
// continuation byte, returns kInvalidUtf8 and advances *pos by one byte
// only, so a caller goes on from the next byte.
// REQUIRES: *pos < text.size().
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` (1 to 4 bytes) to `out`.
// REQUIRES: `cp` is a Unicode scalar value (not a surrogate, at most
// U+10FFFF).
void AppendUtf8(std::string* out, char32_t cp);

// Whether `c` is a continuation byte (10xxxxxx): one that does not start a
// code point. Counting the other bytes of valid UTF-8 counts code points.
inline bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Returns the byte offset of the first sequence in `text` that DecodeUtf8
// finds invalid, or nullopt if `text` is entirely valid.
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

// The sentence of `text` that holds code points [start, end) -- or the
// sentences, when the span crosses a boundary -- with surrounding white
// space trimmed. A sentence ends at '.', '!' or '?' (and any closing quotes
// or brackets after it) followed by white space, or at a blank line; an
// abbreviation such as "U.S." ends one too. At most `limit` bytes are taken
// either side of the span; past that the context stops at a space. nullopt
// if the span is not inside the text.
std::optional<std::string> SentenceAround(std::string_view text, uint64_t start, uint64_t end,
                                          size_t limit = 1000);

// Constant-time-ish code-point slicing of one text: remembers the byte
// offset of every 64th code point, so each slice walks at most 64 code
// points plus its own length. The text must outlive the index.
// REQUIRES: the text is valid UTF-8.
class CodePointIndex {
 public:
  explicit CodePointIndex(std::string_view text);
  uint64_t size() const { return code_points_; }
  std::optional<size_t> ToByte(uint64_t cp) const;
  std::optional<std::string_view> Slice(uint64_t start, uint64_t end) const;

 private:
  static constexpr uint64_t kStride = 64;
  std::string_view text_;
  uint64_t code_points_ = 0;
  std::vector<size_t> samples_;  // byte offset of code point k * kStride
};

}  // namespace kg

#endif  // KG_UTF8_H_
