//===--- Facts.cpp - corotidy ----------------------------------*- C++ -*-===//

#include "index/Facts.h"
#include <algorithm>
#include <map>
#include <tuple>

namespace corotidy::index {

namespace {

template <class T, class Key> void sortUnique(std::vector<T> &Items, Key KeyOf) {
  std::sort(Items.begin(), Items.end(),
            [&](const T &A, const T &B) { return KeyOf(A) < KeyOf(B); });
  Items.erase(std::unique(Items.begin(), Items.end(),
                          [&](const T &A, const T &B) {
                            return KeyOf(A) == KeyOf(B);
                          }),
              Items.end());
}

void normalizeInterface(Interface &I) {
  sortUnique(I.Methods, [](const Method &M) { return M.Usr; });
  sortUnique(I.Implementations, [](const Implementation &M) { return M.Usr; });
  // Parameter uses of one function from several translation units: unite
  // the concrete arguments their callers pass.
  std::map<std::string, ParameterUse> ByFunction;
  // Different translation units see different declarations of the same
  // function: keep the first location in file order, whatever the order of
  // the parts, so that merging is deterministic.
  for (ParameterUse &Use : I.ParameterUses) {
    auto [It, Inserted] = ByFunction.try_emplace(Use.FunctionUsr, Use);
    if (Inserted)
      continue;
    It->second.ConcreteArguments.insert(It->second.ConcreteArguments.end(),
                                        Use.ConcreteArguments.begin(),
                                        Use.ConcreteArguments.end());
    It->second.ForwardedBy.insert(It->second.ForwardedBy.end(),
                                  Use.ForwardedBy.begin(), Use.ForwardedBy.end());
    if (std::tie(Use.Where.File, Use.Where.Line) <
        std::tie(It->second.Where.File, It->second.Where.Line))
      It->second.Where = Use.Where;
    if (!Use.Definition.File.empty() &&
        (It->second.Definition.File.empty() ||
         std::tie(Use.Definition.File, Use.Definition.Line) <
             std::tie(It->second.Definition.File, It->second.Definition.Line)))
      It->second.Definition = Use.Definition;
  }
  I.ParameterUses.clear();
  for (auto &[Usr, Use] : ByFunction) {
    sortUnique(Use.ConcreteArguments, [](const std::string &S) { return S; });
    sortUnique(Use.ForwardedBy, [](const std::string &S) { return S; });
    I.ParameterUses.push_back(std::move(Use));
  }
  auto ByPlace = [](const DynamicUse &U) {
    return std::make_tuple(U.Where.File, U.Where.Line, U.Kind, U.Detail);
  };
  sortUnique(I.DynamicUses, ByPlace);
  sortUnique(I.Blockers, ByPlace);
}

} // namespace

void normalize(Facts &F) {
  sortUnique(F.TranslationUnits, [](const TranslationUnit &T) { return T.File; });
  sortUnique(F.Files, [](const FileHash &H) { return H.Path; });
  for (Interface &I : F.Interfaces)
    normalizeInterface(I);
  sortUnique(F.Interfaces, [](const Interface &I) { return I.Usr; });
  for (SourceCoroutine &C : F.Coroutines)
    sortUnique(C.MoveBlockers, [](const Blocker &B) {
      return std::make_tuple(B.Where.File, B.Where.Line, B.Kind, B.Detail);
    });
  sortUnique(F.Coroutines, [](const SourceCoroutine &C) { return C.Usr; });
}

Facts merge(const std::vector<Facts> &Parts) {
  Facts Result;
  std::map<std::string, Interface> ByUsr;
  for (const Facts &Part : Parts) {
    Result.TranslationUnits.insert(Result.TranslationUnits.end(),
                                   Part.TranslationUnits.begin(),
                                   Part.TranslationUnits.end());
    Result.Files.insert(Result.Files.end(), Part.Files.begin(), Part.Files.end());
    Result.Coroutines.insert(Result.Coroutines.end(), Part.Coroutines.begin(),
                             Part.Coroutines.end());
    for (const Interface &I : Part.Interfaces) {
      auto [It, Inserted] = ByUsr.try_emplace(I.Usr, I);
      if (Inserted)
        continue;
      Interface &Into = It->second;
      auto Append = [](auto &To, const auto &From) {
        To.insert(To.end(), From.begin(), From.end());
      };
      Append(Into.Methods, I.Methods);
      Append(Into.Implementations, I.Implementations);
      Append(Into.ParameterUses, I.ParameterUses);
      Append(Into.DynamicUses, I.DynamicUses);
      Append(Into.Blockers, I.Blockers);
      Into.Incomplete |= I.Incomplete;
    }
  }
  for (auto &[Usr, I] : ByUsr)
    Result.Interfaces.push_back(std::move(I));
  normalize(Result);
  return Result;
}

} // namespace corotidy::index
