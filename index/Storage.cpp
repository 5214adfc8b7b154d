//===--- Storage.cpp - corotidy --------------------------------*- C++ -*-===//

#include "index/Storage.h"
#include "index/FactsYaml.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/ADT/StringExtras.h"

namespace corotidy::index {

std::string contentHash(llvm::StringRef Contents) {
  return llvm::utohexstr(llvm::xxh3_64bits(Contents), /*LowerCase=*/true);
}

llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Text) {
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError(EC, "cannot create '" + Dir.str().str() +
                                             "': " + EC.message());
  llvm::SmallString<256> Temp(Path);
  Temp += ".tmp-%%%%%%%%";
  int FD = -1;
  llvm::SmallString<256> TempPath;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Temp, FD, TempPath))
    return llvm::createStringError(EC, "cannot write beside '" + Path.str() +
                                           "': " + EC.message());
  {
    llvm::raw_fd_ostream Out(FD, /*shouldClose=*/true);
    Out << Text;
    Out.close();
    if (Out.has_error()) {
      llvm::sys::fs::remove(TempPath);
      return llvm::createStringError(Out.error(), "cannot write '" +
                                                      TempPath.str().str() + "'");
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(TempPath, Path)) {
    llvm::sys::fs::remove(TempPath);
    return llvm::createStringError(EC, "cannot replace '" + Path.str() +
                                           "': " + EC.message());
  }
  return llvm::Error::success();
}

llvm::Expected<Facts> readFactsFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read '" + Path.str() +
                                                          "': " +
                                                          Buffer.getError().message());
  std::string Error;
  std::optional<Facts> F = fromYaml((*Buffer)->getBuffer().str(), Path.str(), Error);
  if (!F)
    return llvm::createStringError(Error);
  return std::move(*F);
}

std::vector<std::string> changedFiles(const Facts &F) {
  std::vector<std::string> Changed;
  for (const FileHash &File : F.Files) {
    auto Buffer = llvm::MemoryBuffer::getFile(File.Path);
    if (!Buffer || contentHash((*Buffer)->getBuffer()) != File.Hash)
      Changed.push_back(File.Path);
  }
  return Changed;
}

} // namespace corotidy::index
