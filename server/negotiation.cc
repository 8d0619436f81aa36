#include "server/negotiation.h"

#include <cstdlib>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace kg::server {
namespace {

struct Offer {
  std::string_view type;
  ResultFormat format;
};

// Preferred first; each format's own type before its aliases.
constexpr Offer kBindingOffers[] = {
    {"application/sparql-results+json", ResultFormat::kJson},
    {"application/sparql-results+xml", ResultFormat::kXml},
    {"text/csv", ResultFormat::kCsv},
    {"text/tab-separated-values", ResultFormat::kTsv},
    {"application/json", ResultFormat::kJson},
    {"application/xml", ResultFormat::kXml},
    {"text/xml", ResultFormat::kXml},
};
constexpr Offer kGraphOffers[] = {
    {"text/turtle", ResultFormat::kTurtle},
    {"application/n-triples", ResultFormat::kNTriples},
    {"application/x-turtle", ResultFormat::kTurtle},
    {"text/plain", ResultFormat::kNTriples},
};

template <typename F>
void ForEachOffer(ResultKind kind, F f) {
  if (kind == ResultKind::kBindings) {
    for (const Offer& o : kBindingOffers) f(o);
  } else {
    for (const Offer& o : kGraphOffers) f(o);
  }
}

// One media range of an Accept header: "type/subtype;params;q=0.5".
struct MediaRange {
  std::string type, subtype;  // lower case; "*" for a wildcard
  double q = 1;
};

std::string Lower(absl::string_view s) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(s));
}

std::vector<MediaRange> ParseAccept(std::string_view accept) {
  std::vector<MediaRange> ranges;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(accept.data(), accept.size()), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string media = Lower(parts[0]);
    const size_t slash = media.find('/');
    if (media.empty() || slash == std::string::npos) continue;  // not a media range
    MediaRange r{media.substr(0, slash), media.substr(slash + 1)};
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string param = Lower(parts[i]);
      if (!param.starts_with("q=")) continue;
      char* end = nullptr;
      const double q = std::strtod(param.c_str() + 2, &end);
      if (end != param.c_str() + 2) r.q = q < 0 ? 0 : (q > 1 ? 1 : q);
      break;  // parameters after q are accept-extensions
    }
    ranges.push_back(std::move(r));
  }
  return ranges;
}

// How specifically `range` names `type`: 3 exactly, 2 by "major/*", 1 by
// "*/*", 0 not at all.
int Specificity(const MediaRange& range, std::string_view type) {
  const size_t slash = type.find('/');
  const std::string_view major = type.substr(0, slash), minor = type.substr(slash + 1);
  if (range.type == "*" && range.subtype == "*") return 1;
  if (range.type != major) return 0;
  if (range.subtype == "*") return 2;
  return range.subtype == minor ? 3 : 0;
}

std::optional<ResultFormat> ByName(std::string_view name_arg, ResultKind kind) {
  const std::string name = Lower(absl::string_view(name_arg.data(), name_arg.size()));
  std::optional<ResultFormat> f;
  if (name.find('/') != std::string::npos) {
    const std::string type = Lower(absl::string_view(name).substr(0, name.find(';')));
    ForEachOffer(kind, [&](const Offer& o) {
      if (!f && o.type == type) f = o.format;
    });
    return f;
  }
  if (name == "json" || name == "srj") f = ResultFormat::kJson;
  if (name == "xml" || name == "srx") f = ResultFormat::kXml;
  if (name == "csv") f = ResultFormat::kCsv;
  if (name == "tsv") f = ResultFormat::kTsv;
  if (name == "turtle" || name == "ttl") f = ResultFormat::kTurtle;
  if (name == "nt" || name == "ntriples" || name == "n-triples") f = ResultFormat::kNTriples;
  if (!f) return std::nullopt;
  const bool graph = *f == ResultFormat::kTurtle || *f == ResultFormat::kNTriples;
  if (graph != (kind == ResultKind::kGraph)) return std::nullopt;
  return f;
}

}  // namespace

std::string_view ContentType(ResultFormat format) {
  switch (format) {
    case ResultFormat::kJson:
      return "application/sparql-results+json; charset=utf-8";
    case ResultFormat::kXml:
      return "application/sparql-results+xml; charset=utf-8";
    case ResultFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ResultFormat::kTsv:
      return "text/tab-separated-values; charset=utf-8";
    case ResultFormat::kTurtle:
      return "text/turtle; charset=utf-8";
    case ResultFormat::kNTriples:
      return "application/n-triples; charset=utf-8";
  }
  return "application/octet-stream";
}

std::vector<std::string_view> OfferedTypes(ResultKind kind) {
  std::vector<std::string_view> types;
  ForEachOffer(kind, [&](const Offer& o) { types.push_back(o.type); });
  return types;
}

std::optional<ResultFormat> ChooseFormat(std::string_view accept, std::string_view format_param,
                                         ResultKind kind) {
  if (!format_param.empty()) {
    if (auto f = ByName(format_param, kind)) return f;
  }
  std::vector<MediaRange> ranges = ParseAccept(accept);
  if (ranges.empty()) {
    return kind == ResultKind::kBindings ? ResultFormat::kJson : ResultFormat::kTurtle;
  }
  // Best: highest q, then the most specific range, then the range listed
  // first, then the offer listed first.
  std::optional<ResultFormat> best;
  std::tuple<double, int, int> best_key{0, 0, 0};
  ForEachOffer(kind, [&](const Offer& o) {
    int specificity = 0, index = 0;
    double q = 0;
    for (size_t i = 0; i < ranges.size(); ++i) {
      const int s = Specificity(ranges[i], o.type);
      if (s > specificity) {
        specificity = s;
        q = ranges[i].q;
        index = static_cast<int>(i);
      }
    }
    if (specificity == 0 || q <= 0) return;
    const std::tuple<double, int, int> key{q, specificity, -index};
    if (!best || key > best_key) {
      best = o.format;
      best_key = key;
    }
  });
  return best;
}

}  // namespace kg::server
