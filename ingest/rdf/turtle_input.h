// The character source of the Turtle / TriG parser (turtle.cc): a sliding
// window over a stream with one-byte lookahead at any distance, line and
// column tracking (columns count code points), and the text of the current
// line for error reports. Memory: the window keeps the current line (up to
// kKeepLine bytes of it) plus what the parser is looking at; it never holds
// the whole input. Private to the Turtle reader.
#ifndef KG_INGEST_RDF_TURTLE_INPUT_H_
#define KG_INGEST_RDF_TURTLE_INPUT_H_

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "ingest/diagnostics.h"

namespace kg::ingest {

class TurtleInput {
 public:
  explicit TurtleInput(std::istream& in) : in_(in) {}

  // The byte `k` past the cursor (0..255), or -1 past the end of input.
  int Peek(size_t k = 0) {
    if (pos_ + k >= buf_.size() && !Fill(pos_ + k + 1)) return -1;
    return static_cast<unsigned char>(buf_[pos_ + k]);
  }
  // The code point `k` bytes past the cursor and its length in bytes (1 for
  // an invalid sequence, which decodes to kInvalidUtf8); -1 past the end.
  int64_t PeekChar(size_t k, size_t* len);

  // Moves past `n` bytes, none of which is '\n'.
  void Advance(size_t n = 1) { pos_ += n; }
  // Moves past one byte, counting a line if it is '\n'.
  void AdvanceOne() {
    if (buf_[pos_] == '\n') {
      ++pos_;
      NewLine();
    } else {
      ++pos_;
    }
  }

  // The bytes from the cursor up to the first byte for which `stop` is true
  // (or the end of input): appended to `out` and passed. They must not
  // contain '\n' unless `stop` stops there.
  template <typename Stop>
  void TakeUntil(Stop stop, std::string* out) {
    while (true) {
      if (pos_ >= buf_.size() && !Fill(pos_ + 1)) return;
      size_t i = pos_;
      while (i < buf_.size() && !stop(static_cast<unsigned char>(buf_[i]))) ++i;
      out->append(buf_, pos_, i - pos_);
      pos_ = i;
      if (i < buf_.size()) return;
    }
  }

  // Whether reading failed (corrupt compressed input).
  bool read_error() const { return read_error_; }

  // Position of the cursor.
  Pos Here() {
    return {static_cast<int>(line_), static_cast<int>(ColAt(Abs()))};
  }
  int64_t line() const { return line_; }

  // The current line (up to 300 bytes of it), without its end; "" when it
  // is longer or no longer at hand.
  std::string CurrentLine();

 private:
  // Reads until buf_ holds `end` bytes; false at the end of input.
  bool Fill(size_t end);
  void NewLine() {
    ++line_;
    line_abs_ = Abs();
    col_abs_ = line_abs_;
    col_ = 1;
  }
  uint64_t Abs() const { return base_abs_ + pos_; }
  // Column of absolute offset `abs` on the current line.
  int64_t ColAt(uint64_t abs);

  static constexpr size_t kChunk = 1 << 18;
  static constexpr size_t kKeepLine = 1 << 16;

  std::istream& in_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t base_abs_ = 0;  // offset of buf_[0] in the input
  bool eof_ = false;
  bool read_error_ = false;
  int64_t line_ = 1;
  uint64_t line_abs_ = 0;  // offset where the current line starts
  uint64_t col_abs_ = 0;   // an offset on the current line whose column is col_
  int64_t col_ = 1;
};

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_TURTLE_INPUT_H_
