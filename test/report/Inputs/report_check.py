#!/usr/bin/env python3
"""Helpers for the corotidy-report tests.

  report_check.py setup <inputs> <checks-inputs> <dir>
      copies the test project to <dir> and writes its compile_commands.json
      (and a broken .clang-tidy that --config={} must keep clang-tidy from reading)
  report_check.py exit <status> <command...>
      runs the command, passes its output through, and fails unless it exits <status>
  report_check.py json <report.json>
      checks the JSON report's shape and the numbers of the test project
"""
import json
import os
import shutil
import subprocess
import sys


def setup(inputs, checks_inputs, target):
    os.makedirs(target, exist_ok=True)
    for name in ("shared.h", "first.cpp", "second.cpp", "broken.cpp", "plain.c", "start.S"):
        shutil.copy(os.path.join(inputs, name), target)
    shutil.copy(os.path.join(inputs, "dot-clang-tidy"), os.path.join(target, ".clang-tidy"))
    with open(os.path.join(inputs, "compile_commands.json.in")) as f:
        text = f.read().replace("@DIR@", target).replace("@INPUTS@", checks_inputs)
    with open(os.path.join(target, "compile_commands.json"), "w") as f:
        f.write(text)


def expect_exit(status, command):
    result = subprocess.run(command)
    if result.returncode != int(status):
        sys.exit(f"expected exit {status}, got {result.returncode}: {' '.join(command)}")


def check_json(path):
    with open(path) as f:
        report = json.load(f)
    def expect(what, actual, wanted):
        if actual != wanted:
            sys.exit(f"{what}: expected {wanted!r}, got {actual!r}")
    expect("tool", report["tool"], "corotidy-report")
    expect("schema", report["schema"], 1)
    units = report["units"]
    expect("entries", units["entries"], 6)
    expect("C++ units", units["cxx_units"], 3)
    expect("analysed", units["analysed"], 2)
    expect("not C++", sorted(os.path.basename(s["file"]) for s in units["skipped_not_cxx"]),
           ["plain.c", "start.S"])
    expect("duplicates", [os.path.basename(d) for d in units["duplicates"]], ["first.cpp"])
    expect("failed", [(os.path.basename(f["file"]), f["status"]) for f in units["failed_to_compile"]],
           [("broken.cpp", "compile-error")])
    expect("crashed", units["crashed_or_timed_out"], [])
    configurations = report["configurations"]
    expect("configurations", list(configurations), ["parse", "corotidy", "builtins"])
    for name, section in configurations.items():
        if not (isinstance(section["cpu_seconds"], float) and section["cpu_seconds"] > 0):
            sys.exit(f"{name}: no CPU time")
        if name != "parse" and not isinstance(section["overhead_percent"], float):
            sys.exit(f"{name}: no overhead")
    coro = configurations["corotidy"]["warnings"]
    expect("coro by check", coro["by_check"],
           {"coro-dangling-reference": 2, "coro-devirtualize": 0,
            "coro-missed-frame-elision": 2, "coro-thread-affinity": 0})
    expect("coro per 100", coro["per_100_units"], 200.0)
    header = [w for w in coro["list"] if w["file"].endswith("shared.h")]
    expect("header warnings seen by both units", sorted(w["units"] for w in header), [2, 2])
    expect("warnings in main files", coro["in_main_files"], 2)
    builtins = configurations["builtins"]["warnings"]["by_check"]
    expect("built-in reference parameters",
           builtins["cppcoreguidelines-avoid-reference-coroutine-parameters"], 1)
    expect("per-unit rows", sorted(os.path.basename(u["file"]) for u in report["per_unit"]),
           ["broken.cpp", "first.cpp", "second.cpp"])
    expect("slowest rows", len(report["slowest_units"]), 3)


if __name__ == "__main__":
    verb, rest = sys.argv[1], sys.argv[2:]
    if verb == "setup":
        setup(*rest)
    elif verb == "exit":
        expect_exit(rest[0], rest[1:])
    elif verb == "json":
        check_json(rest[0])
    else:
        sys.exit(f"unknown verb {verb}")
