#!/usr/bin/env python3
"""The cost of corotidy's analysis, measured on a generated corpus.

Generates a few dozen translation units of realistic coroutine code (a task
library, lazily started tasks awaiting each other, string and view
parameters, locks, loops, lambdas, a few of the patterns the checks report),
then measures, as CPU seconds summed over the corpus:
  - clang-tidy with one trivial check (the parse: the baseline),
  - each coro-* check alone, and all of them,
  - the growth with function size (the same corpus with bodies twice as long),
  - corotidy-index cold, warm, and warm after touching one file, with the
    peak memory of one run.
Prints a table and writes <out>/analysis-cost.json. No timing assertion.
"""
import argparse
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import time

CHECKS = ["coro-dangling-reference", "coro-devirtualize",
          "coro-missed-frame-elision", "coro-thread-affinity"]
BASELINE = "misc-definitions-in-headers"

TASK_HEADER = r'''#pragma once
#include <coroutine>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
namespace corpus {
template <class T> struct Task {
  struct promise_type {
    std::optional<T> value;
    std::coroutine_handle<> next;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        return h.promise().next ? h.promise().next : std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> h;
  explicit Task(std::coroutine_handle<promise_type> h) : h(h) {}
  Task(Task &&o) noexcept : h(std::exchange(o.h, {})) {}
  ~Task() { if (h) h.destroy(); }
  bool await_ready() { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> c) { h.promise().next = c; return h; }
  T await_resume() { return std::move(*h.promise().value); }
};
struct Service {
  virtual Task<int> call(int) = 0;
  virtual ~Service() = default;
};
} // namespace corpus
'''


def function(unit, index, scale):
    """One coroutine of a few dozen lines (times `scale`), in the style of
    request-handling code."""
    name = f"handle_{unit}_{index}"
    prev = f"handle_{unit}_{index - 1}" if index else None
    lines = [f"Task<int> {name}(const std::string &key, std::string_view tag, int n) {{",
             "  int total = static_cast<int>(key.size() + tag.size());"]
    for block in range(scale):
        lines += [
            f"  for (int i = 0; i < n; ++i) {{",
            f"    std::string part = key + std::to_string(i + {block});",
            "    if (part.size() % 3 == 0)",
            "      total += static_cast<int>(part.size());",
            "    else",
            "      total -= 1;",
            "  }",
            "  {",
            "    std::lock_guard guard(statsMutex);",
            f"    stats[key] += total + {block};",
            "  }",
            "  auto scale = [&](int v) { return v * 2 + total; };",
            "  total = scale(total) % 1000;",
        ]
        if prev and index % 10 == 0:
            # Stored, then awaited: coro-missed-frame-elision reports it.
            lines += [f"  auto pending{block} = {prev}(key, tag, n - 1);",
                      f"  total += co_await std::move(pending{block});"]
        elif prev and index % 15 == 1:
            # A lock held across the await: coro-thread-affinity reports it.
            lines += ["  {",
                      "    std::lock_guard held(statsMutex);",
                      f"    total += co_await {prev}(key, tag, n - 1);",
                      "  }"]
        elif prev:
            lines += [f"  total += co_await {prev}(key, tag, n - 1);"]
        else:
            lines += ["  total += co_await service->call(n);"]
        lines += [
            "  std::vector<int> values(8, total);",
            "  for (int &v : values)",
            "    v += n;",
            "  total += values.back();",
        ]
    lines += ["  co_return total;", "}", ""]
    return lines


def generate(root, units, functions, scale):
    shutil.rmtree(root, ignore_errors=True)
    (root / "include").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "include" / "corpus.h").write_text(TASK_HEADER)
    commands = []
    for unit in range(units):
        lines = ['#include "corpus.h"', "namespace corpus {",
                 "std::mutex statsMutex;" if unit == 0 else "extern std::mutex statsMutex;",
                 "extern std::map<std::string, int> stats;" if unit else "std::map<std::string, int> stats;",
                 "extern Service *service;" if unit else "Service *service = nullptr;", ""]
        for index in range(functions):
            lines += function(unit, index, scale)
        lines.append("} // namespace corpus")
        source = root / "src" / f"unit{unit}.cpp"
        source.write_text("\n".join(lines) + "\n")
        commands.append({"directory": str(root), "file": str(source),
                         "arguments": ["clang++", "-std=c++20", f"-I{root / 'include'}",
                                       "-c", str(source)]})
    (root / "build").mkdir()
    (root / "build" / "compile_commands.json").write_text(json.dumps(commands, indent=1))
    return [pathlib.Path(c["file"]) for c in commands]


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_all(commands, jobs):
    """Runs the commands `jobs` at a time; returns (CPU seconds, wall seconds)."""
    start_cpu, start_wall = children_cpu(), time.monotonic()
    running = []
    for command in commands:
        while len(running) >= jobs:
            running.pop(0).wait()
        running.append(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
    for process in running:
        process.wait()
    return children_cpu() - start_cpu, time.monotonic() - start_wall


def tidy_commands(args, sources, root, checks):
    return [[args.clang_tidy, f"--load={args.plugin}", f"--checks=-*,{checks}",
             "--quiet", "-p", str(root / "build"), str(s)] for s in sources]


def peak_rss_of(command):
    """Peak resident memory (MiB) of one run, from a fresh child process."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + command, capture_output=True, text=True)
    return int(out.stdout.strip() or 0) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--index-tool", required=True)
    parser.add_argument("--out", required=True, help="directory for the corpus and results")
    parser.add_argument("--units", type=int, default=24)
    parser.add_argument("--functions", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve()
    rows = {}

    corpus = out / "corpus"
    sources = generate(corpus, args.units, args.functions, scale=1)
    lines = sum(len(s.read_text().splitlines()) for s in sources)
    print(f"corpus: {len(sources)} translation units, {args.functions} coroutines "
          f"each, {lines} lines of code (plus the standard headers)")

    base_cpu, _ = run_all(tidy_commands(args, sources, corpus, BASELINE), args.jobs)
    rows["parse"] = base_cpu
    print(f"{'configuration':34} {'CPU s':>8} {'overhead':>9}")
    print(f"{'clang-tidy, a trivial check':34} {base_cpu:8.2f} {'':>9}")
    for checks in CHECKS + ["coro-*"]:
        cpu, _ = run_all(tidy_commands(args, sources, corpus, checks), args.jobs)
        rows[checks] = cpu
        print(f"{checks:34} {cpu:8.2f} {100 * (cpu - base_cpu) / base_cpu:+8.1f}%")

    # Growth with function size: the same corpus with bodies twice as long.
    doubled = out / "corpus-x2"
    sources2 = generate(doubled, args.units, args.functions, scale=2)
    base2, _ = run_all(tidy_commands(args, sources2, doubled, BASELINE), args.jobs)
    all2, _ = run_all(tidy_commands(args, sources2, doubled, "coro-*"), args.jobs)
    growth = (all2 - base2) / max(rows["coro-*"] - base_cpu, 1e-9)
    rows["x2-parse"], rows["x2-coro-*"] = base2, all2
    print(f"bodies twice as long: parse {base2:.2f} s, coro-* {all2:.2f} s; "
          f"the checks' own time grew x{growth:.2f}")

    # The index: cold, warm, warm after touching one file.
    index = [args.index_tool, "-p", str(corpus / "build")]
    shutil.rmtree(corpus / "build" / ".corotidy-cache", ignore_errors=True)
    cold_cpu, cold_wall = run_all([index], 1)
    warm_cpu, warm_wall = run_all([index], 1)
    with open(sources[0], "a") as f:
        f.write("// touched\n")
    touched_cpu, touched_wall = run_all([index], 1)
    shutil.rmtree(corpus / "build" / ".corotidy-cache", ignore_errors=True)
    peak = peak_rss_of(index)
    rows.update({"index-cold-wall": cold_wall, "index-warm-wall": warm_wall,
                 "index-touched-wall": touched_wall, "index-peak-mib": peak})
    print(f"corotidy-index: cold {cold_wall:.2f} s wall, warm {warm_wall:.2f} s, "
          f"after touching one file {touched_wall:.2f} s; peak memory {peak:.0f} MiB")

    result = {"units": len(sources), "functions_per_unit": args.functions,
              "lines": lines, "jobs": args.jobs, "seconds": rows}
    (out / "analysis-cost.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"written: {out / 'analysis-cost.json'}")


if __name__ == "__main__":
    main()
