#!/usr/bin/env python3
"""What coro-devirtualize's migration buys at run time.

One workload: a coroutine (`serve`) calls a handler interface in a hot loop,
`co_await h.handle(i ^ seed)`, and each call does a few dozen instructions of
work (bench::mix in bench/migration/common.h) on the handler's state. The task
type is `[[clang::coro_await_elidable]]`. The configurations, all compiled with
clang++-22 -std=c++20 -O2:

  virtual      bench/migration/before.cpp: `struct Handler { virtual
               Task<long> handle(long) = 0; virtual ~Handler() = default; }`,
               two implementations, `serve(Handler &, Handler &, ...)`.
  migrated     the same file after the real tool migrated it, at benchmark
               time: clang-tidy-22 --load libCoroTidy.so
               -checks='-*,coro-devirtualize' --fix --fix-errors (with
               IndexFile '-', so that no stray project index is consulted).
               Fails loudly if the file was not rewritten.
  handwritten  bench/migration/handwritten.cpp: the concept version an expert
               would write, the ceiling.
  wpd-2impl    before.cpp with ThinLTO whole-program devirtualization
               (-flto=thin -fwhole-program-vtables -fvisibility=hidden,
               linked by lld 22), two live implementations.
  wpd-1impl    the same with one live implementation
               (bench/migration/before_1impl.cpp).

Workloads: every row above except wpd-1impl runs the two-implementation
workload, in which `serve` alternates between the two handlers, so the
virtual call site really is polymorphic. wpd-1impl has one live
implementation by definition, so the one-implementation workload also runs as
virtual-1impl, migrated-1impl and handwritten-1impl (extra rows), and each
row's ratio_to_virtual is against the virtual row of its own workload
(`baseline` in the JSON). The driver is the same for every configuration: the
harness in common.h runs the task `serve` returns once to warm up, then
`--reps` times, timing each run and counting the global operator new calls
made during it (the replaced operator new increments a counter; `serve`'s own
frame is allocated before the counter is read). The call count and seed come
from argv and the result goes to a volatile, so nothing folds away. With
`--rounds` above 1 the binaries run round-robin, so that a burst of load on a
busy machine spreads over all configurations.

Per row: ns/call (median over all timed repetitions; the minimum is kept as
ns_per_call_min), allocations per call (all allocations over all calls) and
the ratio to virtual. Prints a table and writes <out>/migration.json and a bar
chart, <out>/migration.svg; builds in <out>/migration/. Exits non-zero only
when a migrated configuration allocates (that is deterministic); whether the
migrated version is within 10% of the hand-written one is printed, not
enforced.
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

# name, workload, source (a file in SOURCES, or "migrate:" and the file the
# tool migrates), whole-program devirtualization.
CONFIGS = [
    ("virtual", "2impl", "before.cpp", False),
    ("migrated", "2impl", "migrate:before.cpp", False),
    ("handwritten", "2impl", "handwritten.cpp", False),
    ("wpd-2impl", "2impl", "before.cpp", True),
    ("virtual-1impl", "1impl", "before_1impl.cpp", False),
    ("migrated-1impl", "1impl", "migrate:before_1impl.cpp", False),
    ("handwritten-1impl", "1impl", "handwritten_1impl.cpp", False),
    ("wpd-1impl", "1impl", "before_1impl.cpp", True),
]
BASELINE = {"2impl": "virtual", "1impl": "virtual-1impl"}
IMPLS = {"2impl": 2, "1impl": 1}


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


def migrate(args, source, dest):
    """Copies `source` to `dest` and runs the real migration on it. Retries
    while the plugin is missing or fails to load (it may be mid-rebuild)."""
    config = "{CheckOptions: {coro-devirtualize.IndexFile: '-'}}"
    command = [args.clang_tidy, f"--load={args.plugin}", "-checks=-*,coro-devirtualize",
               "--fix", "--fix-errors", f"--config={config}", str(dest),
               "--", "-std=c++20", f"-I{SOURCES}"]
    for attempt in range(args.tool_retries + 1):
        shutil.copyfile(source, dest)
        result = subprocess.run(command, capture_output=True, text=True)
        output = result.stdout + result.stderr
        if result.returncode == 0 and "applied" in output:
            break
        if attempt < args.tool_retries:
            print(f"clang-tidy failed (exit {result.returncode}), retrying in 15 s "
                  "(the plugin may be mid-rebuild)", file=sys.stderr)
            time.sleep(15)
    check_migrated(dest, output)
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


def build(args, name, source, wpd):
    binary = args.work / name
    command = [args.cxx] + CXXFLAGS + (WPD_FLAGS if wpd else []) + [str(source), "-o", str(binary)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"building {name} failed:\n{' '.join(command)}\n{result.stderr}")
    return binary


def prepare(args):
    """Migrates and builds every configuration; returns {name: binary}."""
    binaries = {}
    for name, _, source, wpd in CONFIGS:
        if source.startswith("migrate:"):
            original = SOURCES / source.split(":", 1)[1]
            dest = args.work / f"{name}.cpp"
            migrate(args, original, dest)
            print(f"{name}: {original.name} migrated by coro-devirtualize -> {dest}")
            source_path = dest
        else:
            source_path = SOURCES / source
        binaries[name] = build(args, name, source_path, wpd)
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
    for name, workload, _, wpd in CONFIGS:
        nanos, allocs, calls = samples[name]
        rows.append({"config": name, "ns_per_call": round(statistics.median(nanos), 3),
                     "allocs_per_call": allocs / calls,
                     "ns_per_call_min": round(min(nanos), 3),
                     "impls": IMPLS[workload], "workload": workload,
                     "baseline": BASELINE[workload], "wpd": wpd,
                     "repetitions": len(nanos)})
    by_name = {row["config"]: row for row in rows}
    for row in rows:
        row["ratio_to_virtual"] = round(row["ns_per_call"] / by_name[row["baseline"]]["ns_per_call"], 3)
    return rows


def print_table(rows):
    print(f"{'config':18} {'impls':>5} {'ns/call':>8} {'min':>7} {'allocs/call':>11} {'vs virtual':>10}")
    for row in rows:
        print(f"{row['config']:18} {row['impls']:5d} {row['ns_per_call']:8.2f} "
              f"{row['ns_per_call_min']:7.2f} {row['allocs_per_call']:11.3f} "
              f"{row['ratio_to_virtual']:9.2f}x")


def verdict(rows):
    """Prints whether the migrated rows allocate nothing and are within 10%
    of the hand-written ones; returns False if a migrated row allocates."""
    by_name = {row["config"]: row for row in rows}
    ok = True
    for migrated, handwritten in [("migrated", "handwritten"), ("migrated-1impl", "handwritten-1impl")]:
        m, h = by_name[migrated], by_name[handwritten]
        gap = m["ns_per_call"] / h["ns_per_call"] - 1
        within = abs(gap) <= 0.10
        print(f"{migrated}: {m['allocs_per_call']:g} allocations per call "
              f"({'ok' if m['allocs_per_call'] == 0 else 'EXPECTED 0'}); "
              f"{gap:+.1%} against {handwritten} "
              f"({'within' if within else 'NOT within'} 10%)")
        ok = ok and m["allocs_per_call"] == 0
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
                  f'{row["ratio_to_virtual"]:.2f}x</text>']
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
