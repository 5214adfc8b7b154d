//===--- IndexLookup.cpp - corotidy ----------------------------*- C++ -*-===//

#include "checks/IndexLookup.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::coro {

std::string indexPathFor(llvm::StringRef Option, const SourceManager &SM) {
  if (Option == "-")
    return "";
  if (!Option.empty())
    return Option.str();
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  if (!Main)
    return "";
  llvm::SmallString<256> Dir(Main->getFileEntry().tryGetRealPathName());
  llvm::sys::path::remove_filename(Dir);
  while (!Dir.empty()) {
    for (const char *Candidate : {"corotidy-index.yaml", "build/corotidy-index.yaml"}) {
      llvm::SmallString<256> Path(Dir);
      llvm::sys::path::append(Path, Candidate);
      if (llvm::sys::fs::exists(Path))
        return Path.str().str();
    }
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent == Dir)
      break;
    Dir = Parent;
  }
  return "";
}

} // namespace clang::tidy::coro
