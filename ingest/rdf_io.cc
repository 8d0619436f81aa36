// Canonical N-Triples / N-Quads output and opening (possibly gzipped) RDF
// input, declared in ntriples.h; the parser is in ntriples.cc.
#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <streambuf>

#include "ingest/ntriples.h"
#include "ingest/ntriples_internal.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

// ---- canonical form ----------------------------------------------------

void AppendEscapedString(std::string* out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out->append("\\\""); continue;
      case '\\': out->append("\\\\"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      case '\b': out->append("\\b"); continue;
      case '\f': out->append("\\f"); continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      StrAppend(out, "\\u", Hex(c, 4));
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE) {
      // U+FFFE and U+FFFF are noncharacters: always escaped.
      StrAppend(out, "\\uFFF", static_cast<unsigned char>(s[i + 2]) == 0xBE ? "E" : "F");
      i += 2;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

void AppendCanonicalTerm(std::string* out, const RdfTerm& t) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      out->push_back('<');
      // Parsed IRIs never hold forbidden characters; escape any that a
      // caller put there so the output stays on one line.
      for (const char ch : t.value) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c < 0x80 && IsIriForbidden(c)) {
          StrAppend(out, "\\u", Hex(c, 4));
        } else {
          out->push_back(ch);
        }
      }
      out->push_back('>');
      return;
    case RdfTerm::Kind::kBlankNode:
      StrAppend(out, "_:", t.value);
      return;
    case RdfTerm::Kind::kLiteral:
      out->push_back('"');
      AppendEscapedString(out, t.value);
      out->push_back('"');
      if (!t.language.empty()) {
        out->push_back('@');
        for (const char c : t.language) {
          out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        }
        if (t.direction == BaseDirection::kLtr) out->append("--ltr");
        if (t.direction == BaseDirection::kRtl) out->append("--rtl");
      } else if (!t.datatype.empty() && t.datatype != kXsdString) {
        StrAppend(out, "^^<", t.datatype, ">");
      }
      return;
    case RdfTerm::Kind::kTripleTerm:
      out->append("<<( ");
      if (t.triple != nullptr) {
        AppendCanonicalTerm(out, t.triple->s);
        out->push_back(' ');
        AppendCanonicalTerm(out, t.triple->p);
        out->push_back(' ');
        AppendCanonicalTerm(out, t.triple->o);
      }
      out->append(" )>>");
      return;
  }
}

// ---- gzip input --------------------------------------------------------

// A read-only streambuf over zlib's gzFile, which also reads uncompressed
// files as they are. A zlib error throws from underflow(); std::istream
// catches it and sets badbit, so it never leaves this file.
class GzStreamBuf : public std::streambuf {
 public:
  explicit GzStreamBuf(gzFile file) : file_(file) {}
  ~GzStreamBuf() override { gzclose(file_); }
  GzStreamBuf(const GzStreamBuf&) = delete;
  GzStreamBuf& operator=(const GzStreamBuf&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const int n = gzread(file_, buffer_.data(), static_cast<unsigned>(buffer_.size()));
    int errnum = Z_OK;
    const char* message = gzerror(file_, &errnum);
    if (n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
      throw std::ios_base::failure(StrCat("gzip read error: ", message));
    }
    if (n == 0) return traits_type::eof();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  gzFile file_;
  std::array<char, 1 << 16> buffer_;
};

class GzInputStream : public std::istream {
 public:
  explicit GzInputStream(gzFile file) : std::istream(nullptr), buf_(file) { rdbuf(&buf_); }

 private:
  GzStreamBuf buf_;
};

}  // namespace

std::string CanonicalTerm(const RdfTerm& term) {
  std::string out;
  AppendCanonicalTerm(&out, term);
  return out;
}

std::string CanonicalNQuad(const RdfQuad& quad) {
  std::string out;
  AppendCanonicalTerm(&out, quad.s);
  out.push_back(' ');
  AppendCanonicalTerm(&out, quad.p);
  out.push_back(' ');
  AppendCanonicalTerm(&out, quad.o);
  if (quad.graph) {
    out.push_back(' ');
    AppendCanonicalTerm(&out, *quad.graph);
  }
  out.append(" .\n");
  return out;
}

absl::StatusOr<std::unique_ptr<std::istream>> OpenRdfInput(const std::string& path) {
  errno = 0;
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int err = errno;
    return absl::NotFoundError(
        StrCat("cannot open ", path, ": ", err != 0 ? std::strerror(err) : "out of memory"));
  }
  gzbuffer(file, 1 << 16);
  return std::unique_ptr<std::istream>(std::make_unique<GzInputStream>(file));
}

}  // namespace kg::ingest
