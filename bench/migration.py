#!/usr/bin/env python3
"""What coro-devirtualize's migration buys at run time.

A coroutine (`serve`) calls a handler interface in a hot loop,
`co_await h.handle(i ^ seed)`, with an elidable task type. The configurations,
all compiled with clang++-22 -std=c++20 -O2:

  virtual      bench/migration/before.cpp: `struct Handler { virtual
               Task<long> handle(long) = 0; virtual ~Handler() = default; }`,
               two implementations, `serve(Handler &, Handler &, ...)`.
  migrated     the same file after the real tool migrated it, at benchmark
               time: clang-tidy-22 --load libCoroTidy.so
               -checks='-*,coro-devirtualize' --fix --fix-errors (with
               IndexFile '-', so that no stray project index is consulted).
               Fails loudly if the file was not rewritten.
  handwritten  bench/migration/handwritten.cpp: the concept version an expert
               would write.
  floor        bench/migration/floor.cpp: the same work as plain inline member
               functions, no coroutine per call: the physical limit.
  wpd-2impl    before.cpp with ThinLTO whole-program devirtualization
               (-flto=thin -fwhole-program-vtables -fvisibility=hidden,
               linked by lld 22), two live implementations.
  wpd-1impl    the same with one live implementation
               (bench/migration/before_1impl.cpp).
  virtual-files, migrated-files
               bench/migration/files/: the same program in a project's layout,
               the interface in a header, each implementation's member
               coroutine and `serve` defined in their own source files. Built
               as is, and after corotidy-index and run-clang-tidy-22 -fix with
               coro-devirtualize.MoveDefinitionsToHeader and
               MoveMemberDefinitionsToHeader (fails loudly if anything is left
               virtual or defined in a source file).

Workloads: `2impl` (serve alternates between two handlers, so the virtual call
site really is polymorphic; each call does a few dozen instructions of work,
bench::mix), `1impl` (one live implementation: wpd-1impl and the -1impl rows),
and `light` (two implementations whose work is one addition, -DBENCH_LIGHT:
what the call itself costs, which the heavier work's dependency chain can
hide on a wide core). Each row's ratio_to_virtual is against the virtual row
of its own workload, over_floor against its floor row. The driver is the same
for every configuration: the harness in common.h runs the task `serve`
returns once to warm up, then `--reps` times, timing each run and counting
the global operator new calls made during it (alloc_counter.h; `serve`'s own
frame is allocated before the counter is read). The call count and seed come
from argv and the result goes to a volatile, so nothing folds away. With
`--rounds` above 1 the binaries run round-robin, so that a burst of load on a
busy machine spreads over all configurations.

Per row: ns/call (median over all timed repetitions; the minimum is kept as
ns_per_call_min), allocations per call, the ratio to virtual and the
overhead over the floor. Prints a table and writes <out>/migration.json and
a bar chart, <out>/migration.svg; builds in <out>/migration/. Exits non-zero
only when a migrated configuration allocates (that is deterministic); whether
the migrated rows are within 10% of the floor is printed, not enforced.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import time

SOURCES = pathlib.Path(__file__).resolve().parent / "migration"
CXXFLAGS = ["-std=c++20", "-O2", "-Wall", "-Wextra", f"-I{SOURCES}"]
WPD_FLAGS = ["-flto=thin", "-fwhole-program-vtables", "-fvisibility=hidden", "-fuse-ld=lld"]

# name, workload, source (a file in SOURCES; "migrate:" and the file the
# tool migrates; "files" or "migrate-files" for the project layout),
# whole-program devirtualization.
CONFIGS = [
    ("virtual", "2impl", "before.cpp", False),
    ("migrated", "2impl", "migrate:before.cpp", False),
    ("handwritten", "2impl", "handwritten.cpp", False),
    ("floor", "2impl", "floor.cpp", False),
    ("wpd-2impl", "2impl", "before.cpp", True),
    ("virtual-files", "2impl", "files", False),
    ("migrated-files", "2impl", "migrate-files", False),
    ("virtual-1impl", "1impl", "before_1impl.cpp", False),
    ("migrated-1impl", "1impl", "migrate:before_1impl.cpp", False),
    ("handwritten-1impl", "1impl", "handwritten_1impl.cpp", False),
    ("floor-1impl", "1impl", "floor_1impl.cpp", False),
    ("wpd-1impl", "1impl", "before_1impl.cpp", True),
    ("virtual-light", "light", "before.cpp", False),
    ("migrated-light", "light", "migrate:before.cpp", False),
    ("handwritten-light", "light", "handwritten.cpp", False),
    ("floor-light", "light", "floor.cpp", False),
    ("virtual-files-light", "light", "files", False),
    ("migrated-files-light", "light", "migrate-files", False),
]
BASELINE = {"2impl": "virtual", "1impl": "virtual-1impl", "light": "virtual-light"}
FLOOR = {"2impl": "floor", "1impl": "floor-1impl", "light": "floor-light"}
IMPLS = {"2impl": 2, "1impl": 1, "light": 2}
LAYOUT_FILES = ["main.cpp", "checksum.cpp", "scrambler.cpp", "serve.cpp"]


def fail(message):
    print(f"migration bench: {message}", file=sys.stderr)
    sys.exit(1)


def code_lines(text):
    """The lines of a C++ file without their // comments."""
    return [line.split("//", 1)[0] for line in text.splitlines()]


def check_migrated(path, output):
    """The tool must have turned the interface into a concept and left no
    virtual function or override behind."""
    lines = code_lines(path.read_text())
    leftovers = [l for l in lines if re.search(r"\b(virtual|override)\b", l)]
    if not any(re.search(r"\bconcept Handler\b", l) for l in lines) or leftovers:
        fail(f"coro-devirtualize did not migrate {path}:\n{output}\n"
             f"left: {leftovers}")


def run_tool(args, command, prepare):
    """Runs the migration; retries while the plugin is missing or fails to
    load (it may be mid-rebuild). `prepare` lays out fresh sources."""
    for attempt in range(args.tool_retries + 1):
        prepare()
        result = subprocess.run(command, capture_output=True, text=True)
        output = result.stdout + result.stderr
        if result.returncode == 0 and ("applied" in output or "Applying fixes" in output):
            return output
        if attempt < args.tool_retries:
            print(f"clang-tidy failed (exit {result.returncode}), retrying in 15 s "
                  "(the plugin may be mid-rebuild)", file=sys.stderr)
            time.sleep(15)
    return output


def migrate(args, source, dest):
    """Copies `source` to `dest` and runs the real migration on it."""
    config = "{CheckOptions: {coro-devirtualize.IndexFile: '-'}}"
    command = [args.clang_tidy, f"--load={args.plugin}", "-checks=-*,coro-devirtualize",
               "--fix", "--fix-errors", f"--config={config}", str(dest),
               "--", "-std=c++20", f"-I{SOURCES}"]
    output = run_tool(args, command, lambda: shutil.copyfile(source, dest))
    check_migrated(dest, output)
    return output


def layout_commands(directory):
    return [{"directory": str(directory), "file": str(directory / name),
             "arguments": ["clang++-22", "-std=c++20", "-O2", f"-I{SOURCES}",
                           f"-I{directory}", "-c", str(directory / name)]}
            for name in LAYOUT_FILES]


def migrate_files(args, dest):
    """Copies the project layout to `dest`, indexes it and migrates it with
    run-clang-tidy -fix, moving the definitions into the headers."""
    build_dir = dest / "build"

    def prepare():
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(SOURCES / "files", dest)
        build_dir.mkdir()
        (build_dir / "compile_commands.json").write_text(
            json.dumps(layout_commands(dest), indent=1))
        subprocess.run([args.index_tool, "-p", str(build_dir)], check=True,
                       capture_output=True)

    llvm_bin = pathlib.Path(args.clang_tidy).parent
    config = ("{CheckOptions: {coro-devirtualize.MoveDefinitionsToHeader: true, "
              "coro-devirtualize.MoveMemberDefinitionsToHeader: true}}")
    command = [str(llvm_bin / "run-clang-tidy"), "-clang-tidy-binary", args.clang_tidy,
               "-clang-apply-replacements-binary", str(llvm_bin / "clang-apply-replacements"),
               "-load", args.plugin, "-checks=-*,coro-devirtualize", "-p", str(build_dir),
               "-quiet", "-fix", f"-config={config}"]
    output = run_tool(args, command, prepare)
    check_migrated(dest / "handler.h", output)
    for name in ["checksum.h", "scrambler.h", "serve.h"]:
        if "{" not in "".join(code_lines((dest / name).read_text())):
            fail(f"coro-devirtualize did not move the definitions into {dest / name}:\n{output}")
    for name in LAYOUT_FILES[1:]:
        if "co_return" in (dest / name).read_text():
            fail(f"a definition stayed in {dest / name}:\n{output}")
    return output


def lld_for(cxx):
    """The lld beside the compiler: ThinLTO objects of LLVM 22 need lld 22
    (-fuse-ld=lld looks in the compiler's directory first)."""
    compiler = shutil.which(cxx)
    if compiler is None:
        fail(f"{cxx} not found; run scripts/bootstrap")
    lld = pathlib.Path(os.path.realpath(compiler)).parent / "ld.lld"
    if not lld.exists():
        fail(f"{lld} not found (Debian package lld-22); run scripts/bootstrap")
    return lld


def build(args, name, sources, wpd, light, include=None):
    binary = args.work / name
    command = ([args.cxx] + CXXFLAGS + (WPD_FLAGS if wpd else []) +
               (["-DBENCH_LIGHT"] if light else []) +
               ([f"-I{include}"] if include else []) +
               [str(s) for s in sources] + ["-o", str(binary)])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"building {name} failed:\n{' '.join(command)}\n{result.stderr}")
    return binary


def prepare(args):
    """Migrates and builds every configuration; returns {name: binary}."""
    binaries = {}
    migrated = {}
    for name, workload, source, wpd in CONFIGS:
        light = workload == "light"
        include = None
        if source.startswith("migrate:"):
            original = SOURCES / source.split(":", 1)[1]
            if original not in migrated:
                dest = args.work / f"migrated-{original.name}"
                migrate(args, original, dest)
                print(f"{original.name} migrated by coro-devirtualize -> {dest}")
                migrated[original] = dest
            sources = [migrated[original]]
        elif source in ("files", "migrate-files"):
            directory = SOURCES / "files"
            if source == "migrate-files":
                if "files" not in migrated:
                    migrated["files"] = args.work / "migrated-layout"
                    migrate_files(args, migrated["files"])
                    print(f"files/ migrated by coro-devirtualize (definitions moved "
                          f"into the headers) -> {migrated['files']}")
                directory = migrated["files"]
            sources = [directory / f for f in LAYOUT_FILES]
            include = directory
        else:
            sources = [SOURCES / source]
        binaries[name] = build(args, name, sources, wpd, light, include)
    return binaries


def run_once(binary, args):
    result = subprocess.run([str(binary), str(args.calls), str(args.reps), str(args.seed)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{binary} exited {result.returncode}: {result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(binaries, args):
    """Runs the binaries round-robin; returns {name: (ns samples, allocs, calls)}."""
    samples = {name: ([], 0, 0) for name in binaries}
    for _ in range(args.rounds):
        for name, binary in binaries.items():
            out = run_once(binary, args)
            nanos, allocs, calls = samples[name]
            samples[name] = (nanos + out["ns_per_call"], allocs + sum(out["allocations"]),
                             calls + out["calls"] * len(out["allocations"]))
    return samples


def rows_from(samples):
    rows = []
    for name, workload, source, wpd in CONFIGS:
        nanos, allocs, calls = samples[name]
        rows.append({"config": name, "ns_per_call": round(statistics.median(nanos), 3),
                     "allocs_per_call": allocs / calls,
                     "ns_per_call_min": round(min(nanos), 3),
                     "impls": IMPLS[workload], "workload": workload,
                     "layout": "files" if "files" in source else "one-file",
                     "baseline": BASELINE[workload], "floor": FLOOR[workload],
                     "wpd": wpd, "repetitions": len(nanos)})
    by_name = {row["config"]: row for row in rows}
    for row in rows:
        row["ratio_to_virtual"] = round(row["ns_per_call"] / by_name[row["baseline"]]["ns_per_call"], 3)
        row["over_floor"] = round(row["ns_per_call"] / by_name[row["floor"]]["ns_per_call"] - 1, 3)
    return rows


def print_table(rows):
    print(f"{'config':21} {'workload':8} {'ns/call':>8} {'min':>7} {'allocs/call':>11} "
          f"{'vs virtual':>10} {'over floor':>10}")
    for row in rows:
        print(f"{row['config']:21} {row['workload']:8} {row['ns_per_call']:8.2f} "
              f"{row['ns_per_call_min']:7.2f} {row['allocs_per_call']:11.3f} "
              f"{row['ratio_to_virtual']:9.2f}x {row['over_floor']:+10.1%}")


def verdict(rows):
    """Prints whether the migrated rows allocate nothing and are within 10%
    of the floor; returns False if a migrated row allocates."""
    ok = True
    for row in rows:
        if not row["config"].startswith("migrated"):
            continue
        within = row["over_floor"] <= 0.10
        print(f"{row['config']}: {row['allocs_per_call']:g} allocations per call "
              f"({'ok' if row['allocs_per_call'] == 0 else 'EXPECTED 0'}); "
              f"{row['over_floor']:+.1%} over {row['floor']} "
              f"({'within' if within else 'NOT within'} 10%)")
        ok = ok and row["allocs_per_call"] == 0
    return ok


def svg_chart(rows):
    """A horizontal bar chart of ns/call, one bar per configuration; bars of
    configurations that allocate per call are drawn in a second colour."""
    bar, gap, left, width, top = 22, 8, 150, 420, 40
    longest = max(row["ns_per_call"] for row in rows)
    height = top + len(rows) * (bar + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 240}" '
             f'height="{height}" font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{left}" y="22" font-size="14" font-weight="bold">'
             'Handler call in a coroutine hot loop: ns per call (clang++-22 -O2)</text>']
    for i, row in enumerate(rows):
        y = top + i * (bar + gap)
        length = width * row["ns_per_call"] / longest
        colour = "#c0504d" if row["allocs_per_call"] > 0 else "#4f81bd"
        parts += [f'<text x="{left - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end">{row["config"]}</text>',
                  f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>',
                  f'<text x="{left + length + 6:.1f}" y="{y + bar * 0.7:.1f}">'
                  f'{row["ns_per_call"]:.1f} ns, {row["allocs_per_call"]:.2g} alloc/call, '
                  f'{row["over_floor"]:+.0%} over floor</text>']
    legend_y = height - 14
    parts += [f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="#c0504d"/>',
              f'<text x="{left + 16}" y="{legend_y}">allocates a frame per call</text>',
              f'<rect x="{left + 190}" y="{legend_y - 10}" width="12" height="12" fill="#4f81bd"/>',
              f'<text x="{left + 206}" y="{legend_y}">no allocation (frame elided)</text>',
              "</svg>"]
    return "\n".join(parts) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cxx", default="clang++-22")
    parser.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    parser.add_argument("--plugin", required=True, help="build/lib/libCoroTidy.so")
    parser.add_argument("--index-tool", required=True, help="build/bin/corotidy-index")
    parser.add_argument("--out", required=True, help="directory for the results")
    parser.add_argument("--calls", type=int, default=10_000_000, help="calls per repetition")
    parser.add_argument("--reps", type=int, default=7, help="timed repetitions per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each binary, round-robin")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--tool-retries", type=int, default=8)
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve()
    args.work = out / "migration"
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)

    lld_for(args.cxx)
    binaries = prepare(args)
    rows = rows_from(measure(binaries, args))
    print_table(rows)
    ok = verdict(rows)
    (out / "migration.json").write_text(json.dumps(rows, indent=1) + "\n")
    (out / "migration.svg").write_text(svg_chart(rows))
    print(f"written: {out / 'migration.json'}, {out / 'migration.svg'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
