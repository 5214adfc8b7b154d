#!/usr/bin/env python3
"""Runs one corotidy check over one test file and verifies it.

  check_coro_tidy.py [options] <source.cpp> <check-name> <temp-prefix>
                     [-- <extra compiler arguments>]

1. The source, with its CHECK comments blanked, is copied to <temp>.cpp.
2. clang-tidy (with the corotidy plugin) runs the check on it with --fix
   --fix-notes: a fix carried by a note is applied too, as clangd offers it
   as a quick fix.
3. Every warning and error it prints must be expected by a CHECK-MESSAGES
   line (FileCheck with --implicit-check-not), in order.
4. The fixed file is compared with the CHECK-FIXES lines, each a whole line;
   a test without CHECK-FIXES must come out unchanged.
5. The fixed file is compiled with clang++ -fsyntax-only: a fix-it that
   breaks the code fails the test.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corotidy_expectations as expect  # noqa: E402


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def fail(message, output=""):
    sys.stderr.write(f"check_coro_tidy: {message}\n")
    if output:
        sys.stderr.write(output if output.endswith("\n") else output + "\n")
    sys.exit(1)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--clangxx", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--inputs", required=True,
                        help="directory with the tests' shared headers")
    parser.add_argument("--config", default=None,
                        help="clang-tidy -config text (check options)")
    parser.add_argument("--check-suffixes", default="",
                        help="comma-separated: use CHECK-MESSAGES-<S>/CHECK-FIXES-<S>")
    parser.add_argument("--std", default="c++20")
    parser.add_argument("source")
    parser.add_argument("check")
    parser.add_argument("temp")
    # Options may come before or after the positionals; `--` starts the
    # compiler arguments.
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    args.compile_args = argv[split + 1:]
    return args


def main():
    args = parse_args()
    suffixes = [s for s in args.check_suffixes.split(",") if s]
    with open(args.source, encoding="utf-8") as f:
        original = f.read()
    temp_dir = os.path.dirname(os.path.abspath(args.temp))
    os.makedirs(temp_dir, exist_ok=True)
    fixed_path = args.temp + ".cpp"
    cleaned = expect.clean_source(original)
    with open(fixed_path, "w", encoding="utf-8") as f:
        f.write(cleaned)

    compile_args = [f"-std={args.std}", "-I", args.inputs] + args.compile_args
    tidy = [args.clang_tidy, f"--load={args.plugin}", f"--checks=-*,{args.check}",
            "--fix", "--fix-notes", "--quiet", "--header-filter=.*"]
    if args.config:
        tidy.append(f"--config={args.config}")
    tidy += [fixed_path, "--"] + compile_args
    result = run(tidy)
    tidy_output = result.stdout
    if result.returncode not in (0, 1) or "Error opening" in result.stderr:
        fail(f"clang-tidy failed (exit {result.returncode})",
             result.stdout + result.stderr)
    with open(args.temp + ".msg", "w", encoding="utf-8") as f:
        f.write(tidy_output)

    # 3. Every warning expected, in order; notes may be asserted or not.
    message_prefixes = expect.prefixes("MESSAGES", suffixes)
    if expect.has_prefix(original, "MESSAGES", suffixes):
        check = run([args.filecheck, args.source,
                     "--check-prefixes=" + ",".join(message_prefixes),
                     "--allow-unused-prefixes",
                     "--implicit-check-not={{warning|error}}:",
                     "--input-file", args.temp + ".msg"])
        if check.returncode != 0:
            fail("diagnostics do not match CHECK-MESSAGES", check.stderr)
    else:
        unexpected = [l for l in tidy_output.splitlines()
                      if ": warning:" in l or ": error:" in l]
        if unexpected:
            fail("unexpected diagnostics in a test without CHECK-MESSAGES",
                 "\n".join(unexpected))

    # 4. The fixed file, line by line.
    with open(fixed_path, encoding="utf-8") as f:
        fixed = f.read()
    if expect.has_prefix(original, "FIXES", suffixes):
        check = run([args.filecheck, args.source,
                     "--check-prefixes=" + ",".join(expect.prefixes("FIXES", suffixes)),
                     "--allow-unused-prefixes",
                     "--match-full-lines", "--input-file", fixed_path])
        if check.returncode != 0:
            fail("fixed file does not match CHECK-FIXES", check.stderr)
    elif fixed != cleaned:
        diff = run(["diff", "-u", "-", fixed_path], input=cleaned)
        fail("fix-its changed a file whose test expects no CHECK-FIXES", diff.stdout)

    # 5. The fixed code must still compile.
    build = run([args.clangxx, "-fsyntax-only", "-Wno-unused-value"] + compile_args +
                [fixed_path])
    if build.returncode != 0:
        fail("the fixed file does not compile", build.stderr)


if __name__ == "__main__":
    main()
