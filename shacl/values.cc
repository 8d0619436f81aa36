#include "shacl/values.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kg/rdf_mapping.h"

namespace kg::shacl {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Local(std::string_view datatype) {
  if (!datatype.starts_with(kXsdNs)) return {};
  return datatype.substr(kXsdNs.size());
}

// ---- numbers ---------------------------------------------------------------

struct IntRange {
  std::string_view name;
  // Bounds as signed 128-bit values; unbounded sides use the extremes.
  __int128 min, max;
};

constexpr __int128 kBig = static_cast<__int128>(1) << 100;

constexpr IntRange kIntegerTypes[] = {
    {"integer", -kBig, kBig},
    {"long", INT64_MIN, INT64_MAX},
    {"int", INT32_MIN, INT32_MAX},
    {"short", INT16_MIN, INT16_MAX},
    {"byte", INT8_MIN, INT8_MAX},
    {"nonNegativeInteger", 0, kBig},
    {"positiveInteger", 1, kBig},
    {"nonPositiveInteger", -kBig, 0},
    {"negativeInteger", -kBig, -1},
    {"unsignedLong", 0, UINT64_MAX},
    {"unsignedInt", 0, UINT32_MAX},
    {"unsignedShort", 0, UINT16_MAX},
    {"unsignedByte", 0, UINT8_MAX},
};

const IntRange* IntegerType(std::string_view local) {
  for (const IntRange& r : kIntegerTypes) {
    if (r.name == local) return &r;
  }
  return nullptr;
}

// [+-]?[0-9]+, its value clamped to +-kBig (enough for every range check).
std::optional<__int128> ParseInteger(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  __int128 v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    if (v < kBig) v = v * 10 + (c - '0');
  }
  if (v > kBig) v = kBig;
  return negative ? -v : v;
}

bool IsDecimal(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  size_t digits = 0;
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  }
  return digits > 0 && i == s.size();
}

bool IsDouble(std::string_view s) {
  if (s == "INF" || s == "-INF" || s == "+INF" || s == "NaN") return true;
  const size_t e = s.find_first_of("eE");
  if (e == std::string_view::npos) return IsDecimal(s);
  std::string_view exp = s.substr(e + 1);
  if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) exp.remove_prefix(1);
  if (exp.empty()) return false;
  for (char c : exp) {
    if (!IsDigit(c)) return false;
  }
  return IsDecimal(s.substr(0, e));
}

bool IsNumericType(std::string_view local) {
  return IntegerType(local) != nullptr || local == "decimal" || local == "float" ||
         local == "double";
}

std::optional<long double> NumericValue(const RdfTerm& t) {
  const std::string_view local = Local(t.datatype);
  if (!IsNumericType(local) || !IsWellFormed(t.datatype, t.value)) return std::nullopt;
  const std::string& s = t.value;
  if (s == "INF" || s == "+INF") return HUGE_VALL;
  if (s == "-INF") return -HUGE_VALL;
  if (s == "NaN") return std::nullopt;
  return std::strtold(s.c_str(), nullptr);
}

// ---- dates and times ----------------------------------------------------------

enum class TimeKind { kDate, kDateTime, kTime, kGYear, kGYearMonth };

struct TimeValue {
  long double seconds = 0;  // since 0000-03-01 in the value's own zone
  std::optional<int> tz_minutes;
};

// Reads exactly `n` digits.
bool Digits(std::string_view s, size_t& i, size_t n, int* out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!IsDigit(s[i + k])) return false;
    v = v * 10 + (s[i + k] - '0');
  }
  i += n;
  *out = v;
  return true;
}

bool Leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && Leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<TimeValue> ParseTime(std::string_view s, TimeKind kind) {
  size_t i = 0;
  int64_t year = 1972;
  int month = 1, day = 1, hour = 0, minute = 0, sec = 0;
  long double frac = 0;
  if (kind != TimeKind::kTime) {
    bool negative = false;
    if (i < s.size() && s[i] == '-') negative = true, ++i;
    const size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i - start < 4 || (i - start > 4 && s[start] == '0') || i - start > 12) return std::nullopt;
    year = std::strtoll(std::string(s.substr(start, i - start)).c_str(), nullptr, 10);
    if (negative) year = -year;
    if (kind != TimeKind::kGYear) {
      if (i >= s.size() || s[i++] != '-' || !Digits(s, i, 2, &month) || month < 1 || month > 12) {
        return std::nullopt;
      }
    }
    if (kind == TimeKind::kDate || kind == TimeKind::kDateTime) {
      if (i >= s.size() || s[i++] != '-' || !Digits(s, i, 2, &day) || day < 1 ||
          day > DaysIn(year, month)) {
        return std::nullopt;
      }
    }
    if (kind == TimeKind::kDateTime && (i >= s.size() || s[i++] != 'T')) return std::nullopt;
  }
  if (kind == TimeKind::kDateTime || kind == TimeKind::kTime) {
    if (!Digits(s, i, 2, &hour) || i >= s.size() || s[i++] != ':' || !Digits(s, i, 2, &minute) ||
        i >= s.size() || s[i++] != ':' || !Digits(s, i, 2, &sec)) {
      return std::nullopt;
    }
    if (i < s.size() && s[i] == '.') {
      const size_t start = i++;
      while (i < s.size() && IsDigit(s[i])) ++i;
      if (i == start + 1) return std::nullopt;
      frac = std::strtold(std::string(s.substr(start, i - start)).c_str(), nullptr);
    }
    const bool midnight = hour == 24 && minute == 0 && sec == 0 && frac == 0;
    if ((hour > 23 && !midnight) || minute > 59 || sec > 59) return std::nullopt;
  }
  TimeValue v;
  if (i < s.size()) {
    if (s[i] == 'Z') {
      v.tz_minutes = 0;
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i++] == '-' ? -1 : 1;
      int th = 0, tm = 0;
      if (!Digits(s, i, 2, &th) || i >= s.size() || s[i++] != ':' || !Digits(s, i, 2, &tm) ||
          tm > 59 || th * 60 + tm > 14 * 60) {
        return std::nullopt;
      }
      v.tz_minutes = sign * (th * 60 + tm);
    }
  }
  if (i != s.size()) return std::nullopt;
  v.seconds = static_cast<long double>(DaysFromCivil(year, month, day)) * 86400 + hour * 3600 +
              minute * 60 + sec + frac;
  if (v.tz_minutes) v.seconds -= *v.tz_minutes * 60;
  return v;
}

std::optional<TimeKind> TimeKindOf(std::string_view local) {
  if (local == "date") return TimeKind::kDate;
  if (local == "dateTime" || local == "dateTimeStamp") return TimeKind::kDateTime;
  if (local == "time") return TimeKind::kTime;
  if (local == "gYear") return TimeKind::kGYear;
  if (local == "gYearMonth") return TimeKind::kGYearMonth;
  return std::nullopt;
}

int Sign(long double d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }

}  // namespace

bool IsWellFormed(std::string_view datatype, std::string_view lexical) {
  const std::string_view local = Local(datatype);
  if (local.empty()) return true;
  if (const IntRange* r = IntegerType(local)) {
    std::optional<__int128> v = ParseInteger(lexical);
    return v && *v >= r->min && *v <= r->max;
  }
  if (local == "decimal") return IsDecimal(lexical);
  if (local == "float" || local == "double") return IsDouble(lexical);
  if (local == "boolean") {
    return lexical == "true" || lexical == "false" || lexical == "1" || lexical == "0";
  }
  if (std::optional<TimeKind> kind = TimeKindOf(local)) {
    std::optional<TimeValue> v = ParseTime(lexical, *kind);
    return v && (local != "dateTimeStamp" || v->tz_minutes);
  }
  return true;
}

std::optional<int> CompareValues(const RdfTerm& a, const RdfTerm& b) {
  if (!a.is_literal() || !b.is_literal()) return std::nullopt;
  const std::string_view la = Local(a.datatype), lb = Local(b.datatype);
  if (IsNumericType(la) && IsNumericType(lb)) {
    std::optional<long double> x = NumericValue(a), y = NumericValue(b);
    if (!x || !y) return std::nullopt;
    return Sign(*x - *y);
  }
  if (a.datatype == kXsdString && b.datatype == kXsdString) {
    const int c = a.value.compare(b.value);  // UTF-8 byte order is code point order
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (la == "boolean" && lb == "boolean") {
    if (!IsWellFormed(a.datatype, a.value) || !IsWellFormed(b.datatype, b.value)) return std::nullopt;
    const bool x = a.value == "true" || a.value == "1";
    const bool y = b.value == "true" || b.value == "1";
    return static_cast<int>(x) - static_cast<int>(y);
  }
  std::optional<TimeKind> ka = TimeKindOf(la), kb = TimeKindOf(lb);
  if (!ka || !kb || *ka != *kb) return std::nullopt;
  std::optional<TimeValue> x = ParseTime(a.value, *ka), y = ParseTime(b.value, *kb);
  if (!x || !y) return std::nullopt;
  if (x->tz_minutes.has_value() == y->tz_minutes.has_value()) return Sign(x->seconds - y->seconds);
  // One has no time zone: it may be anywhere from -14:00 to +14:00 (XSD
  // 3.2.7.4), so only a difference larger than that orders them.
  constexpr long double kSpread = 14 * 3600;
  const long double d = x->seconds - y->seconds;
  if (d > kSpread) return 1;
  if (d < -kSpread) return -1;
  return std::nullopt;
}

}  // namespace kg::shacl
