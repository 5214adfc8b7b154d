#!/usr/bin/env python3
"""Fails when an option of a coro-* check has no near-miss test.

Every option --dump-config lists must be set by a RUN line of some test
under --tests, in a file that also runs the same check without it (the
near-miss: the same code, both results asserted). test/plugin/dump-config.test
names every option and does not count.
"""
import argparse
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from corotidy_expectations import run_commands  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--clang-tidy", required=True)
parser.add_argument("--plugin", required=True)
parser.add_argument("--tests", required=True, help="the test/ directory")
args = parser.parse_args()
tests = pathlib.Path(args.tests)
IGNORED = {pathlib.Path("plugin/dump-config.test")}

dumped = subprocess.run([args.clang_tidy, f"--load={pathlib.Path(args.plugin).resolve()}",
                         "--checks=-*,coro-*", "--config={}", "--dump-config"],
                        capture_output=True, text=True, cwd="/")
if dumped.returncode != 0 or dumped.stderr.strip():
    sys.exit(f"options_tested: clang-tidy --dump-config failed:\n{dumped.stderr}")
dump = dumped.stdout
options = sorted(set(re.findall(r"^\s+(coro-[a-z-]+)\.(\w+):", dump, re.M)))


files = {}
for path in sorted(tests.rglob("*")):
    relative = path.relative_to(tests)
    if (path.is_file() and path.suffix in (".cpp", ".test") and "Output" not in relative.parts
            and "Inputs" not in relative.parts and relative not in IGNORED):
        files[relative] = run_commands(path.read_text(encoding="utf-8", errors="replace"))

problems = []
if not options:
    problems.append("--dump-config lists no coro-* options")
for check, option in options:
    name = f"{check}.{option}"
    near_misses = []
    for relative, commands in files.items():
        of_check = [c for c in commands if re.search(rf"{re.escape(check)}(?![\w-])", c)]
        setting = [c for c in of_check if name in c]
        if setting and len(setting) < len(of_check):
            near_misses.append(str(relative))
    if not near_misses:
        problems.append(f"{name}: no test sets it in a RUN line beside a run of "
                        f"{check} without it")
for problem in problems:
    print("options_tested:", problem, file=sys.stderr)
if not problems:
    print(f"options_tested: {len(options)} options, each with a near-miss test")
sys.exit(1 if problems else 0)
