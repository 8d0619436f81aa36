#include "tests/support/mini_xml.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::testing {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameChar(char c) {
  return !IsSpace(c) && c != '>' && c != '/' && c != '=' && c != '<' &&
         c != '"' && c != '\'';
}

struct RawAttribute {
  std::string qname, value;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  absl::StatusOr<XmlElement> Document() {
    if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    SkipMisc();
    if (!ok()) return Error();
    if (pos_ >= s_.size() || s_[pos_] != '<')
      return Fail("expected the root element");
    std::vector<std::map<std::string, std::string>> scopes = {
        {{"xml", std::string(kXmlNs)}}};
    std::optional<XmlElement> root = Element(&scopes);
    if (!root) return Error();
    SkipMisc();
    if (!ok()) return Error();
    if (pos_ < s_.size()) return Fail("content after the root element");
    return *std::move(root);
  }

 private:
  bool ok() const { return error_.empty(); }
  absl::Status Error() const { return absl::InvalidArgumentError(error_); }
  absl::Status Fail(std::string_view what) {
    SetError(what);
    return Error();
  }
  void SetError(std::string_view what) {
    if (error_.empty()) error_ = StrCat("line ", Line(), ": ", what);
  }
  // The line of pos_, counted on from the last call (positions only grow).
  int Line() {
    const size_t to = std::min(pos_, s_.size());
    if (to < counted_) {
      counted_ = 0;
      line_ = 1;
    }
    for (; counted_ < to; ++counted_) line_ += s_[counted_] == '\n';
    return line_;
  }
  bool At(std::string_view what) const {
    return s_.substr(pos_).starts_with(what);
  }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }
  // Skips past `end`; false (and an error) if it never comes.
  bool SkipPast(std::string_view end) {
    const size_t at = s_.find(end, pos_);
    if (at == std::string_view::npos) {
      SetError(StrCat("unterminated construct, expected '", end, "'"));
      return false;
    }
    pos_ = at + end.size();
    return true;
  }
  // Whitespace, comments, processing instructions and a DOCTYPE.
  void SkipMisc() {
    while (ok()) {
      SkipSpace();
      if (At("<?")) {
        SkipPast("?>");
      } else if (At("<!--")) {
        SkipPast("-->");
      } else if (At("<!DOCTYPE")) {
        SkipPast(">");
      } else {
        return;
      }
    }
  }

  std::string Name() {
    const size_t start = pos_;
    while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  // Decodes the entity references of `raw`.
  std::string Decode(std::string_view raw) {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out.push_back(raw[i]);
        continue;
      }
      const size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) {
        SetError("'&' without ';'");
        return out;
      }
      const std::string_view name = raw.substr(i + 1, semi - i - 1);
      if (name == "lt") {
        out.push_back('<');
      } else if (name == "gt") {
        out.push_back('>');
      } else if (name == "amp") {
        out.push_back('&');
      } else if (name == "quot") {
        out.push_back('"');
      } else if (name == "apos") {
        out.push_back('\'');
      } else if (name.starts_with("#")) {
        const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        const std::string digits(name.substr(hex ? 2 : 1));
        if (digits.empty()) {
          SetError("empty character reference");
          return out;
        }
        AppendUtf8(&out, static_cast<char32_t>(
                             std::stoul(digits, nullptr, hex ? 16 : 10)));
      } else {
        SetError(StrCat("unknown entity &", name, ";"));
        return out;
      }
      i = semi;
    }
    return out;
  }

  // Splits "p:l" and resolves p in `scope`; attributes without a prefix
  // have no namespace.
  bool Resolve(const std::string& qname,
               const std::map<std::string, std::string>& scope, bool attribute,
               std::string* ns, std::string* local) {
    const size_t colon = qname.find(':');
    const std::string prefix =
        colon == std::string::npos ? "" : qname.substr(0, colon);
    *local = colon == std::string::npos ? qname : qname.substr(colon + 1);
    if (prefix.empty() && attribute) {
      ns->clear();
      return true;
    }
    auto it = scope.find(prefix);
    if (it == scope.end()) {
      if (prefix.empty()) {
        ns->clear();
        return true;
      }
      SetError(StrCat("undeclared namespace prefix '", prefix, "'"));
      return false;
    }
    *ns = it->second;
    return true;
  }

  // At '<' of a start tag.
  std::optional<XmlElement> Element(
      std::vector<std::map<std::string, std::string>>* scopes) {
    XmlElement e;
    e.line = Line();
    ++pos_;
    const std::string qname = Name();
    if (qname.empty()) {
      SetError("expected an element name");
      return std::nullopt;
    }
    std::vector<RawAttribute> raw;
    std::map<std::string, std::string> scope = scopes->back();
    bool empty = false;
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size()) {
        SetError(StrCat("unterminated start tag <", qname, ">"));
        return std::nullopt;
      }
      if (At("/>")) {
        pos_ += 2;
        empty = true;
        break;
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      RawAttribute a;
      a.qname = Name();
      SkipSpace();
      if (a.qname.empty() || pos_ >= s_.size() || s_[pos_] != '=') {
        SetError(StrCat("malformed attribute in <", qname, ">"));
        return std::nullopt;
      }
      ++pos_;
      SkipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        SetError(StrCat("unquoted value of attribute ", a.qname));
        return std::nullopt;
      }
      const char quote = s_[pos_++];
      const size_t end = s_.find(quote, pos_);
      if (end == std::string_view::npos) {
        SetError(StrCat("unterminated value of attribute ", a.qname));
        return std::nullopt;
      }
      a.value = Decode(s_.substr(pos_, end - pos_));
      pos_ = end + 1;
      if (a.qname == "xmlns") {
        scope[""] = a.value;
      } else if (a.qname.starts_with("xmlns:")) {
        scope[a.qname.substr(6)] = a.value;
      } else {
        raw.push_back(std::move(a));
      }
    }
    if (!Resolve(qname, scope, false, &e.ns, &e.local)) return std::nullopt;
    for (RawAttribute& a : raw) {
      XmlAttribute attr;
      if (!Resolve(a.qname, scope, true, &attr.ns, &attr.local))
        return std::nullopt;
      attr.value = std::move(a.value);
      e.attributes.push_back(std::move(attr));
    }
    if (empty) return e;
    scopes->push_back(std::move(scope));
    while (ok()) {
      if (pos_ >= s_.size()) {
        SetError(StrCat("element <", qname, "> is not closed"));
        break;
      }
      if (At("</")) {
        pos_ += 2;
        const std::string end = Name();
        SkipSpace();
        if (end != qname || pos_ >= s_.size() || s_[pos_] != '>') {
          SetError(StrCat("</", end, "> closes <", qname, ">"));
          break;
        }
        ++pos_;
        scopes->pop_back();
        return e;
      }
      if (At("<!--")) {
        SkipPast("-->");
      } else if (At("<?")) {
        SkipPast("?>");
      } else if (At("<![CDATA[")) {
        const size_t start = pos_ + 9;
        if (SkipPast("]]>")) e.text.append(s_.substr(start, pos_ - 3 - start));
      } else if (s_[pos_] == '<') {
        std::optional<XmlElement> child = Element(scopes);
        if (!child) break;
        e.children.push_back(*std::move(child));
      } else {
        const size_t end = std::min(s_.find('<', pos_), s_.size());
        e.text += Decode(s_.substr(pos_, end - pos_));
        pos_ = end;
      }
    }
    return std::nullopt;
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t counted_ = 0;  // Line(): s_[0, counted_) has line_ - 1 newlines
  int line_ = 1;
  std::string error_;
};

}  // namespace

const std::string* XmlElement::Attribute(std::string_view ns,
                                         std::string_view local) const {
  for (const XmlAttribute& a : attributes) {
    if (a.ns == ns && a.local == local) return &a.value;
  }
  return nullptr;
}

absl::StatusOr<XmlElement> ParseXml(std::string_view text) {
  return Parser(text).Document();
}

absl::StatusOr<XmlElement> ReadXmlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto root = ParseXml(text.str());
  if (!root.ok())
    return absl::InvalidArgumentError(
        StrCat(path, ": ", root.status().message()));
  return root;
}

}  // namespace kg::testing
