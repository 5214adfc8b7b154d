//===--- Facts.cpp - corotidy ----------------------------------*- C++ -*-===//

#include "index/Facts.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace corotidy::index {

namespace {

// Every field, so that among items with the same key the one kept does not
// depend on the order of the parts.
auto fields(const Location &L) { return std::tie(L.File, L.Line, L.Column); }
auto fields(const Method &M) {
  return std::tuple_cat(std::tie(M.Usr, M.Name, M.Signature, M.Coroutine, M.Pure),
                        fields(M.Where));
}
auto fields(const Implementation &I) {
  return std::tuple_cat(std::tie(I.Usr, I.Name), fields(I.Where));
}
auto fields(const DynamicUse &U) {
  return std::tuple_cat(fields(U.Where), std::tie(U.Kind, U.Detail));
}
auto fields(const FileHash &H) { return std::tie(H.Path, H.Hash); }
auto fields(const SourceCoroutine &C) {
  return std::tie(C.Usr, C.Where.File, C.Where.Line, C.Where.Column, C.Name);
}

// Sorts by key, then by every field, and keeps the first (smallest) item of
// each key.
template <class T, class Key> void sortUnique(std::vector<T> &Items, Key KeyOf) {
  std::sort(Items.begin(), Items.end(), [&](const T &A, const T &B) {
    if (KeyOf(A) != KeyOf(B))
      return KeyOf(A) < KeyOf(B);
    return fields(A) < fields(B);
  });
  Items.erase(std::unique(Items.begin(), Items.end(),
                          [&](const T &A, const T &B) {
                            return KeyOf(A) == KeyOf(B);
                          }),
              Items.end());
}

template <class T> void sortUniqueValues(std::vector<T> &Items) {
  std::sort(Items.begin(), Items.end());
  Items.erase(std::unique(Items.begin(), Items.end()), Items.end());
}

template <class T> void append(std::vector<T> &To, const std::vector<T> &From) {
  To.insert(To.end(), From.begin(), From.end());
}

bool earlier(const Location &A, const Location &B) { return fields(A) < fields(B); }

void normalizeInterface(Interface &I) {
  sortUnique(I.Methods, [](const Method &M) { return M.Usr; });
  sortUnique(I.Implementations, [](const Implementation &M) { return M.Usr; });
  // Parameter uses of one function from several translation units: unite
  // the concrete arguments their callers pass. Different translation units
  // see different declarations of the same function: keep the smallest
  // location and name, whatever the order of the parts.
  std::map<std::string, ParameterUse> ByFunction;
  for (ParameterUse &Use : I.ParameterUses) {
    auto [It, Inserted] = ByFunction.try_emplace(Use.FunctionUsr, Use);
    if (Inserted)
      continue;
    ParameterUse &Into = It->second;
    append(Into.ConcreteArguments, Use.ConcreteArguments);
    append(Into.ForwardedBy, Use.ForwardedBy);
    if (Use.FunctionName < Into.FunctionName)
      Into.FunctionName = Use.FunctionName;
    if (earlier(Use.Where, Into.Where))
      Into.Where = Use.Where;
    if (!Use.Definition.File.empty() &&
        (Into.Definition.File.empty() || earlier(Use.Definition, Into.Definition)))
      Into.Definition = Use.Definition;
  }
  I.ParameterUses.clear();
  for (auto &[Usr, Use] : ByFunction) {
    sortUniqueValues(Use.ConcreteArguments);
    sortUniqueValues(Use.ForwardedBy);
    I.ParameterUses.push_back(std::move(Use));
  }
  auto ByPlace = [](const DynamicUse &U) { return fields(U); };
  sortUnique(I.DynamicUses, ByPlace);
  sortUnique(I.Blockers, ByPlace);
}

// Two records of one file (several compile commands): it parsed only if
// every command did; a failed one keeps the smallest message and the union
// of what the failures read.
void combine(TranslationUnit &Into, const TranslationUnit &From) {
  if (From.Parsed)
    return;
  if (Into.Parsed) {
    Into = From;
    return;
  }
  if (!From.Message.empty() && (Into.Message.empty() || From.Message < Into.Message))
    Into.Message = From.Message;
  Into.IncludesKnown = Into.IncludesKnown && From.IncludesKnown;
  append(Into.Includes, From.Includes);
  append(Into.MissingIncludes, From.MissingIncludes);
}

void normalizeUnits(std::vector<TranslationUnit> &Units) {
  std::map<std::string, TranslationUnit> ByFile;
  for (const TranslationUnit &T : Units) {
    auto [It, Inserted] = ByFile.try_emplace(T.File, T);
    if (!Inserted)
      combine(It->second, T);
  }
  Units.clear();
  for (auto &[File, T] : ByFile) {
    if (T.Parsed) {
      // Only a failure's reach matters.
      T.Message.clear();
      T.IncludesKnown = false;
      T.Includes.clear();
      T.MissingIncludes.clear();
    }
    sortUniqueValues(T.Includes);
    sortUniqueValues(T.MissingIncludes);
    Units.push_back(std::move(T));
  }
}

} // namespace

bool reachesAll(const TranslationUnit &TU) {
  return !TU.IncludesKnown || !TU.MissingIncludes.empty();
}

bool couldAffect(const TranslationUnit &TU, const Interface &I) {
  if (TU.Parsed)
    return false;
  if (reachesAll(TU))
    return true;
  return std::binary_search(TU.Includes.begin(), TU.Includes.end(), I.Where.File);
}

std::vector<const TranslationUnit *> failedUnitsAffecting(const Facts &F,
                                                          const Interface &I) {
  std::vector<const TranslationUnit *> Result;
  for (const TranslationUnit &TU : F.TranslationUnits)
    if (couldAffect(TU, I))
      Result.push_back(&TU);
  return Result;
}

void normalize(Facts &F) {
  normalizeUnits(F.TranslationUnits);
  sortUnique(F.Files, [](const FileHash &H) { return H.Path; });
  for (Interface &I : F.Interfaces)
    normalizeInterface(I);
  std::sort(F.Interfaces.begin(), F.Interfaces.end(),
            [](const Interface &A, const Interface &B) { return A.Usr < B.Usr; });
  for (SourceCoroutine &C : F.Coroutines)
    sortUnique(C.MoveBlockers, [](const Blocker &B) { return fields(B); });
  sortUnique(F.Coroutines, [](const SourceCoroutine &C) { return C.Usr; });
}

Facts merge(const std::vector<Facts> &Parts) {
  Facts Result;
  std::map<std::string, Interface> ByUsr;
  for (const Facts &Part : Parts) {
    append(Result.TranslationUnits, Part.TranslationUnits);
    append(Result.Files, Part.Files);
    append(Result.Coroutines, Part.Coroutines);
    for (const Interface &I : Part.Interfaces) {
      auto [It, Inserted] = ByUsr.try_emplace(I.Usr, I);
      if (Inserted)
        continue;
      Interface &Into = It->second;
      // One class seen through different paths: the smallest description.
      if (std::tie(I.Where.File, I.Where.Line, I.Where.Column, I.Name) <
          std::tie(Into.Where.File, Into.Where.Line, Into.Where.Column,
                   Into.Name)) {
        Into.Name = I.Name;
        Into.Where = I.Where;
      }
      append(Into.Methods, I.Methods);
      append(Into.Implementations, I.Implementations);
      append(Into.ParameterUses, I.ParameterUses);
      append(Into.DynamicUses, I.DynamicUses);
      append(Into.Blockers, I.Blockers);
      Into.Incomplete |= I.Incomplete;
    }
  }
  for (auto &[Usr, I] : ByUsr)
    Result.Interfaces.push_back(std::move(I));
  normalize(Result);
  for (Interface &I : Result.Interfaces)
    for (const TranslationUnit &TU : Result.TranslationUnits)
      I.Incomplete = I.Incomplete || couldAffect(TU, I);
  return Result;
}

} // namespace corotidy::index
