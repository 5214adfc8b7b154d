"""Reads the expectations written in a corotidy check test.

The contract, familiar from clang-tidy's own tests:
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: <message> [<check>]
  // CHECK-FIXES: <the fixed line>
  // CHECK-FIXES-NEXT: <the line after it>
Each comment sits under the code it is about. A suffix selects a
configuration: CHECK-MESSAGES-STRICT, CHECK-FIXES-STRICT.
"""

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Set

CHECK_COMMENT = re.compile(r"//\s*CHECK-[A-Z0-9-]*:[^\r\n]*")
MESSAGE_LINE = re.compile(
    r":\[\[@LINE(?P<offset>[+-]\d+)?\]\]:(?P<col>\d+):\s*"
    r"(?P<severity>warning|error|note):\s*(?P<text>.*)$"
)
CHECK_NAME = re.compile(r"\s*\[(?P<check>[a-z0-9.-]+)\]\s*$")
# Any comment that looks like a check directive, well-formed or not.
DIRECTIVE = re.compile(r"//\s*(?P<name>CHECK-[A-Za-z0-9_-]*):(?P<body>.*)$")
WELL_FORMED = re.compile(
    r"CHECK-(?P<kind>MESSAGES|FIXES)(?:-(?P<suffix>(?!NEXT$)[A-Z0-9_]+))?(?:-(?P<next>NEXT))?$")
# The modifiers FileCheck knows; written after our prefixes they would be
# read as suffixes, so they are refused by name.
FILECHECK_MODIFIERS = {"NOT", "SAME", "DAG", "EMPTY", "LABEL", "COUNT"}


@dataclass
class ExpectedMessage:
    line: int  # 1-based line the diagnostic points at
    column: int  # 1-based column
    severity: str
    text: str  # message without the [check] suffix; may hold {{regex}}
    check: Optional[str]

    def matches(self, message: str) -> bool:
        """Whether `message` (without the [check] suffix) contains this one,
        as FileCheck matches a line. {{...}} holds a regular expression."""
        pattern = ""
        for i, part in enumerate(re.split(r"\{\{(.*?)\}\}", self.text)):
            pattern += part if i % 2 else re.escape(part)
        return re.search(pattern, message.strip()) is not None


@dataclass
class Directive:
    line: int  # 1-based line of the comment
    kind: str  # MESSAGES or FIXES
    suffix: Optional[str]
    next: bool  # CHECK-FIXES-NEXT
    body: str  # the text after the colon, stripped


class DirectiveError(Exception):
    """A malformed or unsupported check directive."""


def prefixes(kind: str, suffixes: List[str]) -> List[str]:
    """CHECK-<kind> or CHECK-<kind>-<SUFFIX> for each suffix."""
    if not suffixes:
        return [f"CHECK-{kind}"]
    return [f"CHECK-{kind}-{s}" for s in suffixes]


def clean_source(text: str) -> str:
    """The test source with every CHECK comment blanked, lines kept."""
    return CHECK_COMMENT.sub("//", text)


def directives(text: str) -> List[Directive]:
    """Every CHECK-MESSAGES/CHECK-FIXES comment of the file. Anything else
    spelled CHECK-...: (a typo, a FileCheck modifier we do not support)
    raises DirectiveError: a directive nobody reads passes by accident."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        comment = DIRECTIVE.search(line)
        if not comment:
            continue
        name = comment.group("name")
        shape = WELL_FORMED.match(name)
        if not shape or shape.group("suffix") in FILECHECK_MODIFIERS:
            raise DirectiveError(
                f"line {number}: '{name}:' is not a directive the runners read "
                "(CHECK-MESSAGES[-SUFFIX] or CHECK-FIXES[-SUFFIX][-NEXT])")
        if shape.group("kind") == "MESSAGES" and shape.group("next"):
            raise DirectiveError(
                f"line {number}: '{name}:' is not supported; write one "
                "CHECK-MESSAGES line per diagnostic")
        found.append(Directive(number, shape.group("kind"), shape.group("suffix"),
                               bool(shape.group("next")), comment.group("body").strip()))
    return found


def selected(found: Sequence[Directive], kind: str,
             suffixes: List[str]) -> List[Directive]:
    """The directives of `kind` that a run with `suffixes` checks."""
    wanted = set(suffixes) if suffixes else {None}
    return [d for d in found if d.kind == kind and d.suffix in wanted]


def expected_messages(text: str, suffixes: List[str]) -> List[ExpectedMessage]:
    wanted = prefixes("MESSAGES", suffixes)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        comment = re.search(r"//\s*(CHECK-[A-Z0-9-]+):(.*)$", line)
        if not comment or comment.group(1) not in wanted:
            continue
        body = MESSAGE_LINE.search(comment.group(2).strip())
        if not body:
            continue
        # [[@LINE+N]] inside the message means a line, as in FileCheck.
        text_part = re.sub(
            r"\[\[@LINE([+-]\d+)?\]\]",
            lambda m, n=number: str(n + int(m.group(1) or 0)),
            body.group("text"))
        check = None
        name = CHECK_NAME.search(text_part)
        if name:
            check = name.group("check")
            text_part = text_part[: name.start()]
        offset = int(body.group("offset") or 0)
        found.append(
            ExpectedMessage(
                line=number + offset,
                column=int(body.group("col")),
                severity=body.group("severity"),
                text=text_part.strip(),
                check=check,
            )
        )
    return found


# --- RUN lines ----------------------------------------------------------------

def run_suffixes(text: str, tool: str = "%check_coro_tidy") -> Optional[Set[Optional[str]]]:
    """The suffixes the file's own RUN lines through `tool` select (None for
    a run without --check-suffixes), or None when no RUN line uses it."""
    commands, current = [], ""
    for line in text.splitlines():
        run = re.search(r"RUN:(.*)$", line)
        if not run:
            continue
        current += run.group(1).rstrip()
        if current.endswith("\\"):
            current = current[:-1]
            continue
        commands.append(current)
        current = ""
    selected_by: Set[Optional[str]] = set()
    seen = False
    for command in commands:
        if tool not in command:
            continue
        seen = True
        chosen = re.search(r"--check-suffixes[= ]([A-Za-z0-9_,]+)", command)
        if chosen:
            selected_by.update(s for s in chosen.group(1).split(",") if s)
        else:
            selected_by.add(None)
    return selected_by if seen else None


def unselected(found: Sequence[Directive], chosen: Set[Optional[str]]) -> List[Directive]:
    """Directives whose suffix no RUN line selects: they are never checked."""
    return [d for d in found if d.suffix not in chosen]
