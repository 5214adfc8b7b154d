//===--- Storage.cpp - corotidy --------------------------------*- C++ -*-===//

#include "index/Storage.h"
#include "index/FactsYaml.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>

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

// ---- Excluded files ----------------------------------------------------------

llvm::Expected<FileFilter> FileFilter::create(const std::vector<std::string> &Patterns) {
  FileFilter Filter;
  for (const std::string &Pattern : Patterns) {
    auto Compiled = std::make_shared<llvm::Regex>(Pattern);
    std::string Error;
    if (Pattern.empty() || !Compiled->isValid(Error))
      return llvm::createStringError("invalid exclude regex '" + Pattern + "': " +
                                     (Pattern.empty() ? "empty" : Error));
    Filter.Patterns.push_back(std::move(Compiled));
  }
  return Filter;
}

bool FileFilter::matches(llvm::StringRef AbsolutePath) const {
  return std::any_of(Patterns.begin(), Patterns.end(),
                     [&](const auto &Pattern) { return Pattern->match(AbsolutePath); });
}

// ---- Dependencies ------------------------------------------------------------

static constexpr llvm::StringLiteral DepsMagic = "corotidy-deps 1";

llvm::Error writeDependencies(llvm::StringRef Path,
                              const std::vector<Dependency> &Deps) {
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  Out << DepsMagic << "\n";
  for (const Dependency &D : Deps) {
    if (D.MustBeMissing)
      Out << "m " << D.Path << "\n";
    else
      Out << "f " << D.Hash << " " << D.Size << " " << D.MTime << " " << D.Path
          << "\n";
  }
  return writeAtomically(Path, Text);
}

llvm::Expected<std::vector<Dependency>> readDependencies(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read '" + Path.str() +
                                                          "'");
  llvm::StringRef Text = (*Buffer)->getBuffer();
  auto Malformed = [&] {
    return llvm::createStringError("malformed dependency file '" + Path.str() + "'");
  };
  auto [Magic, Rest] = Text.split('\n');
  if (Magic != DepsMagic)
    return Malformed();
  std::vector<Dependency> Deps;
  while (!Rest.empty()) {
    llvm::StringRef Line;
    std::tie(Line, Rest) = Rest.split('\n');
    Dependency D;
    if (Line.consume_front("m ")) {
      D.MustBeMissing = true;
      D.Path = Line.str();
    } else if (Line.consume_front("f ")) {
      llvm::StringRef Hash, Size, MTime;
      std::tie(Hash, Line) = Line.split(' ');
      std::tie(Size, Line) = Line.split(' ');
      std::tie(MTime, Line) = Line.split(' ');
      if (Hash.empty() || Line.empty() || Size.getAsInteger(10, D.Size) ||
          MTime.getAsInteger(10, D.MTime))
        return Malformed();
      D.Hash = Hash.str();
      D.Path = Line.str();
    } else {
      return Malformed();
    }
    Deps.push_back(std::move(D));
  }
  return Deps;
}

static int64_t nanoseconds(llvm::sys::TimePoint<> T) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(T.time_since_epoch())
      .count();
}

bool DependencyChecker::unchanged(const Dependency &D) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto [It, Inserted] = Paths.try_emplace(D.Path);
  Seen &S = It->second;
  if (Inserted) {
    llvm::sys::fs::file_status Status;
    if (!llvm::sys::fs::status(D.Path, Status)) {
      S.Exists = true;
      S.Size = Status.getSize();
      S.MTime = nanoseconds(Status.getLastModificationTime());
    }
  }
  if (D.MustBeMissing)
    return !S.Exists;
  if (!S.Exists)
    return false;
  if (D.MTime != 0 && S.MTime == D.MTime && S.Size == D.Size)
    return true;
  if (!S.Hashed) {
    S.Hashed = true;
    if (auto Buffer = llvm::MemoryBuffer::getFile(D.Path))
      S.Hash = contentHash((*Buffer)->getBuffer());
  }
  return S.Hash == D.Hash;
}

// ---- What a translation unit read ----------------------------------------------

void IncludeRecorder::InclusionDirective(
    clang::SourceLocation HashLoc, const clang::Token &, llvm::StringRef FileName,
    bool IsAngled, clang::CharSourceRange, clang::OptionalFileEntryRef File,
    llvm::StringRef, llvm::StringRef, const clang::Module *, bool,
    clang::SrcMgr::CharacteristicKind) {
  if (File)
    return;
  Missing.push_back(FileName.str());
  auto Candidate = [&](llvm::StringRef Dir) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, FileName);
    llvm::sys::fs::make_absolute(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    Candidates.push_back(Path.str().str());
  };
  const clang::SourceManager &SM = PP.getSourceManager();
  if (llvm::sys::path::is_absolute(FileName)) {
    Candidates.push_back(FileName.str());
    return;
  }
  if (!IsAngled)
    if (clang::OptionalFileEntryRef Includer =
            SM.getFileEntryRefForID(SM.getFileID(SM.getExpansionLoc(HashLoc))))
      Candidate(llvm::sys::path::parent_path(Includer->getName()));
  for (const clang::DirectoryLookup &Dir :
       PP.getHeaderSearchInfo().search_dir_range())
    if (clang::OptionalDirectoryEntryRef Entry = Dir.getDirRef())
      Candidate(Entry->getName());
}

namespace {

// The path facts use for a file: its real path when known.
std::string pathOf(clang::FileEntryRef Entry) {
  llvm::StringRef Real = Entry.getFileEntry().tryGetRealPathName();
  return Real.empty() ? Entry.getName().str() : Real.str();
}

// Each file entered into the translation unit once, with whether it is a
// system header.
template <class Callback>
void forEachFileRead(const clang::SourceManager &SM, Callback Each) {
  llvm::StringSet<> Done;
  for (unsigned I = 0, N = SM.local_sloc_entry_size(); I < N; ++I) {
    const clang::SrcMgr::SLocEntry &Entry = SM.getLocalSLocEntry(I);
    if (!Entry.isFile())
      continue;
    const clang::SrcMgr::FileInfo &Info = Entry.getFile();
    const clang::SrcMgr::ContentCache &Content = Info.getContentCache();
    if (!Content.OrigEntry)
      continue;
    std::string Path = pathOf(*Content.OrigEntry);
    if (!Done.insert(Path).second)
      continue;
    Each(Path, Content, clang::SrcMgr::isSystem(Info.getFileCharacteristic()));
  }
}

} // namespace

std::vector<Dependency> readFiles(const clang::SourceManager &SM,
                                  const IncludeRecorder *Includes,
                                  llvm::sys::TimePoint<> Start) {
  std::vector<Dependency> Deps;
  // Files changed shortly before or during this run (on a file system with
  // coarse timestamps, a later edit could keep the same time).
  int64_t Racy = nanoseconds(Start - std::chrono::seconds(2));
  forEachFileRead(SM, [&](const std::string &Path,
                          const clang::SrcMgr::ContentCache &Content, bool) {
    Dependency D;
    D.Path = Path;
    std::optional<llvm::MemoryBufferRef> Buffer = Content.getBufferIfLoaded();
    if (!Buffer)
      return; // Never read (a skipped include-guarded header): nothing to hash.
    D.Hash = contentHash(Buffer->getBuffer());
    llvm::sys::fs::file_status Status;
    if (!llvm::sys::fs::status(Path, Status)) {
      D.Size = Status.getSize();
      D.MTime = nanoseconds(Status.getLastModificationTime());
      // Changed during this run: what was read may not be what is there, so
      // the next check compares the contents.
      if (D.MTime >= Racy || D.Size != Buffer->getBufferSize())
        D.MTime = 0;
    }
    Deps.push_back(std::move(D));
  });
  if (Includes)
    for (const std::string &Path : Includes->Candidates)
      Deps.push_back({Path, /*MustBeMissing=*/true, "", 0, 0});
  return Deps;
}

void recordReach(TranslationUnit &TU, const clang::SourceManager &SM,
                 const IncludeRecorder &Includes) {
  TU.IncludesKnown = true;
  TU.Includes.clear();
  forEachFileRead(SM, [&](const std::string &Path, const clang::SrcMgr::ContentCache &,
                          bool System) {
    if (!System)
      TU.Includes.push_back(Path);
  });
  std::sort(TU.Includes.begin(), TU.Includes.end());
  TU.MissingIncludes = Includes.Missing;
  std::sort(TU.MissingIncludes.begin(), TU.MissingIncludes.end());
  TU.MissingIncludes.erase(
      std::unique(TU.MissingIncludes.begin(), TU.MissingIncludes.end()),
      TU.MissingIncludes.end());
}

} // namespace corotidy::index
