#!/usr/bin/env python3
"""Runs one corotidy check over one test file and verifies it.

  check_coro_tidy.py [options] <source.cpp> <check-name> <temp-prefix>
                     [-- <extra compiler arguments>]

The contract (every rule fails the test when broken):
0. The test's directives are well formed (CHECK-MESSAGES[-S],
   CHECK-FIXES[-S][-NEXT]), each suffix is selected by one of the file's
   own RUN lines, and each suffix of --check-suffixes has directives.
1. The source, with its CHECK comments blanked, is copied to <temp>.cpp.
2. The configuration is explicit: --config=<the test's> or --config={}, so
   no .clang-tidy above the temp copy is read. clang-tidy --verify-config
   must accept it (a misspelled check or option name fails) and
   --list-checks must show exactly the requested check enabled.
3. clang-tidy runs the check with --fix --fix-notes (a fix carried by a
   note is applied too, as clangd offers it as a quick fix). It must exit 0 and print nothing
   on stderr but the count of applied fixes, all of them applied. With
   --expect-errors the input is known not to compile: exit 1 is accepted
   when clang-tidy printed at least one error and every error is expected
   by a CHECK-MESSAGES line (clang-tidy then applies no fixes).
4. Every warning and error it prints must be expected by a CHECK-MESSAGES
   line (FileCheck with --implicit-check-not), in order; notes may be
   asserted or not.
5. The fixed file is compared with the CHECK-FIXES lines, each anchored to
   the code it is written under (see corotidy_expectations); a test without
   CHECK-FIXES must come out unchanged.
6. The fixed file is compiled with clang++ -fsyntax-only (not with
   --expect-errors): a fix-it that breaks the code fails the test.
"""

import argparse
import filecmp
import shutil
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corotidy_expectations as expect  # noqa: E402

# What clang-tidy may print on stderr in a clean run (with --quiet).
APPLIED_FIXES = re.compile(r"^clang-tidy applied (\d+) of (\d+) suggested fixes\.$")
# What it prints on stderr when the translation unit has compiler errors.
PROCESSING_ERROR = re.compile(r"^Error while processing .*\.$")
# A diagnostic line (not a quoted source line), with or without a location.
DIAGNOSTIC = re.compile(r"^(?:\S.*?:\d+:\d+: )?(?P<level>warning|error|fatal error): ")
# Checks whose result depends on files above the source unless configured.
SEARCHES_PARENTS = {"coro-devirtualize": "coro-devirtualize.IndexFile"}


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
    parser.add_argument("--config", default="{}",
                        help="clang-tidy -config text (check options); default {}")
    parser.add_argument("--check-suffixes", default="",
                        help="comma-separated: use CHECK-MESSAGES-<S>/CHECK-FIXES-<S>")
    parser.add_argument("--expect-errors", action="store_true",
                        help="the input does not compile; its errors are CHECK-MESSAGES")
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


def check_directives(original, suffixes):
    """Rule 0: every directive readable, every suffix run by some RUN line,
    every suffix asked for used by some directive."""
    try:
        found = expect.directives(original)
        chosen = expect.run_suffixes(original)
        if chosen is not None:
            never = expect.unselected(found, chosen)
            if never:
                fail("directives that no RUN line of the test selects (never checked):\n" +
                     "\n".join(f"  line {d.line}: CHECK-{d.kind}-{d.suffix}" for d in never))
        empty = [s for s in suffixes
                 if not any(d.suffix == s for d in found)]
        if empty:
            fail(f"--check-suffixes={','.join(suffixes)}: no directive of the test "
                 f"uses {', '.join(empty)}")
        for d in expect.selected(found, "FIXES", suffixes):
            expect.fix_pattern(d.body)
        expect.fix_groups(expect.selected(found, "FIXES", suffixes))
    except expect.DirectiveError as error:
        fail(f"bad directive: {error}")
    return found


def check_configuration(args, base):
    """Rule 2: the explicit configuration is valid and enables the check."""
    if "InheritParentConfig" in args.config:
        fail("--config must not use InheritParentConfig: tests do not read "
             ".clang-tidy files")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", args.check):
        fail(f"'{args.check}' is not one check name")
    needed = SEARCHES_PARENTS.get(args.check)
    if needed and needed not in args.config:
        fail(f"{args.check} reads files above the source unless {needed} is "
             "set: give it in --config")
    verify = run(base + ["--verify-config"])
    if verify.returncode != 0 or verify.stderr.strip():
        fail(f"clang-tidy --verify-config rejects the configuration (exit "
             f"{verify.returncode})", verify.stdout + verify.stderr)
    listed = run(base + ["--list-checks"])
    enabled = re.findall(r"^\s+(\S+)$", listed.stdout.split("Enabled checks:", 1)[-1], re.M)
    if listed.returncode != 0 or enabled != [args.check]:
        fail(f"clang-tidy --list-checks does not show exactly '{args.check}' enabled "
             f"(exit {listed.returncode}; enabled: {enabled})",
             listed.stdout + listed.stderr)


def check_tidy_run(result, expect_errors):
    """Rule 3: the exit status and stderr of the clang-tidy run."""
    errors = [l for l in result.stdout.splitlines()
              if (m := DIAGNOSTIC.match(l)) and m.group("level") != "warning"]
    if expect_errors:
        if result.returncode != 1 or not errors:
            fail(f"--expect-errors, but clang-tidy reported no compiler error "
                 f"(exit {result.returncode})", result.stdout + result.stderr)
    elif result.returncode != 0 or errors:
        fail(f"clang-tidy reported errors (exit {result.returncode}); a test "
             "whose input does not compile must say --expect-errors",
             result.stdout + result.stderr)
    stray = []
    for line in result.stderr.splitlines():
        applied = APPLIED_FIXES.match(line)
        if applied:
            if applied.group(1) != applied.group(2):
                fail(f"clang-tidy applied only {applied.group(1)} of "
                     f"{applied.group(2)} fixes (conflicting fixes)", result.stdout)
        elif line.strip() and not (expect_errors and PROCESSING_ERROR.match(line)):
            stray.append(line)
    if stray:
        fail(f"clang-tidy printed on stderr (exit {result.returncode})",
             "\n".join(stray) + "\n" + result.stdout)


def main():
    args = parse_args()
    suffixes = [s for s in args.check_suffixes.split(",") if s]
    with open(args.source, encoding="utf-8") as f:
        original = f.read()
    found = check_directives(original, suffixes)

    temp_dir = os.path.dirname(os.path.abspath(args.temp))
    os.makedirs(temp_dir, exist_ok=True)
    fixed_path = args.temp + ".cpp"
    cleaned = expect.clean_source(original)
    with open(fixed_path, "w", encoding="utf-8") as f:
        f.write(cleaned)

    # The shared headers are copied: a fix-it that edits a header (clang-tidy
    # applies those too) must not change the input of every later test.
    inputs = args.temp + ".inputs"
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.copytree(args.inputs, inputs)
    compile_args = [f"-std={args.std}", "-I", inputs] + args.compile_args
    base = [args.clang_tidy, f"--load={args.plugin}", f"--checks=-*,{args.check}",
            f"--config={args.config}"]
    check_configuration(args, base)

    tidy = base + ["--fix", "--fix-notes", "--quiet", "--header-filter=.*",
                   fixed_path, "--"] + compile_args
    result = run(tidy)
    check_tidy_run(result, args.expect_errors)
    edited = filecmp.dircmp(args.inputs, inputs)
    changed = sorted(edited.diff_files) + [
        f"{d}/{n}" for d, sub in edited.subdirs.items() for n in sub.diff_files]
    if changed:
        fail("fix-its edited the shared test headers: " + ", ".join(changed),
             result.stdout)
    tidy_output = result.stdout
    with open(args.temp + ".msg", "w", encoding="utf-8") as f:
        f.write(tidy_output)

    # 4. Every warning and error expected, in order; notes may be asserted or not.
    message_prefixes = expect.prefixes("MESSAGES", suffixes)
    if expect.selected(found, "MESSAGES", suffixes):
        check = run([args.filecheck, args.source,
                     "--check-prefixes=" + ",".join(message_prefixes),
                     "--allow-unused-prefixes", "--allow-empty",
                     "--implicit-check-not={{warning|error}}:",
                     "--input-file", args.temp + ".msg"])
        if check.returncode != 0:
            fail("diagnostics do not match CHECK-MESSAGES", check.stderr)
    else:
        unexpected = [l for l in tidy_output.splitlines() if DIAGNOSTIC.match(l)]
        if unexpected:
            fail("unexpected diagnostics in a test without CHECK-MESSAGES",
                 "\n".join(unexpected))

    # 5. The fixed file, each CHECK-FIXES group where it is written.
    with open(fixed_path, encoding="utf-8") as f:
        fixed = f.read()
    fix_directives = expect.selected(found, "FIXES", suffixes)
    if fix_directives:
        problems = expect.check_fixes(cleaned.splitlines(), fixed.splitlines(),
                                      fix_directives, found)
        if problems:
            fail("fixed file does not match CHECK-FIXES", "\n".join(problems) +
                 f"\n(fixed file: {fixed_path})")
    elif fixed != cleaned:
        diff = run(["diff", "-u", "-", fixed_path], input=cleaned)
        fail("fix-its changed a file whose test expects no CHECK-FIXES", diff.stdout)

    # 6. The fixed code must still compile.
    if args.expect_errors:
        return
    build = run([args.clangxx, "-fsyntax-only", "-Wno-unused-value"] + compile_args +
                [fixed_path])
    if build.returncode != 0:
        fail("the fixed file does not compile", build.stderr)


if __name__ == "__main__":
    main()
