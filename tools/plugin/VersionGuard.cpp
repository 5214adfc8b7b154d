//===--- VersionGuard.cpp - corotidy ---------------------------*- C++ -*-===//
//
// libCoroTidy.so, the module users pass to `clang-tidy --load`. clang-tidy's
// C++ ABI changes with every LLVM major version, so checks built for one
// version fail to load or crash in another. This loader uses nothing from
// LLVM, so it always loads; it finds out which LLVM the host process carries
// and refuses with one clear line if it is not the one the checks were built
// against. Otherwise it loads the checks module beside it, which registers
// the coro-* checks with the host clang-tidy.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

namespace {

// LLVM's C API has answered this since LLVM 16, in every build that exports
// its symbols.
using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);

// The major version in a loaded libLLVM's file name: libLLVM.so.22.1,
// libLLVM-19.so, libLLVM-14.so.1.
int majorFromLibraryName(const char *Path) {
  const char *Base = std::strrchr(Path, '/');
  Base = Base ? Base + 1 : Path;
  if (std::strncmp(Base, "libLLVM", 7) != 0)
    return -1;
  const char *P = Base + 7;
  if (std::strncmp(P, ".so.", 4) == 0)
    P += 4;
  else if (*P == '-')
    P += 1;
  else
    return -1;
  int Major = std::atoi(P);
  return Major > 0 ? Major : -1;
}

int loadedLibLLVMMajor() {
  int Found = -1;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Out) {
        int Major = Info->dlpi_name ? majorFromLibraryName(Info->dlpi_name)
                                    : -1;
        if (Major > 0) {
          *static_cast<int *>(Out) = Major;
          return 1;
        }
        return 0;
      },
      &Found);
  return Found;
}

int hostLLVMMajor() {
  if (auto GetVersion =
          reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"))) {
    unsigned Major = 0, Minor = 0, Patch = 0;
    GetVersion(&Major, &Minor, &Patch);
    if (Major > 0)
      return static_cast<int>(Major);
  }
  return loadedLibLLVMMajor();
}

[[noreturn]] void refuse(const char *Format, int A, const char *B) {
  char Line[1024];
  int Len = std::snprintf(Line, sizeof(Line), Format, A, B);
  if (Len > 0)
    (void)!write(STDERR_FILENO, Line,
                 std::min(static_cast<size_t>(Len), sizeof(Line) - 1));
  _exit(1);
}

// The checks module sits beside this file.
void loadChecksModule() {
  Dl_info Self{};
  if (!dladdr(reinterpret_cast<void *>(&loadChecksModule), &Self) ||
      !Self.dli_fname)
    refuse("error: libCoroTidy.so (LLVM %d) cannot locate itself%s\n",
           COROTIDY_LLVM_MAJOR, "");
  char Path[4096];
  std::snprintf(Path, sizeof(Path), "%s", Self.dli_fname);
  char *Slash = std::strrchr(Path, '/');
  size_t DirLen = Slash ? static_cast<size_t>(Slash - Path + 1) : 0;
  std::snprintf(Path + DirLen, sizeof(Path) - DirLen, "%s",
                COROTIDY_CHECKS_MODULE);
  // Eager binding: any symbol this clang-tidy lacks is reported now.
  if (!dlopen(Path, RTLD_NOW | RTLD_GLOBAL))
    refuse("error: libCoroTidy.so (built for LLVM %d) cannot load its checks "
           "into this clang-tidy: %s\n",
           COROTIDY_LLVM_MAJOR, dlerror());
}

__attribute__((constructor)) void loadIfHostMatches() {
  int Host = hostLLVMMajor();
  if (Host > 0 && Host != COROTIDY_LLVM_MAJOR) {
    char HostText[16];
    std::snprintf(HostText, sizeof(HostText), "%d", Host);
    refuse("error: libCoroTidy.so was built for LLVM %d but is being loaded "
           "into LLVM %s; use clang-tidy-22 (or corotidy-clangd)\n",
           COROTIDY_LLVM_MAJOR, HostText);
  }
  // A static build that hides its version is judged by the eager load.
  loadChecksModule();
}

} // namespace
