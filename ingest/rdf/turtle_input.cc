#include "ingest/rdf/turtle_input.h"

#include "kg/utf8.h"

namespace kg::ingest {

bool TurtleInput::Fill(size_t end) {
  while (buf_.size() < end) {
    if (eof_) return false;
    // Drop what lies behind both the cursor and the start of the current
    // line (unless the line is too long to keep for error reports).
    size_t keep = pos_;
    if (line_abs_ >= base_abs_ && Abs() - line_abs_ <= kKeepLine)
      keep = line_abs_ - base_abs_;
    if (keep >= kChunk / 2) {
      if (col_abs_ < base_abs_ + keep) ColAt(base_abs_ + keep);
      buf_.erase(0, keep);
      base_abs_ += keep;
      pos_ -= keep;
      end -= keep;
    }
    const size_t old = buf_.size();
    buf_.resize(old + kChunk);
    in_.read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
    const auto got = static_cast<size_t>(in_.gcount());
    buf_.resize(old + got);
    if (in_.bad()) read_error_ = true;
    if (got == 0 || !in_) eof_ = true;
  }
  return true;
}

int64_t TurtleInput::PeekChar(size_t k, size_t* len) {
  if (Peek(k) < 0) return -1;
  Fill(pos_ + k + 4);  // a whole sequence, if the input has it
  size_t at = pos_ + k;
  const char32_t c = DecodeUtf8(buf_, &at);
  *len = at - (pos_ + k);
  return c;
}

int64_t TurtleInput::ColAt(uint64_t abs) {
  if (abs < col_abs_) {
    if (line_abs_ < base_abs_) return col_;  // the line's start is gone
    col_abs_ = line_abs_;
    col_ = 1;
  }
  for (uint64_t i = col_abs_; i < abs; ++i) {
    if (!IsUtf8Continuation(buf_[i - base_abs_])) ++col_;
  }
  col_abs_ = abs;
  return col_;
}

std::string TurtleInput::CurrentLine() {
  if (line_abs_ < base_abs_) return "";
  Fill(line_abs_ - base_abs_ +
       301);  // may move the window; the line stays in it
  if (line_abs_ < base_abs_) return "";
  const size_t start = line_abs_ - base_abs_;
  size_t end = buf_.find('\n', start);
  if (end == std::string::npos) end = buf_.size();
  if (end - start > 300) return "";
  std::string line = buf_.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace kg::ingest
