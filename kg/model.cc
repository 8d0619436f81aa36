#include "kg/model.h"

namespace kg {

std::string_view HedgeName(Hedge hedge) {
  switch (hedge) {
    case Hedge::kAsserted: return "asserted";
    case Hedge::kReported: return "reported";
    case Hedge::kClaimed: return "claimed";
    case Hedge::kAlleged: return "alleged";
    case Hedge::kEstimated: return "estimated";
    case Hedge::kBelieved: return "believed";
    case Hedge::kAssessed: return "assessed";
    case Hedge::kSpeculated: return "speculated";
    case Hedge::kDenied: return "denied";
  }
  return "unknown";
}

std::optional<Hedge> ParseHedge(std::string_view name) {
  for (Hedge h : kAllHedges) {
    if (HedgeName(h) == name) return h;
  }
  return std::nullopt;
}

std::string_view StanceName(Stance stance) {
  return stance == Stance::kSupports ? "supports" : "disputes";
}

std::optional<Stance> ParseStance(std::string_view name) {
  if (name == "supports") return Stance::kSupports;
  if (name == "disputes") return Stance::kDisputes;
  return std::nullopt;
}

std::string_view RelationName(Relation relation) {
  switch (relation) {
    case Relation::kCites: return "cites";
    case Relation::kReports: return "reports";
    case Relation::kQuotes: return "quotes";
    case Relation::kDerivedFrom: return "derived_from";
  }
  return "unknown";
}

std::optional<Relation> ParseRelation(std::string_view name) {
  for (Relation r : {Relation::kCites, Relation::kReports, Relation::kQuotes,
                     Relation::kDerivedFrom}) {
    if (RelationName(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace kg
