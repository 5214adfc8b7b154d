//===--- MissedFrameElisionCheck.h - corotidy ------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_MISSEDFRAMEELISIONCHECK_H
#define COROTIDY_CHECKS_MISSEDFRAMEELISIONCHECK_H

#include "checks/CoroCheck.h"
#include "model/Model.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include <optional>

namespace clang::tidy::coro {

/// Finds the reasons a directly awaited coroutine call still allocates its
/// frame: the task is stored before it is awaited, the task type is not
/// [[clang::coro_await_elidable]], the awaiting coroutine's type is not, the
/// call is indirect, or the callee is defined in another translation unit.
///
/// For the user-facing documentation see:
/// docs/checks/coro-missed-frame-elision.md
class MissedFrameElisionCheck : public CoroCheck {
public:
  MissedFrameElisionCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  /// Report only tasks whose type is [[clang::coro_await_elidable]], where
  /// awaiting the call directly removes a heap allocation.
  const bool OnlyElidableTasks;
  /// Task types declared in these files (regex list on the path) are not
  /// ours to annotate, like those in system headers.
  const std::string IgnoredHeadersText;
  const RegexList IgnoredHeaders;
  /// Spelling of the attribute in the fix (a macro the project defines), or
  /// empty for `[[clang::coro_await_elidable]]` itself.
  const std::string ElidableMacro;
  /// The corotidy index that says which coroutines other translation units
  /// define (as coro-devirtualize's option: '' finds the nearest, '-' none).
  const std::string IndexFile;

  /// Awaited calls, in the position clang elides from, of a coroutine
  /// another translation unit defines (known from the index), by callee.
  struct CrossFileCalls {
    unsigned Count = 0;
    SourceLocation First;
    std::string DefinedIn;
  };
  /// By callee and the file the calls are written in (a header's calls are
  /// counted on their own, the same in every translation unit).
  llvm::MapVector<std::pair<const FunctionDecl *, FileID>, CrossFileCalls> CrossFile;
  /// Coroutines other translation units define, by USR: their file. Loaded
  /// from the index on first need; empty when it is missing or stale.
  std::optional<llvm::StringMap<std::string>> SourceCoroutines;
  void recordCrossFileCalls(const corotidy::model::FunctionAnalysis &F);

  /// How the tasks of one task type (or class template) are consumed.
  struct TaskTypeUses {
    unsigned Awaited = 0;
    unsigned Other = 0;
    SourceLocation FirstAwait;
  };
  /// How every call producing a task of a non-elidable type is used, by
  /// type. Judged at the end of the translation unit.
  llvm::MapVector<const CXXRecordDecl *, TaskTypeUses> TaskCalls;
  ASTContext *Context = nullptr;

  void recordTaskCall(const CallExpr &Call,
                      const corotidy::model::FunctionAnalysis &F);
  void checkAwaitedCalls(const corotidy::model::FunctionAnalysis &F);
  void reportNonElidableTaskType(const CXXRecordDecl &Task,
                                 const TaskTypeUses &Uses);

  void checkAdjacentStatements(const DeclStmt &Decl, const Stmt &Next,
                               const corotidy::model::FunctionAnalysis &F);
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_MISSEDFRAMEELISIONCHECK_H
