#!/usr/bin/env python3
"""The cost of corotidy's analysis, measured on a generated corpus.

Generates a few dozen translation units of realistic coroutine code (a task
library, lazily started tasks awaiting each other, string and view
parameters, locks, loops, lambdas, a few of the patterns the checks report),
then measures, as CPU seconds summed over the corpus:
  - clang-tidy with one trivial check (the parse: the baseline),
  - each coro-* check alone, and all of them,
  - each check's own time inside one coro-* run, from clang-tidy's
    --enable-check-profile (--store-check-profile writes one JSON file per
    translation unit; the times are user + system seconds, summed). The
    profile counts matching and the checks' match callbacks only, not work a
    check defers to onEndOfTranslationUnit (coro-dangling-reference and
    coro-missed-frame-elision do theirs there), so for the corpus the table
    also shows each check alone minus the parse, which counts everything,
  - the growth with function size (the same corpus with bodies twice as long),
  - corotidy-index cold, warm, and warm after touching one file, with the
    peak memory of one run,
  - this project's own sources (the .cpp files of every layer, model/ to checks/,
    which include the LLVM and clang headers): the parse, all coro-* checks,
    and each check's own time. Their compile commands come from
    <project-build>/compile_commands.json, or from `ninja -t compdb` in that
    directory when the file is missing; a compiler launcher (ccache) is
    dropped, and -std=c++20 is appended because the coro-* checks only run on
    C++20 translation units (the project is C++17, and has no coroutines: this
    measures what the checks cost on code that is mostly headers).
    --project-files N takes N of them, spread over the three directories;
    the default, all twenty, takes about two CPU minutes per configuration.
Prints tables and writes <out>/analysis-cost.json. No timing assertion.
"""
import argparse
import json
import os
import shlex
import pathlib
import resource
import shutil
import subprocess
import sys
import time

CHECKS = ["coro-dangling-reference", "coro-devirtualize",
          "coro-missed-frame-elision", "coro-thread-affinity"]
BASELINE = "misc-definitions-in-headers"
PROJECT_DIRS = ["model", "migration", "fixits", "index", "checks"]
LAUNCHERS = {"ccache", "sccache", "distcc"}

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
            f"  auto scale{block} = [&](int v) {{ return v * 2 + total; }};",
            f"  total = scale{block}(total) % 1000;",
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
            f"  std::vector<int> values{block}(8, total);",
            f"  for (int &v : values{block})",
            "    v += n;",
            f"  total += values{block}.back();",
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
    """Runs the commands `jobs` at a time; returns (CPU seconds, wall seconds).
    Warns about a command that fails (a translation unit that did not parse
    still counts, but the numbers are then suspect)."""
    start_cpu, start_wall = children_cpu(), time.monotonic()
    running = []

    def finish(entry):
        command, process = entry
        if process.wait() != 0:
            print(f"warning: exit {process.returncode}: {command[-1]}",
                  file=sys.stderr)

    for command in commands:
        while len(running) >= jobs:
            finish(running.pop(0))
        running.append((command, subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL)))
    for entry in running:
        finish(entry)
    return children_cpu() - start_cpu, time.monotonic() - start_wall


def tidy_commands(args, sources, compdb_dir, checks, profile_dir=None):
    profile = (["--enable-check-profile", f"--store-check-profile={profile_dir}"]
               if profile_dir else [])
    return [[args.clang_tidy, f"--load={args.plugin}", f"--checks=-*,{checks}",
             "--quiet"] + profile + ["-p", str(compdb_dir), str(s)] for s in sources]


def check_times(profile_dir):
    """Each check's own seconds (user + system), summed over the JSON files
    clang-tidy's --store-check-profile wrote, one per translation unit:
    {"file": ..., "profile": {"time.clang-tidy.<check>.user": s, ...}}."""
    times = {}
    for path in sorted(pathlib.Path(profile_dir).glob("*.json")):
        for key, seconds in json.loads(path.read_text())["profile"].items():
            parts = key.split(".")
            if parts[:2] == ["time", "clang-tidy"] and parts[-1] in ("user", "sys"):
                check = ".".join(parts[2:-1])
                times[check] = times.get(check, 0.0) + seconds
    return times


def profiled_run(args, sources, compdb_dir, profile_dir):
    """All coro-* checks with the per-check profile; returns the per-check
    seconds."""
    shutil.rmtree(profile_dir, ignore_errors=True)
    profile_dir.mkdir(parents=True)
    run_all(tidy_commands(args, sources, compdb_dir, "coro-*", profile_dir), args.jobs)
    times = check_times(profile_dir)
    if not times:
        print(f"warning: clang-tidy wrote no check profile to {profile_dir}", file=sys.stderr)
    return times


def peak_rss_of(command):
    """Peak resident memory (MiB) of one run, from a fresh child process."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + command, capture_output=True, text=True)
    return int(out.stdout.strip() or 0) / 1024


def print_check_times(columns):
    """One table of per-check seconds, a column per measured source set."""
    names = sorted({check for times in columns.values() for check in times})
    widths = {title: max(10, len(title)) for title in columns}
    print("each check's own CPU seconds (profile: --enable-check-profile, user+sys, "
          "in one coro-* run):")
    print(f"{'check':34} " + " ".join(f"{title:>{widths[title]}}" for title in columns))
    for check in names:
        print(f"{check:34} " + " ".join(f"{columns[title].get(check, 0.0):{widths[title]}.3f}"
                                        for title in columns))


def measure_corpus(args, out, rows):
    """The generated corpus: the parse, each check alone, all of them, and the
    per-check profile. Returns the sources and the per-check seconds."""
    corpus = out / "corpus"
    sources = generate(corpus, args.units, args.functions, scale=1)
    lines = sum(len(s.read_text().splitlines()) for s in sources)
    print(f"corpus: {len(sources)} translation units, {args.functions} coroutines "
          f"each, {lines} lines of code (plus the standard headers)")

    base_cpu, _ = run_all(tidy_commands(args, sources, corpus / "build", BASELINE), args.jobs)
    rows["parse"] = base_cpu
    print(f"{'configuration':34} {'CPU s':>8} {'overhead':>9}")
    print(f"{'clang-tidy, a trivial check':34} {base_cpu:8.2f} {'':>9}")
    for checks in CHECKS + ["coro-*"]:
        cpu, _ = run_all(tidy_commands(args, sources, corpus / "build", checks), args.jobs)
        rows[checks] = cpu
        print(f"{checks:34} {cpu:8.2f} {100 * (cpu - base_cpu) / base_cpu:+8.1f}%")
    profile = profiled_run(args, sources, corpus / "build", out / "profile-corpus")
    return sources, lines, profile


def measure_growth(args, out, rows):
    """The same corpus with bodies twice as long."""
    doubled = out / "corpus-x2"
    sources2 = generate(doubled, args.units, args.functions, scale=2)
    base2, _ = run_all(tidy_commands(args, sources2, doubled / "build", BASELINE), args.jobs)
    all2, _ = run_all(tidy_commands(args, sources2, doubled / "build", "coro-*"), args.jobs)
    rows["x2-parse"], rows["x2-coro-*"] = base2, all2
    own, own2 = rows["coro-*"] - rows["parse"], all2 - base2
    if own > 0.02 * rows["parse"] and own2 > 0:
        rows["x2-growth"] = own2 / own
        growth = f"the checks' own time grew x{own2 / own:.2f}"
    else:
        growth = "the checks' own time is within the noise of the parse"
    print(f"bodies twice as long: parse {base2:.2f} s, coro-* {all2:.2f} s; {growth}")


def measure_index(args, out, sources, rows):
    """corotidy-index: cold, warm, warm after touching one file."""
    corpus = out / "corpus"
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


def project_compile_commands(build_dir):
    """The project's compile commands as a list of {directory, file,
    arguments}: compile_commands.json when the build exported one, else what
    `ninja -t compdb` says the build runs."""
    exported = build_dir / "compile_commands.json"
    if exported.exists():
        entries = json.loads(exported.read_text())
    else:
        result = subprocess.run(["ninja", "-C", str(build_dir), "-t", "compdb"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"no {exported}, and `ninja -t compdb` failed: {result.stderr}")
        entries = json.loads(result.stdout)
    commands = []
    for entry in entries:
        arguments = entry.get("arguments") or shlex.split(entry.get("command", ""))
        if not arguments or not entry["file"].endswith((".cpp", ".cc", ".c")):
            continue  # ninja's phony and utility edges
        if pathlib.Path(arguments[0]).name in LAUNCHERS:
            arguments = arguments[1:]
        path = pathlib.Path(entry["directory"], entry["file"]).resolve()
        commands.append({"directory": entry["directory"], "file": str(path),
                         "arguments": arguments})
    return commands


def select_project_sources(root, commands, count):
    """The .cpp files of every layer (PROJECT_DIRS) that have a compile command,
    `count` of them (0: all) taken round-robin over the directories."""
    known = {c["file"] for c in commands}
    per_dir = [[str(p) for p in sorted((root / d).glob("*.cpp")) if str(p) in known]
               for d in PROJECT_DIRS]
    chosen = []
    while any(per_dir) and (count <= 0 or len(chosen) < count):
        for files in per_dir:
            if files and (count <= 0 or len(chosen) < count):
                chosen.append(files.pop(0))
    return chosen


def measure_project(args, out):
    """This project's own sources: the parse, all coro-* checks, and the
    per-check profile. Returns the JSON section."""
    root = pathlib.Path(args.project_root).resolve()
    commands = project_compile_commands(pathlib.Path(args.project_build).resolve())
    files = select_project_sources(root, commands, args.project_files)
    if not files:
        sys.exit(f"no compile commands for {', '.join(PROJECT_DIRS)} sources of {root}")
    compdb = out / "project"
    compdb.mkdir(parents=True, exist_ok=True)
    seen, selected = set(), []
    for command in commands:
        if command["file"] in files and command["file"] not in seen:
            seen.add(command["file"])
            selected.append(dict(command, arguments=command["arguments"] + ["-std=c++20"]))
    (compdb / "compile_commands.json").write_text(json.dumps(selected, indent=1))
    lines = sum(len(pathlib.Path(f).read_text().splitlines()) for f in files)
    print(f"project: {len(files)} translation units of {root} "
          f"({', '.join(PROJECT_DIRS)}), {lines} lines of code (plus the LLVM headers)")
    base, _ = run_all(tidy_commands(args, files, compdb, BASELINE), args.jobs)
    every, _ = run_all(tidy_commands(args, files, compdb, "coro-*"), args.jobs)
    print(f"{'clang-tidy, a trivial check':34} {base:8.2f}")
    print(f"{'coro-*':34} {every:8.2f} {100 * (every - base) / base:+8.1f}%")
    profile = profiled_run(args, files, compdb, out / "profile-project")
    return {"files": [os.path.relpath(f, root) for f in files], "lines": lines,
            "seconds": {"parse": base, "coro-*": every}}, profile


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
    parser.add_argument("--project-root", default=str(pathlib.Path(__file__).resolve().parent.parent),
                        help="the corotidy checkout whose sources to measure")
    parser.add_argument("--project-build", default=None,
                        help="its build directory (default: <project-root>/build)")
    parser.add_argument("--project-files", type=int, default=0,
                        help="how many of its .cpp files to measure (0: all, -1: none)")
    args = parser.parse_args()
    if args.project_build is None:
        args.project_build = str(pathlib.Path(args.project_root) / "build")
    out = pathlib.Path(args.out).resolve()
    rows = {}

    sources, lines, corpus_profile = measure_corpus(args, out, rows)
    measure_growth(args, out, rows)
    measure_index(args, out, sources, rows)
    profiles = {"corpus": corpus_profile}
    alone = {check: rows[check] - rows["parse"] for check in CHECKS}
    result = {"units": len(sources), "functions_per_unit": args.functions,
              "lines": lines, "jobs": args.jobs, "seconds": rows}
    if args.project_files >= 0:
        result["project"], profiles["project"] = measure_project(args, out)
    print_check_times({"corpus, alone - parse": alone, "corpus, profile": profiles["corpus"],
                       **({"project, profile": profiles["project"]} if "project" in profiles else {})})
    result["check_profile_seconds"] = profiles

    (out / "analysis-cost.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"written: {out / 'analysis-cost.json'}")


if __name__ == "__main__":
    main()
