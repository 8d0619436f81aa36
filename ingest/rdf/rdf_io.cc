// Canonical N-Triples / N-Quads output and opening (possibly gzipped) RDF
// input, declared in ntriples.h; the parser is in ntriples.cc.
#include <bzlib.h>
#include <zlib.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <streambuf>

#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/ntriples_internal.h"
#include "kg/iri.h"
#include "ingest/rdf/turtle.h"
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

// A read-only streambuf over bzip2 data, concatenated streams included
// (as pbzip2 writes them). Errors throw from underflow() as above.
class Bz2StreamBuf : public std::streambuf {
 public:
  explicit Bz2StreamBuf(FILE* file) : file_(file) {}
  ~Bz2StreamBuf() override {
    if (open_) BZ2_bzDecompressEnd(&bz_);
    std::fclose(file_);
  }
  Bz2StreamBuf(const Bz2StreamBuf&) = delete;
  Bz2StreamBuf& operator=(const Bz2StreamBuf&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    while (true) {
      if (bz_.avail_in == 0 && !eof_) {
        const size_t n = std::fread(in_.data(), 1, in_.size(), file_);
        if (n == 0 && std::ferror(file_)) throw std::ios_base::failure("bzip2 read error");
        if (n == 0) eof_ = true;
        bz_.next_in = in_.data();
        bz_.avail_in = static_cast<unsigned>(n);
      }
      if (!open_) {
        if (bz_.avail_in == 0) return traits_type::eof();  // after the last stream
        bz_.bzalloc = nullptr;
        bz_.bzfree = nullptr;
        bz_.opaque = nullptr;
        if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) {
          throw std::ios_base::failure("bzip2: out of memory");
        }
        open_ = true;
      }
      bz_.next_out = out_.data();
      bz_.avail_out = static_cast<unsigned>(out_.size());
      const int rc = BZ2_bzDecompress(&bz_);
      const size_t got = out_.size() - bz_.avail_out;
      if (rc == BZ_STREAM_END) {
        BZ2_bzDecompressEnd(&bz_);
        open_ = false;  // another stream may follow
      } else if (rc != BZ_OK) {
        throw std::ios_base::failure(StrCat("bzip2 data error (", rc, ")"));
      } else if (got == 0 && eof_ && bz_.avail_in == 0) {
        throw std::ios_base::failure("bzip2: truncated data");
      }
      if (got > 0) {
        setg(out_.data(), out_.data(), out_.data() + got);
        return traits_type::to_int_type(*gptr());
      }
    }
  }

 private:
  FILE* file_;
  bz_stream bz_{};
  bool open_ = false;
  bool eof_ = false;
  std::array<char, 1 << 16> in_;
  std::array<char, 1 << 16> out_;
};

template <typename Buf, typename Handle>
class DecompressingStream : public std::istream {
 public:
  explicit DecompressingStream(Handle h) : std::istream(nullptr), buf_(h) { rdbuf(&buf_); }

 private:
  Buf buf_;
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
  if (FILE* f = std::fopen(path.c_str(), "rb"); f != nullptr) {
    char magic[4] = {};
    const size_t n = std::fread(magic, 1, 4, f);
    if (n == 4 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h' && magic[3] >= '1' &&
        magic[3] <= '9') {
      std::rewind(f);
      return std::unique_ptr<std::istream>(
          std::make_unique<DecompressingStream<Bz2StreamBuf, FILE*>>(f));
    }
    std::fclose(f);
  }
  errno = 0;
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int err = errno;
    return absl::NotFoundError(
        StrCat("cannot open ", path, ": ", err != 0 ? std::strerror(err) : "out of memory"));
  }
  gzbuffer(file, 1 << 16);
  return std::unique_ptr<std::istream>(std::make_unique<DecompressingStream<GzStreamBuf, gzFile>>(file));
}

const char* RdfSyntaxName(RdfSyntax syntax) {
  switch (syntax) {
    case RdfSyntax::kNTriples: return "N-Triples";
    case RdfSyntax::kNQuads: return "N-Quads";
    case RdfSyntax::kTurtle: return "Turtle";
    case RdfSyntax::kTriG: return "TriG";
  }
  return "RDF";
}

std::optional<RdfSyntax> RdfSyntaxFromName(std::string_view path) {
  std::string name(path.substr(path.find_last_of('/') + 1));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view ext : {".gz", ".bz2"}) {
    if (name.size() > ext.size() && name.ends_with(ext)) name.resize(name.size() - ext.size());
  }
  if (name.ends_with(".nt")) return RdfSyntax::kNTriples;
  if (name.ends_with(".nq")) return RdfSyntax::kNQuads;
  if (name.ends_with(".ttl")) return RdfSyntax::kTurtle;
  if (name.ends_with(".trig")) return RdfSyntax::kTriG;
  return std::nullopt;
}

absl::StatusOr<std::string> ReadRdfHead(const std::string& path, size_t bytes) {
  auto in = OpenRdfInput(path);
  if (!in.ok()) return in.status();
  std::string head(bytes, '\0');
  (*in)->read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>((*in)->gcount()));
  return head;
}

absl::StatusOr<RdfSyntax> SniffRdfSyntax(const std::string& path) {
  auto read = ReadRdfHead(path, 4096);
  if (!read.ok()) return read.status();
  const std::string& head = *read;
  bool turtle = false, quads = false, block = false;
  size_t start = 0;
  while (start < head.size()) {
    size_t end = head.find('\n', start);
    if (end == std::string::npos) end = head.size();
    std::string_view line(head.data() + start, end - start);
    start = end + 1;
    const size_t at = line.find_first_not_of(" \t\r");
    if (at == std::string_view::npos || line[at] == '#') continue;
    line.remove_prefix(at);
    auto starts = [&](std::string_view word) {
      if (line.size() < word.size()) return false;
      for (size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != word[i]) return false;
      }
      return true;
    };
    if (starts("@prefix") || starts("@base") || starts("prefix ") || starts("base ") ||
        starts("@version") || starts("graph ")) {
      turtle = true;
    } else if (line.front() == '<' || line.starts_with("_:")) {
      // One statement a line, ended by '.', or Turtle's abbreviations
      // (serdi -o turtle writes `<s>` alone, then `\t<p> <o> ;` lines).
      std::string_view statement = line;
      if (const size_t hash = statement.rfind(" #"); hash != std::string_view::npos) {
        statement = statement.substr(0, hash);  // a trailing comment, most likely
      }
      const size_t end = statement.find_last_not_of(" \t\r");
      if (end != std::string_view::npos && statement[end] == '.') {
        quads = true;
      } else if (line.back() != '{') {
        turtle = true;
      }
    } else if (line.front() == '{' || line.front() == '[' || line.front() == '(' ||
               std::isalpha(static_cast<unsigned char>(line.front())) || line.front() == ':') {
      turtle = true;  // a prefixed name, a property list, a collection
    }
    const size_t last = line.find_last_not_of(" \t\r");
    if (line.front() == '{' || line[last] == '{') block = true;  // `<g> {`
  }
  if (turtle) return block ? RdfSyntax::kTriG : RdfSyntax::kTurtle;
  if (quads) return block ? RdfSyntax::kTriG : RdfSyntax::kNQuads;
  return absl::InvalidArgumentError(
      "cannot tell the RDF syntax from the file's name or its first lines; say it with "
      "--format nt, nq, ttl or trig");
}

absl::StatusOr<RdfSource> OpenRdfReader(const std::string& path, RdfSyntax syntax,
                                        const std::string& base) {
  RdfSource source;
  auto in = OpenRdfInput(path);
  if (!in.ok()) return in.status();
  source.stream = *std::move(in);
  switch (syntax) {
    case RdfSyntax::kNTriples:
    case RdfSyntax::kNQuads:
      source.reader = std::make_unique<NQuadsReader>(
          path, *source.stream,
          syntax == RdfSyntax::kNQuads ? NQuadsReader::Syntax::kNQuads
                                       : NQuadsReader::Syntax::kNTriples);
      break;
    case RdfSyntax::kTurtle:
    case RdfSyntax::kTriG:
      source.reader = std::make_unique<TurtleReader>(path, *source.stream,
                                                     syntax == RdfSyntax::kTriG,
                                                     base.empty() ? FileIri(path) : base);
      break;
  }
  return source;
}

}  // namespace kg::ingest
