#!/usr/bin/env python3
"""How corotidy-index scales with the number of translation units.

Generates the coroutine corpus of bench/analysis_cost.py (the same
generator: --functions coroutines of a few dozen lines per translation unit)
at several sizes, --base translation units times each --scales factor (by
default 12 x 1, 2, 5, 10: today's corpus and ten times it), and measures on
each, with --jobs threads:
  - cold: an empty cache, every translation unit parsed (median of
    --cold-reps runs);
  - warm: nothing changed (median of --reps runs);
  - touched: one source file edited, so it alone is parsed again (median of
    --reps runs, a different edit each time);
  - shards and merge: --shards partial indexes (`--shard I/N`, from the warm
    cache) and `corotidy-index merge` of them, which must be byte-identical
    to the index of one run (the script fails if not).
Each run is one child process; its CPU time (user + system) and peak resident
memory come from wait4(), so they count that run only. Prints a table and
the ratios that show linear growth (cold CPU per translation unit against
the smallest size), checks the warm one-file update against --budget seconds
(wall), and writes <out>/index-scale.json. Exits non-zero only when the
merged index differs or a run fails.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from analysis_cost import generate  # noqa: E402  (the corpus generator)


def run(command):
    """Runs one command; returns (wall s, CPU s, peak MiB, stdout)."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    out, err = "", ""
    # communicate() would reap the child; read first, then wait4 for rusage.
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{out}{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def median_run(commands_before, command, reps):
    """`reps` runs of `command`, each after calling commands_before(i);
    the median of each measure, and the largest peak memory."""
    walls, cpus, peaks = [], [], []
    for i in range(reps):
        commands_before(i)
        wall, cpu, peak, _ = run(command)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus),
            "peak_mib": max(peaks), "runs": reps}


def measure(args, units, out):
    corpus = out / f"corpus-{units}"
    sources = generate(corpus, units, args.functions, scale=1)
    build = corpus / "build"
    index = [args.index_tool, "-p", str(build), f"-j{args.jobs}"]
    def empty_cache(i):
        shutil.rmtree(build / ".corotidy-cache", ignore_errors=True)
    result = {"units": units,
              "lines": sum(len(s.read_text().splitlines()) for s in sources),
              "cold": median_run(empty_cache, index, args.cold_reps)}
    index_text = (build / "corotidy-index.yaml").read_text()
    if index_text.count("parsed: true") != units:
        sys.exit(f"a cold run did not parse all {units} translation units")
    result["warm"] = median_run(lambda i: None, index, args.reps)

    def touch(i):
        with open(sources[len(sources) // 2], "a") as f:
            f.write(f"// touched {i}\n")
    result["touched"] = median_run(touch, index, args.reps)

    single = (build / "corotidy-index.yaml").read_bytes()
    partials = []
    for i in range(1, args.shards + 1):
        run(index + [f"--shard={i}/{args.shards}"])
        partials.append(str(build / f"corotidy-index.shard-{i}-of-{args.shards}.yaml"))
    merged = build / "merged.yaml"
    merge = [args.index_tool, "merge", *partials, "-o", str(merged)]
    result["merge"] = median_run(lambda i: None, merge, args.reps)
    result["merge"]["identical"] = merged.read_bytes() == single
    result["index_bytes"] = len(single)
    if not result["merge"]["identical"]:
        sys.exit(f"the merge of {args.shards} shards differs from one run: "
                 f"diff {build / 'corotidy-index.yaml'} {merged}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-tool", required=True)
    parser.add_argument("--out", required=True, help="directory for the corpora and results")
    parser.add_argument("--base", type=int, default=12, help="translation units at scale 1")
    parser.add_argument("--scales", default="1,2,5,10")
    parser.add_argument("--functions", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--cold-reps", type=int, default=1,
                        help="cold runs per size (the median is reported)")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--budget", type=float, default=2.0,
                        help="seconds a warm one-file update may take at the largest scale")
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve() / "index-scale"
    out.mkdir(parents=True, exist_ok=True)

    rows = []
    header = (f"{'units':>6} {'lines':>8} | {'cold CPU':>8} {'wall':>6} {'MiB':>5} | "
              f"{'warm CPU':>8} {'wall':>5} | {'touched CPU':>11} {'wall':>5} {'MiB':>5} | "
              f"{'merge CPU':>9} {'wall':>5}")
    print(f"corotidy-index, {args.functions} coroutines per translation unit, -j{args.jobs}, "
          f"medians of {args.reps} runs (cold: {args.cold_reps}); seconds")
    print(header)
    for factor in [int(f) for f in args.scales.split(",")]:
        r = measure(args, args.base * factor, out)
        r["factor"] = factor
        rows.append(r)
        print(f"{r['units']:6d} {r['lines']:8d} | {r['cold']['cpu']:8.2f} {r['cold']['wall']:6.2f} "
              f"{r['cold']['peak_mib']:5.0f} | {r['warm']['cpu']:8.3f} {r['warm']['wall']:5.2f} | "
              f"{r['touched']['cpu']:11.2f} {r['touched']['wall']:5.2f} "
              f"{r['touched']['peak_mib']:5.0f} | {r['merge']['cpu']:9.3f} "
              f"{r['merge']['wall']:5.2f}", flush=True)

    base = rows[0]
    print(f"\ngrowth against {base['units']} translation units "
          "(1.00 = linear in translation units):")
    for r in rows:
        k = r["units"] / base["units"]
        r["ratios"] = {
            "cold_cpu_per_unit": (r["cold"]["cpu"] / r["units"]) / (base["cold"]["cpu"] / base["units"]),
            "warm_cpu_per_unit": (r["warm"]["cpu"] / r["units"]) / (base["warm"]["cpu"] / base["units"]),
            "cold_cpu": r["cold"]["cpu"] / base["cold"]["cpu"],
            "units": k,
        }
        print(f"  x{k:<5g} cold CPU x{r['ratios']['cold_cpu']:.2f} "
              f"(per unit {r['ratios']['cold_cpu_per_unit']:.2f}), warm CPU per unit "
              f"{r['ratios']['warm_cpu_per_unit']:.2f}, touched CPU "
              f"x{r['touched']['cpu'] / base['touched']['cpu']:.2f}")
    largest = rows[-1]
    within = largest["touched"]["wall"] < args.budget
    print(f"warm one-file update at {largest['units']} translation units: "
          f"{largest['touched']['wall']:.2f} s wall, {largest['touched']['cpu']:.2f} s CPU "
          f"({'within' if within else 'OVER'} the {args.budget:g} s budget); "
          f"merge of {args.shards} partials identical to one run: yes")
    result = {"functions_per_unit": args.functions, "jobs": args.jobs, "reps": args.reps,
              "cold_reps": args.cold_reps,
              "shards": args.shards, "budget_s": args.budget,
              "touched_within_budget": within, "rows": rows}
    path = pathlib.Path(args.out).resolve() / "index-scale.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
