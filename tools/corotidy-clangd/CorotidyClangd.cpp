//===--- CorotidyClangd.cpp - corotidy -------------------------*- C++ -*-===//
//
// clangd with the coro-* checks linked in: stock clangd cannot load
// clang-tidy plugins. Everything else is clangd's own main.
//
//===----------------------------------------------------------------------===//

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>
#include <vector>

namespace clang::clangd {
int clangdMain(int Argc, char *Argv[]);
} // namespace clang::clangd

namespace clang::tidy {
extern volatile int CoroModuleAnchorSource;
// Keeps the coro module's registration in the final binary.
[[maybe_unused]] static int CoroModuleAnchorDestination =
    CoroModuleAnchorSource;
} // namespace clang::tidy

static bool hasResourceDirFlag(int Argc, char *Argv[]) {
  for (int I = 1; I < Argc; ++I)
    if (std::strncmp(Argv[I], "--resource-dir", 14) == 0 ||
        std::strncmp(Argv[I], "-resource-dir", 13) == 0)
      return true;
  return false;
}

int main(int Argc, char *Argv[]) {
  // clangd installs its own version printer, which hides extra printers, so
  // say which build this is before clangd prints its version.
  for (int I = 1; I < Argc; ++I)
    if (std::strcmp(Argv[I], "--version") == 0 ||
        std::strcmp(Argv[I], "-version") == 0) {
      llvm::outs() << "corotidy-clangd " COROTIDY_VERSION
                      " (clangd with the coro-* clang-tidy checks built in)\n";
      llvm::outs().flush();
    }
  // Our binary does not live beside LLVM's, where clangd looks for the clang
  // resource headers; point it at LLVM's unless the user chose another.
  static char ResourceDirFlag[] = "--resource-dir=" COROTIDY_RESOURCE_DIR;
  std::vector<char *> Args(Argv, Argv + Argc);
  if (!hasResourceDirFlag(Argc, Argv) &&
      llvm::sys::fs::is_directory(COROTIDY_RESOURCE_DIR))
    Args.insert(Args.begin() + 1, ResourceDirFlag);
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   Args.data());
}
