//===--- IndexLookup.cpp - corotidy ----------------------------*- C++ -*-===//

#include "checks/IndexLookup.h"
#include "index/IndexStore.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <mutex>

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

std::string mainFilePath(const SourceManager &SM) {
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  if (!Main)
    return "";
  llvm::StringRef Real = Main->getFileEntry().tryGetRealPathName();
  return Real.empty() ? Main->getName().str() : Real.str();
}

StoredIndex storedIndexFor(llvm::StringRef Option, const SourceManager &SM) {
  StoredIndex Out;
  Out.Path = indexPathFor(Option, SM);
  if (Out.Path.empty())
    return Out;
  corotidy::index::IndexStore::View View =
      corotidy::index::IndexStore::process().get(Out.Path);
  if (!View.Index) {
    Out.Problems.push_back("cannot use the corotidy index: " + View.Problem +
                           "; judging only what each "
                           "translation unit shows");
    return Out;
  }
  Out.Facts = View.Index;
  std::string Main = mainFilePath(SM);
  for (const std::string &File : View.Changed)
    if (File != Main)
      Out.Stale.insert(File);
  if (!Out.Stale.empty()) {
    std::vector<llvm::StringRef> Sorted(Out.Stale.keys().begin(),
                                        Out.Stale.keys().end());
    llvm::sort(Sorted);
    std::string Message = "the corotidy index '" + Out.Path + "' is stale: '" +
                          Sorted.front().str() + "'";
    if (Sorted.size() > 1)
      Message += " and " + std::to_string(Sorted.size() - 1) + " more file" +
                 (Sorted.size() > 2 ? "s" : "");
    Message += " changed since it was built; interfaces with facts there are "
               "judged only from what each translation unit shows until "
               "corotidy-index runs again";
    Out.Problems.push_back(std::move(Message));
  }
  return Out;
}

bool firstReport(llvm::StringRef Message) {
  static std::mutex Lock;
  static llvm::StringSet<> Reported;
  std::lock_guard<std::mutex> Guard(Lock);
  return Reported.insert(Message).second;
}

} // namespace clang::tidy::coro
