// The "before" sources of the migration benchmark in a project's layout:
// the interface in a header, each implementation's member coroutine and the
// dispatch coroutine `serve` defined in their own source files.
// bench/migration.py builds them as they are (`virtual-files`) and after
// coro-devirtualize migrated them with MoveDefinitionsToHeader and
// MoveMemberDefinitionsToHeader (`migrated-files`).
#pragma once
#include "common.h"

// Handles one request.
struct Handler {
  virtual bench::Task<long> handle(long request) = 0;
  virtual ~Handler() = default;
};
