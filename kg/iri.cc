#include "kg/iri.h"

#include <filesystem>

#include "kg/rdf.h"

namespace kg {
namespace {

// The five components of an IRI reference (RFC 3986 section 3); a `has_`
// flag tells an absent component from an empty one.
struct Parts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false,
       has_fragment = false;
};

Parts Split(std::string_view s) {
  Parts p;
  if (IsAbsoluteIri(s)) {
    const size_t colon = s.find(':');
    p.scheme = s.substr(0, colon);
    p.has_scheme = true;
    s.remove_prefix(colon + 1);
  }
  if (const size_t hash = s.find('#'); hash != std::string_view::npos) {
    p.fragment = s.substr(hash + 1);
    p.has_fragment = true;
    s = s.substr(0, hash);
  }
  if (const size_t q = s.find('?'); q != std::string_view::npos) {
    p.query = s.substr(q + 1);
    p.has_query = true;
    s = s.substr(0, q);
  }
  if (s.starts_with("//")) {
    s.remove_prefix(2);
    const size_t slash = s.find('/');
    p.authority = s.substr(0, slash);
    p.has_authority = true;
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  p.path = s;
  return p;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const size_t next = in.find('/', in.front() == '/' ? 1 : 0);
      const size_t n = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, n));
      in.remove_prefix(n);
    }
  }
  return out;
}

std::string Join(const Parts& p, const std::string& path) {
  std::string out;
  if (p.has_scheme) {
    out.append(p.scheme);
    out.push_back(':');
  }
  if (p.has_authority) {
    out.append("//");
    out.append(p.authority);
  }
  out.append(path);
  if (p.has_query) {
    out.push_back('?');
    out.append(p.query);
  }
  if (p.has_fragment) {
    out.push_back('#');
    out.append(p.fragment);
  }
  return out;
}

}  // namespace

std::string ResolveIri(std::string_view base, std::string_view ref) {
  const Parts r = Split(ref);
  if (r.has_scheme) return Join(r, RemoveDotSegments(r.path));
  const Parts b = Split(base);
  Parts t;
  std::string path;
  t.scheme = b.scheme;
  t.has_scheme = b.has_scheme;
  t.fragment = r.fragment;
  t.has_fragment = r.has_fragment;
  if (r.has_authority) {
    t.authority = r.authority;
    t.has_authority = true;
    path = RemoveDotSegments(r.path);
    t.query = r.query;
    t.has_query = r.has_query;
    return Join(t, path);
  }
  t.authority = b.authority;
  t.has_authority = b.has_authority;
  if (r.path.empty()) {
    path = std::string(b.path);
    t.query = r.has_query ? r.query : b.query;
    t.has_query = r.has_query || b.has_query;
    return Join(t, path);
  }
  if (r.path.front() == '/') {
    path = RemoveDotSegments(r.path);
  } else {
    std::string merged;
    if (b.has_authority && b.path.empty()) {
      merged = "/";
    } else {
      const size_t slash = b.path.rfind('/');
      if (slash != std::string_view::npos)
        merged = std::string(b.path.substr(0, slash + 1));
    }
    merged.append(r.path);
    path = RemoveDotSegments(merged);
  }
  t.query = r.query;
  t.has_query = r.has_query;
  return Join(t, path);
}

std::string FileIri(const std::string& path) {
  std::error_code ec;
  std::string abs =
      std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) abs = path;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (const char ch : abs) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~' || c == '/') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace kg
