//===--- IndexStore.cpp - corotidy -----------------------------*- C++ -*-===//

#include "index/IndexStore.h"
#include "index/Storage.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <chrono>

namespace corotidy::index {

IndexStore &IndexStore::process() {
  static IndexStore Store;
  return Store;
}

IndexStore::Stamp IndexStore::stampOf(const std::string &Path) {
  Stamp S;
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status) || !llvm::sys::fs::exists(Status))
    return S;
  S.Exists = true;
  S.Size = Status.getSize();
  S.MTime = std::chrono::duration_cast<std::chrono::nanoseconds>(
                Status.getLastModificationTime().time_since_epoch())
                .count();
  return S;
}

const std::string &IndexStore::hashOf(const std::string &Path) {
  Stamp Now = stampOf(Path);
  Hashed &H = Files[Path];
  if (H.At == Now && (Now.Exists || H.Hash.empty()))
    return H.Hash;
  H.At = Now;
  H.Hash.clear();
  if (Now.Exists)
    if (auto Buffer = llvm::MemoryBuffer::getFile(Path))
      H.Hash = contentHash((*Buffer)->getBuffer());
  return H.Hash;
}

IndexStore::View IndexStore::get(const std::string &Path) {
  std::lock_guard<std::mutex> Guard(Lock);
  View Out;
  Stamp Now = stampOf(Path);
  auto [It, Inserted] = Indexes.try_emplace(Path);
  Loaded &L = It->second;
  if (Inserted || !(L.At == Now)) {
    L.At = Now;
    L.Index.reset();
    L.Problem.clear();
    if (auto Read = readFactsFile(Path))
      L.Index = std::make_shared<const Facts>(std::move(*Read));
    else
      L.Problem = llvm::toString(Read.takeError());
  }
  Out.Index = L.Index;
  Out.Problem = L.Problem;
  if (Out.Index)
    for (const FileHash &File : Out.Index->Files)
      if (hashOf(File.Path) != File.Hash)
        Out.Changed.push_back(File.Path);
  return Out;
}

namespace {

template <class T> void dropIn(std::vector<T> &Items, llvm::StringRef File) {
  llvm::erase_if(Items, [&](const T &Item) { return Item.Where.File == File; });
}

} // namespace

Facts overlay(const Facts &Whole, const Facts &Fresh, llvm::StringRef MainFile) {
  Facts Under = Whole;
  // The main file's unit stays a unit; whether it parses now is Fresh's to
  // say (it marks what it saw incomplete).
  for (TranslationUnit &TU : Under.TranslationUnits)
    if (TU.File == MainFile)
      TU = TranslationUnit(TU.File, /*Parsed=*/true, "");
  llvm::erase_if(Under.Files, [&](const FileHash &H) { return H.Path == MainFile; });
  dropIn(Under.Coroutines, MainFile);
  std::vector<Interface> Kept;
  for (Interface &I : Under.Interfaces) {
    if (I.Where.File == MainFile) {
      // Its shape is the main file's: kept only if the main file still
      // defines it (Fresh brings it back with its methods).
      auto Again = llvm::find_if(Fresh.Interfaces, [&](const Interface &F) {
        return F.Usr == I.Usr;
      });
      if (Again == Fresh.Interfaces.end())
        continue;
      I.Methods.clear();
    }
    dropIn(I.Implementations, MainFile);
    dropIn(I.DynamicUses, MainFile);
    dropIn(I.Blockers, MainFile);
    // Incomplete again only if a failure other than the main file's can
    // affect it; Fresh says whether the main file's own parse failed.
    I.Incomplete = llvm::any_of(Under.TranslationUnits, [&](const TranslationUnit &TU) {
      return couldAffect(TU, I);
    });
    Kept.push_back(std::move(I));
  }
  Under.Interfaces = std::move(Kept);
  return merge({Under, Fresh});
}

void exclude(Facts &F, const FileFilter &Excluded) {
  if (Excluded.empty())
    return;
  auto Out = [&](const auto &Item) { return Excluded.matches(Item.Where.File); };
  llvm::erase_if(F.TranslationUnits,
                 [&](const TranslationUnit &TU) { return Excluded.matches(TU.File); });
  llvm::erase_if(F.Coroutines, Out);
  llvm::erase_if(F.Interfaces, Out);
  for (Interface &I : F.Interfaces) {
    llvm::erase_if(I.Implementations, Out);
    llvm::erase_if(I.DynamicUses, Out);
    llvm::erase_if(I.Blockers, Out);
    I.Incomplete = llvm::any_of(F.TranslationUnits, [&](const TranslationUnit &TU) {
      return couldAffect(TU, I);
    });
  }
}

bool citesAny(const Interface &I, const llvm::StringSet<> &Files) {
  auto Cites = [&](const Location &L) { return Files.contains(L.File); };
  if (Cites(I.Where))
    return true;
  for (const Method &M : I.Methods)
    if (Cites(M.Where))
      return true;
  for (const Implementation &Impl : I.Implementations)
    if (Cites(Impl.Where))
      return true;
  for (const ParameterUse &U : I.ParameterUses)
    if (Cites(U.Where) || Cites(U.Definition))
      return true;
  for (const DynamicUse &U : I.DynamicUses)
    if (Cites(U.Where))
      return true;
  for (const Blocker &B : I.Blockers)
    if (Cites(B.Where))
      return true;
  return false;
}

} // namespace corotidy::index
