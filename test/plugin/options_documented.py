#!/usr/bin/env python3
"""Fails when a check or option is missing from the docs or the example
configuration, so the two cannot drift from the code."""
import argparse
import pathlib
import re
import subprocess
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--clang-tidy", required=True)
parser.add_argument("--plugin", required=True)
parser.add_argument("--root", required=True)
args = parser.parse_args()
root = pathlib.Path(args.root)

def tidy(*flags):
    return subprocess.run([args.clang_tidy, f"--load={args.plugin}", "--checks=-*,coro-*",
                           "--config={}", *flags], capture_output=True, text=True,
                          check=True, cwd="/").stdout

checks = re.findall(r"^\s+(coro-[a-z-]+)$", tidy("--list-checks"), re.M)
options = re.findall(r"^\s+(coro-[a-z-]+)\.(\w+):\s*'?([^'\n]*)'?$", tidy("--dump-config"), re.M)
example = (root / ".clang-tidy.example").read_text()
problems = []
if not checks:
    problems.append("the plugin lists no coro-* checks")
for check in checks:
    page = root / "docs" / "checks" / f"{check}.md"
    if not page.exists():
        problems.append(f"{check}: no {page.relative_to(root)}")
    if check not in example:
        problems.append(f"{check}: not enabled in .clang-tidy.example")
for check, option, default in options:
    page = root / "docs" / "checks" / f"{check}.md"
    if page.exists() and f"`{option}`" not in page.read_text():
        problems.append(f"{check}.{option}: not documented in {page.relative_to(root)}")
    if not re.search(rf"#\s*{re.escape(check)}\.{option}:\s*'?{re.escape(default)}'?", example):
        problems.append(f"{check}.{option}: not in .clang-tidy.example with default '{default}'")
for problem in problems:
    print("options_documented:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
