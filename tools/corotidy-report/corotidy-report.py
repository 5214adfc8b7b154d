#!/usr/bin/env python3
"""corotidy-report: what corotidy's checks find in a code base, and what they cost.

Runs clang-tidy over every C++ translation unit of a compilation database in
three configurations, one clang-tidy process per translation unit and
configuration:

  parse-only  one trivial check (misc-definitions-in-headers): the parse and
              one AST traversal, which every configuration pays; the baseline
  corotidy    the coro-* checks (--checks) through the plugin
  built-ins   clang-tidy's own coroutine checks, for comparison

and prints the warnings of each check (deduplicated by file:line:check, so a
header seen by many translation units counts once), warnings per 100
translation units, the CPU time (user + sys of the clang-tidy processes) of
each configuration and its overhead over parse-only, and the slowest
translation units. The jobs of the three configurations are interleaved, so
load from elsewhere on the machine falls on all of them alike.

Entries that are not C++ are skipped and counted, a file listed twice is run
once, and translation units that do not compile are named and left out of
the warning counts. clang-tidy runs with --config={} (or --config-file), so a
project's .clang-tidy files do not change the result.

Exit status: 0 when the report was made (whatever it found), 1 when a
clang-tidy process crashed or timed out on a translation unit that parses,
2 on a usage error (no compilation database, no clang-tidy, the plugin does
not load, no check matches).
"""
import argparse
import collections
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOOL = "corotidy-report"
BASELINE_CHECK = "misc-definitions-in-headers"
BUILTIN_CHECKS = [
    "cppcoreguidelines-avoid-capturing-lambda-coroutines",
    "cppcoreguidelines-avoid-reference-coroutine-parameters",
    "cppcoreguidelines-no-suspend-with-lock",
    "misc-coroutine-hostile-raii",
]
CXX_EXTENSIONS = {".cpp", ".cc", ".cxx", ".c++", ".cp", ".C", ".CPP", ".cppm",
                  ".ixx", ".hpp", ".hh", ".hxx", ".h++"}
CXX_LANGUAGES = {"c++", "c++-header", "c++-module", "c++-cpp-output"}
LAUNCHERS = {"ccache", "sccache", "distcc", "icecc"}
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): "
    r"(?P<severity>warning|error|fatal error): (?P<message>.*?)"
    r"(?: \[(?P<check>[^\[\]\s]+)\])?$")
CRASH_MARKERS = ("Stack dump:", "PLEASE submit a bug report")


class UsageError(Exception):
    """A problem with the inputs: reported in one line, exit status 2."""


# ---------------------------------------------------------------- inputs

def find_compile_db(path):
    """The compile_commands.json that -p names (a build directory or the
    file itself)."""
    candidate = path if path.endswith(".json") else os.path.join(path, "compile_commands.json")
    if not os.path.isfile(candidate):
        raise UsageError(f"no compilation database at '{candidate}'; configure the project "
                         f"with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON")
    return os.path.abspath(candidate)


def load_entries(db_path):
    try:
        with open(db_path, encoding="utf-8") as f:
            entries = json.load(f)
    except (OSError, ValueError) as error:
        raise UsageError(f"malformed compilation database '{db_path}': {error}")
    if not isinstance(entries, list):
        raise UsageError(f"malformed compilation database '{db_path}': not a JSON array")
    return entries


def entry_arguments(entry):
    arguments = entry.get("arguments")
    if arguments is None:
        arguments = shlex.split(entry.get("command", ""))
    arguments = list(arguments)
    while arguments and os.path.basename(arguments[0]) in LAUNCHERS:
        arguments = arguments[1:]
    return arguments


def language_of(path, arguments):
    """'c++' for a C++ translation unit, else what it is (the -x language or
    the file's extension)."""
    language = None
    for i, argument in enumerate(arguments):
        if argument == "-x" and i + 1 < len(arguments):
            language = arguments[i + 1]
        elif argument.startswith("-x") and len(argument) > 2:
            language = argument[2:]
    if language is not None:
        return "c++" if language in CXX_LANGUAGES else language
    extension = os.path.splitext(path)[1]
    return "c++" if extension in CXX_EXTENSIONS else (extension or "no extension")


def select_units(entries, source_filter):
    """Returns (units, summary): one entry per C++ file that passes the
    filter, first command wins."""
    units, seen = [], set()
    skipped, duplicates, filtered, malformed = [], [], [], 0
    for entry in entries:
        if not isinstance(entry, dict) or "file" not in entry or "directory" not in entry:
            malformed += 1
            continue
        arguments = entry_arguments(entry)
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        if not arguments:
            malformed += 1
            continue
        language = language_of(path, arguments)
        if language != "c++":
            skipped.append({"file": path, "language": language})
            continue
        if source_filter and not source_filter.search(path):
            filtered.append(path)
            continue
        if path in seen:
            duplicates.append(path)
            continue
        seen.add(path)
        units.append({"directory": entry["directory"], "file": path, "arguments": arguments})
    summary = {"entries": len(entries), "cxx_units": len(units),
               "skipped_not_cxx": skipped, "duplicates": duplicates,
               "outside_source_filter": len(filtered), "malformed": malformed}
    return units, summary


# ---------------------------------------------------------------- clang-tidy

def find_clang_tidy(requested):
    for candidate in ([requested] if requested else
                      [shutil.which("clang-tidy-22"), "/usr/lib/llvm-22/bin/clang-tidy"]):
        if candidate and (shutil.which(candidate) or os.access(candidate, os.X_OK)):
            return shutil.which(candidate) or candidate
    raise UsageError(f"no clang-tidy at '{requested}'" if requested else
                     "no clang-tidy-22 on PATH or in /usr/lib/llvm-22/bin; "
                     "install clang-tidy-22 or pass --clang-tidy")


def default_plugin():
    here = os.path.dirname(os.path.realpath(__file__))
    return os.path.normpath(os.path.join(here, "..", "lib", "libCoroTidy.so"))


def clang_tidy_version(clang_tidy):
    out = subprocess.run([clang_tidy, "--version"], capture_output=True, text=True)
    match = re.search(r"LLVM version (\S+)", out.stdout)
    return match.group(1) if match else out.stdout.strip()


class Configuration:
    def __init__(self, name, label, short, checks):
        self.name, self.label, self.short, self.checks = name, label, short, checks
        self.enabled = []  # the check names clang-tidy enables for the glob

    def glob(self):
        return "-*," + self.checks


def common_arguments(args):
    """What every clang-tidy run gets, whatever the configuration."""
    config = [f"--config-file={args.config_file}"] if args.config_file else ["--config={}"]
    extra = [f"--extra-arg={a}" for a in args.extra_arg]
    return ([f"--load={args.plugin}"] + config + [f"--header-filter={args.header_filter}"]
            + extra + ["--quiet"])


def enabled_checks(args, configuration):
    """The checks a configuration's glob enables, from clang-tidy itself; a
    plugin that does not load or a glob that matches nothing is an error."""
    command = ([args.clang_tidy] + common_arguments(args)
               + [f"--checks={configuration.glob()}", "--list-checks"])
    out = subprocess.run(command, capture_output=True, text=True)
    names = ([line.strip() for line in out.stdout.splitlines()[1:] if line.strip()]
             if out.returncode == 0 else [])
    if names:
        return names
    text = (out.stderr.strip() or out.stdout.strip())
    if "request ignored" in text:  # clang-tidy could not load the plugin
        raise UsageError(f"clang-tidy could not load the plugin: {text.splitlines()[0]}")
    if out.returncode == 0 or "No checks enabled" in text:
        hint = (f" (does '{args.plugin}' provide it?)" if configuration.name == "corotidy" else "")
        raise UsageError(f"no check matches '{configuration.checks}'{hint}")
    first = text.splitlines()[0] if text else f"exit {out.returncode}"
    raise UsageError(f"clang-tidy failed to list the checks of '{configuration.checks}': {first}")


def parse_output(text, directory):
    """Warnings and errors from clang-tidy's output: (warnings, errors, crashed)."""
    warnings, errors = [], []
    for line in text.splitlines():
        match = DIAGNOSTIC.match(line)
        if match:
            path = os.path.realpath(os.path.join(directory, match["file"]))
            record = {"file": path, "line": int(match["line"]),
                      "column": int(match["column"]), "message": match["message"],
                      "check": (match["check"] or "").split(",")[0]}
            if match["severity"] == "warning":
                if record["check"] and not record["check"].startswith("clang-diagnostic-"):
                    warnings.append(record)
            else:
                errors.append(record)
        elif line.startswith("error:"):
            errors.append({"file": None, "line": 0, "column": 0,
                           "message": line[len("error:"):].strip(), "check": ""})
    crashed = any(marker in text for marker in CRASH_MARKERS)
    return warnings, errors, crashed


# ---------------------------------------------------------------- running

class Job:
    def __init__(self, unit, configuration, repetition, command, output):
        self.unit, self.configuration, self.repetition = unit, configuration, repetition
        self.command, self.output = command, output
        self.process, self.started, self.timed_out = None, 0.0, False
        self.status, self.cpu, self.wall = None, 0.0, 0.0


def run_jobs(jobs, parallel, timeout, on_done):
    """Runs the jobs `parallel` at a time. Each child is reaped with wait4,
    so its own user + sys time is known exactly."""
    pending, running = list(jobs), {}
    try:
        while pending or running:
            while pending and len(running) < parallel:
                job = pending.pop(0)
                with open(job.output, "wb") as out:
                    job.process = subprocess.Popen(job.command, stdout=out,
                                                   stderr=subprocess.STDOUT,
                                                   stdin=subprocess.DEVNULL)
                job.started = time.monotonic()
                running[job.process.pid] = job
            pid, status, usage = os.wait4(-1, os.WNOHANG)
            if pid == 0:
                now = time.monotonic()
                for job in running.values():
                    if timeout and not job.timed_out and now - job.started > timeout:
                        job.timed_out = True
                        job.process.kill()
                time.sleep(0.02)
                continue
            job = running.pop(pid, None)
            if job is None:
                continue
            job.process.returncode = os.waitstatus_to_exitcode(status)
            job.status = job.process.returncode
            job.cpu = usage.ru_utime + usage.ru_stime
            job.wall = time.monotonic() - job.started
            on_done(job)
    finally:
        for job in running.values():
            job.process.kill()
            job.process.wait()


def classify(job, errors, crashed):
    """ok, compile-error, crash, timeout, or exit-N; and a short reason."""
    if job.timed_out:
        return "timeout", f"no result after {job.wall:.0f} s"
    if job.status < 0 or crashed:
        reason = (f"killed by {signal.Signals(-job.status).name}" if job.status < 0
                  else f"exit {job.status}")
        return "crash", reason + ", see the clang-tidy output"
    if errors:
        first = errors[0]
        where = f"{first['file']}:{first['line']}: " if first["file"] else ""
        return "compile-error", where + first["message"]
    if job.status != 0:
        return f"exit-{job.status}", "clang-tidy failed without a diagnostic"
    return "ok", ""


# ---------------------------------------------------------------- the report

def relative(path, root):
    if path and root and (path == root or path.startswith(root + os.sep)):
        return os.path.relpath(path, root)
    return path


def build_report(args, db_path, summary, units, configurations, results):
    """results[(unit index, configuration name)] = {status, reason, cpu, warnings}."""
    names = [c.name for c in configurations]
    baseline = names[0]
    failed = []           # units that do not compile (in the baseline run)
    broken = []           # units that compile but crash or time out in another configuration
    ok_units = []
    for index, unit in enumerate(units):
        base = results[(index, baseline)]
        if base["status"] != "ok":
            failed.append({"file": unit["file"], "status": base["status"], "reason": base["reason"]})
            continue
        ok_units.append(index)
        for name in names[1:]:
            result = results[(index, name)]
            if result["status"] != "ok":
                broken.append({"file": unit["file"], "configuration": name,
                               "status": result["status"], "reason": result["reason"]})
    analysed = len(ok_units)
    main_files = {os.path.realpath(units[i]["file"]) for i in ok_units}

    sections = {}
    for configuration in configurations:
        cpu = sum(results[(i, configuration.name)]["cpu"] for i in range(len(units)))
        section = {"label": configuration.label, "short": configuration.short,
                   "checks": configuration.checks,
                   "enabled_checks": configuration.enabled, "cpu_seconds": round(cpu, 3)}
        if configuration.name != baseline:
            base_cpu = sum(results[(i, baseline)]["cpu"] for i in range(len(units)))
            section["overhead_percent"] = (round(100.0 * (cpu - base_cpu) / base_cpu, 1)
                                           if base_cpu > 0 else None)
            unique = {}
            for i in ok_units:
                result = results[(i, configuration.name)]
                if result["status"] != "ok":
                    continue
                for w in result["warnings"]:
                    key = (w["file"], w["line"], w["check"])
                    if key not in unique:
                        unique[key] = dict(w, units=0, first_unit=units[i]["file"])
                    unique[key]["units"] += 1
            listed = sorted(unique.values(), key=lambda w: (w["check"], w["file"], w["line"]))
            by_check = collections.Counter({c: 0 for c in configuration.enabled})
            by_check.update(w["check"] for w in listed)
            section["warnings"] = {
                "total": len(listed),
                "per_100_units": round(100.0 * len(listed) / analysed, 1) if analysed else None,
                "by_check": dict(sorted(by_check.items())),
                "per_100_units_by_check": {c: (round(100.0 * n / analysed, 1) if analysed else None)
                                           for c, n in sorted(by_check.items())},
                "in_main_files": sum(1 for w in listed if w["file"] in main_files),
                "list": listed,
            }
        sections[configuration.name] = section

    per_unit = []
    for index, unit in enumerate(units):
        per_unit.append({"file": unit["file"],
                         **{name: {"status": results[(index, name)]["status"],
                                   "cpu_seconds": round(results[(index, name)]["cpu"], 3),
                                   "warnings": len(results[(index, name)]["warnings"])}
                            for name in names}})
    order = names[1] if len(names) > 1 else baseline
    slowest = sorted(per_unit, key=lambda u: -u[order]["cpu_seconds"])[:args.slowest]

    # Paths are shown relative to the project: the directory that holds the
    # translation units and the compilation database, unless that is '/'.
    files = [u["file"] for u in units]
    root = os.path.commonpath(files) if files else ""
    if root and os.path.isfile(root):
        root = os.path.dirname(root)
    if root:
        with_db = os.path.commonpath([root, os.path.dirname(db_path)])
        root = with_db if with_db != os.sep else root
    return {
        "tool": TOOL, "schema": 1,
        "compile_database": db_path,
        "clang_tidy": args.clang_tidy, "clang_tidy_version": args.clang_tidy_version,
        "plugin": args.plugin,
        "options": {"checks": args.checks, "jobs": args.jobs, "repeat": args.repeat,
                    "header_filter": args.header_filter,
                    "source_filter": args.source_filter, "config_file": args.config_file,
                    "extra_args": args.extra_arg, "timeout": args.timeout},
        "root": root,
        "units": {**summary, "analysed": analysed, "failed_to_compile": failed,
                  "crashed_or_timed_out": broken},
        "configurations": sections,
        "slowest_units": slowest, "order_of_slowest": order,
        "per_unit": per_unit,
    }


def print_report(report, out, list_warnings):
    root = report["root"]
    units = report["units"]
    rel = lambda p: relative(p, root)
    print(f"{TOOL}: {report['compile_database']}", file=out)
    print(f"  {units['entries']} entries: {units['cxx_units']} C++ translation units, "
          f"{len(units['skipped_not_cxx'])} not C++ (skipped), {len(units['duplicates'])} "
          f"duplicate{'s' if len(units['duplicates']) != 1 else ''} (run once), "
          f"{units['outside_source_filter']} outside --source-filter"
          + (f", {units['malformed']} malformed" if units["malformed"] else ""), file=out)
    print(f"  {units['analysed']} analysed, {len(units['failed_to_compile'])} failed to compile"
          + (":" if units["failed_to_compile"] else ""), file=out)
    for failure in units["failed_to_compile"]:
        reason = failure["reason"].replace(root + os.sep, "") if root else failure["reason"]
        print(f"    {rel(failure['file'])}: {failure['status']}: {reason}", file=out)
    for failure in units["crashed_or_timed_out"]:
        print(f"  {failure['status'].upper()} in {failure['configuration']}: "
              f"{rel(failure['file'])}: {failure['reason']}", file=out)
    print(f"  clang-tidy {report['clang_tidy_version']}, -j{report['options']['jobs']}"
          + (f", paths relative to {root}" if root else ""), file=out)

    configurations = report["configurations"]
    names = list(configurations)
    width = max([44] + [len(c) + 4 for s in configurations.values()
                        for c in s.get("warnings", {}).get("by_check", {})])
    print(f"\n{'warnings, deduplicated by file:line:check':{width}} {'count':>7} {'per 100 TUs':>12}",
          file=out)
    for name in names[1:]:
        section = configurations[name]
        warnings = section["warnings"]
        per100 = warnings["per_100_units"]
        print(f"  {section['label']:{width - 2}} {warnings['total']:7} "
              f"{per100 if per100 is not None else '-':>12}", file=out)
        for check, count in warnings["by_check"].items():
            per = warnings["per_100_units_by_check"][check]
            print(f"    {check:{width - 4}} {count:7} {per if per is not None else '-':>12}", file=out)

    print(f"\n{'CPU time, user+sys of clang-tidy':{width}} {'seconds':>9} {'over parse-only':>16}",
          file=out)
    for name in names:
        section = configurations[name]
        overhead = section.get("overhead_percent")
        shown = "" if name == names[0] else ("-" if overhead is None else f"{overhead:+.1f}%")
        print(f"  {section['label']:{width - 2}} {section['cpu_seconds']:9.2f} {shown:>16}", file=out)

    if report["slowest_units"]:
        order = report["order_of_slowest"]
        print(f"\nslowest translation units (CPU s, by {configurations[order]['label']})", file=out)
        header = "".join(f" {configurations[n]['short']:>10}" for n in names)
        print(f"  {'':{width - 2}}{header}", file=out)
        for unit in report["slowest_units"]:
            cells = "".join(f" {unit[n]['cpu_seconds']:10.2f}" for n in names)
            print(f"  {rel(unit['file'])[-(width - 2):]:{width - 2}}{cells}", file=out)

    if list_warnings:
        for name in names[1:]:
            section = configurations[name]
            print(f"\n{section['label']} warnings:", file=out)
            for w in section["warnings"]["list"]:
                print(f"  {rel(w['file'])}:{w['line']}:{w['column']}: {w['check']}: {w['message']}",
                      file=out)


# ---------------------------------------------------------------- main

def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog=TOOL, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-p", dest="build_dir", required=True, metavar="<build-dir>",
                        help="directory with compile_commands.json (or the file itself)")
    parser.add_argument("--checks", default="coro-*",
                        help="the corotidy checks to run, a clang-tidy glob (default: coro-*)")
    parser.add_argument("-j", dest="jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="clang-tidy processes at once (default: the number of CPUs)")
    parser.add_argument("--json", metavar="FILE", help="also write the full report as JSON")
    parser.add_argument("--source-filter", metavar="REGEX",
                        help="only translation units whose absolute path matches (re.search)")
    parser.add_argument("--header-filter", default=".*", metavar="REGEX",
                        help="headers to report warnings from (clang-tidy's option; default: .*, "
                             "every non-system header)")
    parser.add_argument("--config-file", metavar="FILE",
                        help="a .clang-tidy file for check options (default: --config={}, so "
                             "the project's own .clang-tidy files are ignored); its Checks are "
                             "overridden by each configuration's")
    parser.add_argument("--builtin-checks", default=",".join(BUILTIN_CHECKS),
                        help="the built-in checks to compare with (default: the four coroutine checks)")
    parser.add_argument("--no-builtins", action="store_true",
                        help="skip the built-in checks' configuration")
    parser.add_argument("--extra-arg", action="append", default=[], metavar="ARG",
                        help="an argument to append to every compile command (repeatable)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run every configuration N times and take each unit's least CPU time")
    parser.add_argument("--slowest", type=int, default=10, metavar="N",
                        help="how many of the slowest translation units to list (default: 10)")
    parser.add_argument("--timeout", type=float, default=600, metavar="S",
                        help="seconds one clang-tidy run may take, 0 for no limit (default: 600)")
    parser.add_argument("--list", action="store_true", help="print every deduplicated warning")
    parser.add_argument("--clang-tidy", help="clang-tidy 22 (default: clang-tidy-22 on PATH)")
    parser.add_argument("--plugin", default=default_plugin(),
                        help="libCoroTidy.so (default: ../lib/libCoroTidy.so next to this tool)")
    parser.add_argument("--work-dir", metavar="DIR",
                        help="keep the normalized compile database and each run's output here")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.repeat < 1:
        parser.error("-j and --repeat take a positive number")
    return args


def main(argv=None):
    args = parse_arguments(argv)
    try:
        db_path = find_compile_db(args.build_dir)
        entries = load_entries(db_path)
        try:
            source_filter = re.compile(args.source_filter) if args.source_filter else None
        except re.error as error:
            raise UsageError(f"invalid --source-filter: {error}")
        if args.config_file and not os.path.isfile(args.config_file):
            raise UsageError(f"no config file '{args.config_file}'")
        args.clang_tidy = find_clang_tidy(args.clang_tidy)
        if not os.path.isfile(args.plugin):
            raise UsageError(f"no plugin at '{args.plugin}'; build corotidy or pass --plugin")
        args.clang_tidy_version = clang_tidy_version(args.clang_tidy)
        configurations = [
            Configuration("parse", f"parse-only ({BASELINE_CHECK})", "parse-only", BASELINE_CHECK),
            Configuration("corotidy", f"corotidy ({args.checks})", "corotidy", args.checks)]
        if not args.no_builtins:
            configurations.append(Configuration("builtins", "clang-tidy built-ins", "built-ins",
                                                args.builtin_checks))
        for configuration in configurations:
            configuration.enabled = enabled_checks(args, configuration)
    except UsageError as error:
        print(f"{TOOL}: error: {error}", file=sys.stderr)
        return 2

    units, summary = select_units(entries, source_filter)
    work = args.work_dir or tempfile.mkdtemp(prefix=f"{TOOL}-")
    os.makedirs(os.path.join(work, "output"), exist_ok=True)
    with open(os.path.join(work, "compile_commands.json"), "w") as f:
        json.dump(units, f, indent=1)

    jobs = []
    for repetition in range(args.repeat):
        for index, unit in enumerate(units):
            for configuration in configurations:
                command = ([args.clang_tidy] + common_arguments(args)
                           + [f"--checks={configuration.glob()}", "-p", work, unit["file"]])
                output = os.path.join(work, "output", f"{index}.{configuration.name}.{repetition}.txt")
                jobs.append(Job(index, configuration.name, repetition, command, output))

    results = {}
    done = [0]
    started = time.monotonic()

    def on_done(job):
        with open(job.output, encoding="utf-8", errors="replace") as f:
            text = f.read()
        warnings, errors, crashed = parse_output(text, units[job.unit]["directory"])
        status, reason = classify(job, errors, crashed)
        key = (job.unit, job.configuration)
        if key not in results:
            results[key] = {"status": status, "reason": reason, "cpu": job.cpu,
                            "warnings": warnings}
        else:  # a repetition: the least CPU time, the first run's findings
            results[key]["cpu"] = min(results[key]["cpu"], job.cpu)
        if not args.work_dir:
            os.unlink(job.output)
        done[0] += 1
        if sys.stderr.isatty():
            print(f"\r{TOOL}: {done[0]}/{len(jobs)} clang-tidy runs", end="", file=sys.stderr)

    try:
        run_jobs(jobs, args.jobs, args.timeout, on_done)
    finally:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)

    report = build_report(args, db_path, summary, units, configurations, results)
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    print_report(report, sys.stdout, args.list)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    return 1 if report["units"]["crashed_or_timed_out"] else 0


if __name__ == "__main__":
    sys.exit(main())
