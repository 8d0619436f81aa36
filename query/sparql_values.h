// SPARQL's value space (SPARQL 1.1 sections 17.2-17.4 and 18.5): what a
// term is (IRI, literal, string), numbers with their type promotion integer
// < decimal < float < double, booleans and dates; the comparison operators
// with their type errors; the XSD casts; effective boolean values; ORDER
// BY's total order of terms; the aggregate functions. nullopt stands for
// SPARQL's error value throughout.
#ifndef KG_QUERY_SPARQL_VALUES_H_
#define KG_QUERY_SPARQL_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/term.h"
#include "query/sparql_ast.h"

namespace kg::query::sparql {

bool IsIriLike(const Term& t);      // IRIs, entities, documents
bool IsLiteral(const Term& t);
bool IsString(const Term& t);       // a string literal, tagged or not
bool IsPlainString(const Term& t);  // without a language tag
// The datatype IRI of a literal (xsd:string for plain strings).
std::string Datatype(const Term& t);
// The lexical form of a literal (the IRI of an IRI).
std::string Lexical(const Term& t);

// A number: its type rank (0 integer, 1 decimal, 2 float, 3 double).
struct Num {
  int rank = 0;
  long double v = 0;
  int64_t i = 0;  // rank 0
};
// The number a literal holds; nullopt for a non-number or an invalid one.
std::optional<Num> NumberOf(const Term& t);
// A number of type `rank`: `i` for integers, else `v`.
Term MakeNum(int rank, long double v, int64_t i);
std::optional<bool> BooleanOf(const Term& t);
// A date or dateTime as a comparable key; nullopt for other terms.
std::optional<std::string> DateKey(const Term& t);
// `a op b` for op in = != < <= > >=.
std::optional<bool> Compare(const Term& a, const Term& b, std::string_view op);
// The XSD cast to xsd:`datatype` (string, boolean, integer, decimal, float,
// double, date, dateTime).
std::optional<Term> Cast(const Term& v, std::string_view datatype);
// A boolean literal.
Term Boolean(bool b);
// The effective boolean value of a term.
std::optional<bool> EffectiveBoolean(const Term& t);
// ORDER BY's order: unbound < blank nodes < IRIs < literals (numbers by
// value, then strings, dates ... by lexical form); <0, 0, >0.
int OrderCompare(const std::optional<Term>& a, const std::optional<Term>& b);
// The aggregate `aggregate.name` (COUNT, SUM, ...) of `values` (nullopt
// entries are errors: COUNT skips them, the others fail on them).
std::optional<Term> Aggregate(const Expr& aggregate, const std::vector<std::optional<Term>>& values);

}  // namespace kg::query::sparql

#endif  // KG_QUERY_SPARQL_VALUES_H_
