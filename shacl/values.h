// Literal values as SHACL Core constraints see them: whether a literal is
// well-formed for its XSD datatype (sh:datatype), and the order of two
// values as SPARQL's `<` defines it (sh:minInclusive and friends,
// sh:lessThan).
#ifndef KG_SHACL_VALUES_H_
#define KG_SHACL_VALUES_H_

#include <optional>
#include <string_view>

#include "kg/rdf.h"

namespace kg::shacl {

// Whether `lexical` is in the lexical space of `datatype`. Checked for the
// XSD numeric types (with their ranges), xsd:boolean, xsd:date,
// xsd:dateTime, xsd:dateTimeStamp, xsd:time, xsd:gYear, xsd:gYearMonth;
// true for any other datatype.
bool IsWellFormed(std::string_view datatype, std::string_view lexical);

// -1, 0 or 1 as `a` is less than, equal to or greater than `b`; nullopt
// when they are not comparable: not both numbers, both strings (xsd:string),
// both booleans, or both dates, dateTimes or times (mixing a value with a
// time zone and one without is comparable only when they are more than 14
// hours apart), or either is ill-formed or NaN.
std::optional<int> CompareValues(const RdfTerm& a, const RdfTerm& b);

}  // namespace kg::shacl

#endif  // KG_SHACL_VALUES_H_
