//===--- ChecksAnchor.cpp - corotidy ---------------------------*- C++ -*-===//
//
// Pulls the coro module's registration out of the static checks library into
// libCoroTidyChecks.so; registering happens when the module is loaded.
//
//===----------------------------------------------------------------------===//

namespace clang::tidy {
extern volatile int CoroModuleAnchorSource;
[[maybe_unused]] static int CoroModuleAnchorDestination =
    CoroModuleAnchorSource;
} // namespace clang::tidy
