#!/usr/bin/env python3
"""Edits a document in corotidy-clangd as an editor does and checks the
diagnostics after each edit: the index is read once, and the open file's
own facts are laid over it, so verdicts follow unsaved edits without
re-indexing.

  lsp_edit.py --clangd BIN --compile-commands-dir DIR --work-dir DIR
              --check NAME [--check-option NAME=VALUE]... STEPS.json

STEPS.json: {"document": PATH, "steps": [STEP, ...]}, each STEP
  {"text": FILE,            the document's whole text (didOpen, then didChange)
   "expect": ["L:C message", ...],   exactly the check's diagnostics
   "fixes": ["L:C", ...],            those that must offer a quick fix
   "notes": ["substring", ...]}      related information that must arrive
The document is opened at its real path (the index names files by it);
no .clangd or .clang-tidy may lie above it, so the configuration is only
the user config this script writes.
"""

import argparse
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from lsp_check import (ANCESTOR_CONFIGS, editor_text, start_clangd,  # noqa: E402
                       write_user_config)


def fail(message, client=None):
    sys.stderr.write(f"lsp_edit: {message}\n")
    if client is not None:
        sys.stderr.write("".join(client.stderr_lines[-20:]))
        client.proc.kill()
    sys.exit(1)

SETTLE_SECONDS = 5


def location_of(diag):
    start = diag["range"]["start"]
    return f"{start['line'] + 1}:{start['character'] + 1}"


def wait_for_step(client, uri, check, version, step):
    """The check's diagnostics of `version` once they are the expected ones;
    clangd may publish more than once per version."""
    want = sorted(step["expect"])
    timeout = None
    got = []
    while True:
        published = client.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version", version) == version, timeout)
        if published is None:
            fail(f"after edit {version}: expected\n  " + "\n  ".join(want) +
                 "\ngot\n  " + "\n  ".join(f"{location_of(d)} {d['shown']}" for d in got) +
                 "\nnotes expected: " + "; ".join(step.get("notes", [])) +
                 "\narrived: " + json.dumps(got, indent=1), client)
        got = [d for d in published["params"]["diagnostics"] if d.get("code") == check]
        for diag in got:
            diag["shown"] = editor_text(diag.get("message", "")).split("\n")[0]
        if sorted(f"{location_of(d)} {d['shown']}" for d in got) == want:
            notes = [editor_text(r.get("message", "")) for d in got
                     for r in d.get("relatedInformation", [])]
            missing = [n for n in step.get("notes", []) if not any(n in m for m in notes)]
            if not missing:
                return got
        timeout = SETTLE_SECONDS


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clangd", required=True)
    parser.add_argument("--compile-commands-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--check", required=True)
    parser.add_argument("--check-option", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("steps")
    args = parser.parse_args()
    spec = json.loads(pathlib.Path(args.steps).read_text())
    base = pathlib.Path(args.steps).resolve().parent
    document = (base / spec["document"]).resolve()
    for parent in document.parents:
        for name in ANCESTOR_CONFIGS:
            if (parent / name).exists():
                fail(f"{parent / name} would configure the document; the test "
                     "must be hermetic")

    work_dir = pathlib.Path(args.work_dir).resolve()
    write_user_config(work_dir, args.check,
                      [o.split("=", 1) for o in args.check_option])
    client = start_clangd(args.clangd, work_dir, args.compile_commands_dir,
                          document.parent.as_uri())
    uri = document.as_uri()
    for version, step in enumerate(spec["steps"], start=1):
        text = (base / step["text"]).read_text()
        if version == 1:
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "cpp", "version": version, "text": text}})
        else:
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]})
        got = wait_for_step(client, uri, args.check, version, step)
        for where in step.get("fixes", []):
            diag = next(d for d in got if location_of(d) == where)
            sent = {k: v for k, v in diag.items() if k != "shown"}
            actions = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": diag["range"],
                "context": {"diagnostics": [sent], "only": ["quickfix"]}}) or []
            if not any(a.get("kind") == "quickfix" for a in actions):
                fail(f"after edit {version}: the diagnostic at {where} offers no quick fix",
                     client)
        print(f"lsp_edit: edit {version}: {len(got)} diagnostics of {args.check} as expected")
    client.shutdown()


if __name__ == "__main__":
    main()
