//===--- CoroTidyModule.cpp - corotidy -------------------------*- C++ -*-===//
//
// Registers the `coro-*` checks with clang-tidy.
//
//===----------------------------------------------------------------------===//

#include "checks/DanglingReferenceCheck.h"
#include "checks/DevirtualizeCheck.h"
#include "checks/MissedFrameElisionCheck.h"
#include "checks/ThreadAffinityCheck.h"
#include "clang-tidy/ClangTidyModule.h"

namespace clang::tidy::coro {

class CoroModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    // Keep sorted by check name.
    Factories.registerCheck<DanglingReferenceCheck>("coro-dangling-reference");
    Factories.registerCheck<DevirtualizeCheck>("coro-devirtualize");
    Factories.registerCheck<MissedFrameElisionCheck>(
        "coro-missed-frame-elision");
    Factories.registerCheck<ThreadAffinityCheck>("coro-thread-affinity");
  }
};

} // namespace clang::tidy::coro

namespace clang::tidy {

static ClangTidyModuleRegistry::Add<coro::CoroModule>
    X("coro-module", "Checks for C++20 coroutine code (corotidy).");

// Referenced by binaries that link the checks statically (corotidy-clangd and
// the plugin) so that the linker keeps this registration.
volatile int CoroModuleAnchorSource = 0;

} // namespace clang::tidy
