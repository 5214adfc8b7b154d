//===--- FactsYaml.h - corotidy --------------------------------*- C++ -*-===//
//
// The YAML form of Facts (docs/index-format.md), read and written with
// yaml-cpp. Errors come back as one clear sentence, never as a crash.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_FACTSYAML_H
#define COROTIDY_INDEX_FACTSYAML_H

#include "index/Facts.h"
#include <optional>
#include <string>

namespace corotidy::index {

/// The YAML text of \p F.
std::string toYaml(const Facts &F);

/// Parses \p Text (read from \p Origin, for messages). On failure returns
/// nothing and sets \p Error: malformed YAML, a missing or unsupported
/// version, or a field of the wrong shape.
std::optional<Facts> fromYaml(const std::string &Text, const std::string &Origin,
                              std::string &Error);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_FACTSYAML_H
