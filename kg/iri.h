// IRI references (RFC 3986 section 5): resolving a relative reference
// against a base IRI, as Turtle, TriG and SPARQL need for `<relative>` and
// `@base`. Works on the string form; does no normalisation beyond what the
// algorithm prescribes (dot segments), so `<http://a/b>` stays as written.
#ifndef KG_KG_IRI_H_
#define KG_KG_IRI_H_

#include <string>
#include <string_view>

namespace kg {

// The target IRI of reference `ref` against `base` (RFC 3986 section 5.2.2,
// strict: a reference with a scheme is taken as it is, dot segments
// removed). An absolute `ref` is returned with its dot segments removed and
// does not need a base; otherwise `base` must be absolute (IsAbsoluteIri).
std::string ResolveIri(std::string_view base, std::string_view ref);

// The `file://` IRI of a local path (made absolute; characters outside
// RFC 3986's unreserved set and '/' percent-encoded), the base of a file
// read without an explicit one.
std::string FileIri(const std::string& path);

}  // namespace kg

#endif  // KG_KG_IRI_H_
