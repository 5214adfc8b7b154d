#!/usr/bin/env python3
"""Drives corotidy-clangd over JSON-RPC on stdio, as an editor does, with a
check test's own source, and verifies what the editor would show.

  lsp_check.py --clangd BIN --inputs DIR --check NAME --work-dir DIR
               [--check-suffixes S] [--check-option NAME=VALUE]...
               [--expect-fixed FILE] <source.cpp>

1. initialize, initialized, didOpen (the source with its CHECK comments
   blanked). The run is hermetic: clangd reads .clangd and .clang-tidy from
   every directory above a document, so the document gets a path in a
   directory that does not exist, right under the root (only the root's
   own files could apply, and their presence fails the run). Its
   configuration is passed explicitly: a user config (XDG_CONFIG_HOME in
   the work dir) enables the check with FastCheckFilter: Loose and its
   options, and --compile-commands-dir names a compile_flags.txt with the
   inputs.
2. Waits for publishDiagnostics. Every CHECK-MESSAGES warning of the check
   must arrive with the same start position, code and message; no other
   diagnostic of the check may arrive.
3. For each of the check's diagnostics, asks textDocument/codeAction and
   applies the quick fix it offers. With --expect-fixed, the result must be
   byte-identical to that file (clang-tidy --fix's output for the same
   source): the editor and the command line offer the same fixes.
"""

import argparse
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import corotidy_expectations as expect  # noqa: E402

TIMEOUT_SECONDS = int(os.environ.get("LSP_CHECK_TIMEOUT", "120"))
SETTLE_SECONDS = 5


class LspClient:
    def __init__(self, command, env, cwd):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=cwd)
        self.next_id = 1
        self.messages = queue.Queue()
        self.stderr_lines = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        stream = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace"))

    def send(self, message):
        data = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method,
                   "params": params})
        reply = self.wait_for(lambda m: m.get("id") == request_id and "method" not in m)
        if "error" in reply:
            fail(f"{method} failed: {reply['error']}", self)
        return reply.get("result")

    def wait_for(self, predicate, timeout=None):
        """The next message matching `predicate`; None when `timeout` is
        given and passes first, a failure after TIMEOUT_SECONDS otherwise."""
        while True:
            try:
                message = self.messages.get(timeout=timeout or TIMEOUT_SECONDS)
            except queue.Empty:
                if timeout:
                    return None
                fail(f"no answer from clangd within {TIMEOUT_SECONDS}s", self)
            if message is None:
                fail("clangd exited", self)
            if predicate(message):
                return message
            if "method" in message and "id" in message:
                # A server-to-client request (e.g. workDoneProgress/create).
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def shutdown(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - best effort on the way out
            self.proc.kill()


def fail(message, client=None):
    sys.stderr.write(f"lsp_check: {message}\n")
    if client is not None:
        sys.stderr.write("".join(client.stderr_lines[-20:]))
        client.proc.kill()
    sys.exit(1)


# Files clangd reads from every directory above a document.
ANCESTOR_CONFIGS = (".clangd", ".clang-tidy")


def document_path():
    """Where the document claims to live: a directory that does not exist
    right under the root, so no directory above it holds configuration
    but the root itself, which must hold none."""
    root = pathlib.Path("/")
    for name in ANCESTOR_CONFIGS:
        if (root / name).exists():
            fail(f"{root / name} would apply to every document; the editor "
                 "tests cannot be hermetic on this machine")
    directory = root / f"corotidy-lsp-{uuid.uuid4().hex[:12]}"
    if directory.exists():
        fail(f"{directory} exists")
    return directory / "test.cpp"


def write_user_config(work_dir, check, options):
    """The explicit configuration: a user config (XDG_CONFIG_HOME in the work
    dir) that enables `check` with `options`, and an empty home."""
    work_dir.mkdir(parents=True, exist_ok=True)
    config = ("Diagnostics:\n"
              "  ClangTidy:\n"
              f"    Add: [{check}]\n"
              "    FastCheckFilter: Loose\n")
    if options:
        config += "    CheckOptions:\n" + "".join(
            f"      {key}: {value}\n" for key, value in options)
    user_config = work_dir / "config" / "clangd" / "config.yaml"
    user_config.parent.mkdir(parents=True, exist_ok=True)
    user_config.write_text(config)
    (work_dir / "home").mkdir(exist_ok=True)


def start_clangd(clangd, work_dir, commands_dir, root_uri):
    """corotidy-clangd on stdio with the work dir's configuration only,
    initialized as an editor that shows related information, versions and
    quick fixes."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work_dir / "home"),
           "XDG_CONFIG_HOME": str(work_dir / "config")}
    client = LspClient([clangd, "--log=error", "-j=1", "--background-index=false",
                        "--pch-storage=memory", "--clang-tidy",
                        f"--compile-commands-dir={commands_dir}"], env, str(work_dir))
    client.request("initialize", {
        "processId": os.getpid(),
        "rootUri": root_uri,
        "capabilities": {"textDocument": {
            "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
            "codeAction": {"codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix"]}}},
        }},
    })
    client.notify("initialized", {})
    return client


def write_project(work_dir, inputs, check, std, options):
    """The explicit configuration: a user config and a compile_flags.txt in
    the work dir, which is not above the document."""
    write_user_config(work_dir, check, options)
    commands = work_dir / "commands"
    commands.mkdir(exist_ok=True)
    (commands / "compile_flags.txt").write_text(f"-xc++\n-std={std}\n-I{inputs}\n")
    return commands


def editor_text(message):
    """The message as clang-tidy printed it: clangd capitalizes it and adds
    ' (fix available)' when a fix comes with it."""
    message = message.removesuffix(" (fix available)")
    return message[:1].lower() + message[1:]


def position_to_offset(text, position):
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[: position["line"]]) + position["character"]


def apply_edits(text, edits):
    ordered = sorted(edits, key=lambda e: position_to_offset(text, e["range"]["start"]),
                     reverse=True)
    previous_start = None
    for edit in ordered:
        start = position_to_offset(text, edit["range"]["start"])
        end = position_to_offset(text, edit["range"]["end"])
        if previous_start is not None and end > previous_start:
            fail("code actions of different diagnostics overlap")
        text = text[:start] + edit["newText"] + text[end:]
        previous_start = start
    return text


def edits_for(action, uri):
    edit = action.get("edit", {})
    if "changes" in edit:
        return edit["changes"].get(uri, [])
    edits = []
    for change in edit.get("documentChanges", []):
        if change.get("textDocument", {}).get("uri") == uri:
            edits.extend(change.get("edits", []))
    return edits


def unmatched_diagnostics(diagnostics, expected):
    """Matches each expected warning to an arrived diagnostic at the same
    start, with the same code, source, severity and text. Returns the
    expected warnings that did not arrive and the diagnostics nobody
    expected."""
    unmatched = list(diagnostics)
    missing = []
    for want in expected:
        found = next((got for got in unmatched
                      if (got["range"]["start"]["line"] + 1,
                          got["range"]["start"]["character"] + 1) == (want.line, want.column)
                      and got.get("source") == "clang-tidy"
                      and got.get("severity") == 2
                      and want.matches(got["shown"])), None)
        if found is None:
            missing.append(want)
        else:
            unmatched.remove(found)
    return missing, unmatched


def wait_for_expected(client, uri, check, expected):
    """The check's diagnostics once a publishDiagnostics holds exactly the
    expected ones. clangd may publish again for the same open; a mismatch
    fails when no further publication comes within SETTLE_SECONDS."""
    timeout = None
    while True:
        published = client.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri, timeout)
        if published is None:
            fail("the diagnostics clangd published are not the expected ones\n"
                 "missing: " + "; ".join(f"{w.line}:{w.column} {w.text}" for w in missing) +
                 "\nunexpected: " + json.dumps(unexpected, indent=1), client)
        diagnostics = [d for d in published["params"]["diagnostics"]
                       if d.get("code") == check]
        for diag in diagnostics:
            diag["shown"] = editor_text(diag.get("message", ""))
        missing, unexpected = unmatched_diagnostics(diagnostics, expected)
        if not missing and not unexpected:
            return diagnostics
        timeout = SETTLE_SECONDS


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clangd", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--check", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--expect-fixed")
    parser.add_argument("--check-suffixes", default="")
    parser.add_argument("--std", default="c++20")
    parser.add_argument("--check-option", action="append", default=[],
                        metavar="NAME=VALUE", help="a CheckOptions entry for .clangd")
    parser.add_argument("source")
    args = parser.parse_args()
    suffixes = [s for s in args.check_suffixes.split(",") if s]
    options = [tuple(o.split("=", 1)) for o in args.check_option]

    original = pathlib.Path(args.source).read_text()
    cleaned = expect.clean_source(original)
    expected = [m for m in expect.expected_messages(original, suffixes)
                if m.severity == "warning" and m.check in (None, args.check)]
    work_dir = pathlib.Path(args.work_dir).resolve()
    commands = write_project(work_dir, os.path.abspath(args.inputs), args.check,
                             args.std, options)
    source = document_path()
    uri = source.as_uri()

    client = start_clangd(args.clangd, work_dir, commands, source.parent.as_uri())
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": 1, "text": cleaned}})
    diagnostics = wait_for_expected(client, uri, args.check, expected)

    # 3. The quick fixes, applied as an editor would.
    edits = []
    with_fix = 0
    for diag in diagnostics:
        sent = {k: v for k, v in diag.items() if k != "shown"}
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": diag["range"],
            "context": {"diagnostics": [sent], "only": ["quickfix"]},
        }) or []
        fixes = [a for a in actions if a.get("kind") == "quickfix"
                 and any(d.get("code") == args.check for d in a.get("diagnostics", []))]
        if fixes:
            with_fix += 1
            edits.extend(edits_for(fixes[0], uri))
    client.shutdown()

    if args.expect_fixed:
        fixed = apply_edits(cleaned, edits)
        want_fixed = pathlib.Path(args.expect_fixed).read_text()
        if fixed != want_fixed:
            import difflib
            diff = "".join(difflib.unified_diff(
                want_fixed.splitlines(True), fixed.splitlines(True),
                "clang-tidy --fix", "clangd code actions"))
            fail("code actions differ from clang-tidy's fixes:\n" + diff)
    print(f"lsp_check: {len(diagnostics)} diagnostics of {args.check} arrived as "
          f"expected; {with_fix} offered a quick fix")


if __name__ == "__main__":
    main()
