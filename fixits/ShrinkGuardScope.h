//===--- ShrinkGuardScope.h - corotidy -------------------------*- C++ -*-===//

#ifndef COROTIDY_FIXITS_SHRINKGUARDSCOPE_H
#define COROTIDY_FIXITS_SHRINKGUARDSCOPE_H

#include "model/Model.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace corotidy::fixits {

using namespace clang;

/// Ends a lock guard's scope before the first suspension it is held at, by
/// wrapping the guard and the statements after it in a block.
///
/// Before:                          After:
///   std::lock_guard g(m);            {
///   ++counter;                         std::lock_guard g(m);
///   co_await flush();                  ++counter;
///                                    }
///                                    co_await flush();
///
/// Offered only when that is mechanical and keeps the code compiling: the
/// guard is a statement of a block, at least one statement lies between it
/// and the statement holding the suspension, nothing from the suspension on
/// names the guard, the suspending statement is followed by nothing but
/// returns, no declaration in the wrapped statements is used after them, no
/// label is wrapped, each statement sits on its own lines, and no macro is
/// involved. Returns no hints otherwise.
llvm::SmallVector<FixItHint, 8>
shrinkGuardScope(const VarDecl &Guard,
                 llvm::ArrayRef<const corotidy::model::SuspensionPoint *> HeldAt,
                 const corotidy::model::FunctionAnalysis &F);

} // namespace corotidy::fixits

#endif // COROTIDY_FIXITS_SHRINKGUARDSCOPE_H
