"""Reads the expectations written in a corotidy check test.

The contract, familiar from clang-tidy's own tests:
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: <message> [<check>]
  // CHECK-FIXES: <the fixed line>
  // CHECK-FIXES-NEXT: <the line after it>
Each comment sits under the code it is about. A suffix selects a
configuration: CHECK-MESSAGES-STRICT, CHECK-FIXES-STRICT.

A CHECK-FIXES line is anchored: it must match a line of the fixed file that
comes from the code it is written under, i.e. from the source lines between
the previous block of comments holding CHECK-FIXES of the same run and the
comment itself (consecutive comment lines form one block), and after the
previous CHECK-FIXES match. A fixed line that only appears elsewhere in the
file (an identical line in another function) does not satisfy it.
CHECK-FIXES-NEXT lines match the fixed lines right after their group's
first line. A pattern is literal
text with {{regex}} parts; it must cover the whole line (leading and
trailing blanks of the line are ignored unless the pattern starts with
{{^}} or ends with {{$}}).
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

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


# --- CHECK-FIXES ------------------------------------------------------------

def fix_pattern(body: str) -> "re.Pattern[str]":
    """The whole-line regular expression a CHECK-FIXES body stands for."""
    if "[[" in re.sub(r"\{\{.*?\}\}", "", body):
        raise DirectiveError(
            f"'{body}': FileCheck variables are not supported in CHECK-FIXES; "
            "write a literal '[[' as {{\\[\\[}}")
    parts = re.split(r"\{\{(.*?)\}\}", body)
    regex = "".join(p if i % 2 else re.escape(p) for i, p in enumerate(parts))
    if not body.startswith("{{^}}"):
        regex = r"\s*" + regex
    if not body.endswith("{{$}}"):
        regex = regex + r"\s*"
    try:
        return re.compile(regex)
    except re.error as error:
        raise DirectiveError(f"'{body}': bad regular expression: {error}") from error


def line_origins(before: List[str], after: List[str]) -> List[Tuple[int, int]]:
    """For each line of `after` (the fixed file), the 1-based range of lines
    of `before` (the source) it comes from: the line itself when unchanged,
    the replaced lines when rewritten, the next line when inserted."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    origins: List[Tuple[int, int]] = [(0, 0)] * len(after)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                origins[j] = (i1 + (j - j1) + 1,) * 2
            elif tag == "replace":
                origins[j] = (i1 + 1, i2)
            elif tag == "insert":
                origins[j] = (i1 + 1, i1 + 1)
    return origins


@dataclass
class FixGroup:
    lines: List[Directive] = field(default_factory=list)

    @property
    def first(self) -> Directive:
        return self.lines[0]


def fix_groups(found: Sequence[Directive]) -> List[FixGroup]:
    groups: List[FixGroup] = []
    for d in found:
        if d.next:
            if not groups:
                raise DirectiveError(
                    f"line {d.line}: CHECK-FIXES-NEXT without a CHECK-FIXES before it")
            groups[-1].lines.append(d)
        else:
            groups.append(FixGroup([d]))
    return groups


def check_fixes(source_lines: List[str], fixed_lines: List[str],
                found: Sequence[Directive], every: Sequence[Directive] = ()) -> List[str]:
    """Problems with the CHECK-FIXES directives `found` (one run's) against
    the fixed file; empty when every group matches inside its region, in
    order. `every` is all the directives of the file: consecutive comment
    lines form one block, written under the same code."""
    origins = line_origins(source_lines, fixed_lines)
    comment_lines = {d.line for d in every} | {d.line for d in found}
    block_of: Dict[int, int] = {}
    for line in sorted(comment_lines):
        block_of[line] = block_of.get(line - 1, line)
    problems = []
    previous_end = -1
    for group in fix_groups(found):
        patterns = [fix_pattern(d.body) for d in group.lines]
        # From the line after the CHECK-FIXES of an earlier comment block.
        block = block_of[group.first.line]
        region = (1 + max((d.line for d in found if block_of[d.line] < block),
                          default=0), group.first.line)

        def matches_at(j: int) -> bool:
            return all(j + k < len(fixed_lines) and p.fullmatch(fixed_lines[j + k])
                       for k, p in enumerate(patterns))

        def inside(j: int) -> bool:
            return all(j + k < len(origins) and origins[j + k][1] >= region[0]
                       and origins[j + k][0] <= region[1]
                       for k in range(len(patterns)))

        match = next((j for j in range(previous_end + 1, len(fixed_lines))
                      if matches_at(j) and inside(j)), None)
        if match is not None:
            previous_end = match + len(patterns) - 1
        else:
            what = "\n".join(f"  line {d.line}: {d.body}" for d in group.lines)
            elsewhere = [j + 1 for j in range(len(fixed_lines)) if matches_at(j)]
            if elsewhere:
                where = ", ".join(str(j) for j in elsewhere[:5])
                detail = (f"it matches line {where} of the fixed file, but not a line "
                          f"that comes from source lines {region[0]}-{region[1]} (the "
                          "code the directive is written under) after the previous "
                          "CHECK-FIXES match: the fix landed elsewhere")
            else:
                detail = "no line of the fixed file matches it"
            problems.append(f"CHECK-FIXES at line {group.first.line}:\n{what}\n  {detail}")
    return problems


# --- RUN lines ----------------------------------------------------------------

def run_commands(text: str) -> List[str]:
    """The file's RUN commands, continuation lines joined."""
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
    return commands


def run_suffixes(text: str, tool: str = "%check_coro_tidy") -> Optional[Set[Optional[str]]]:
    """The suffixes the file's own RUN lines through `tool` select (None for
    a run without --check-suffixes), or None when no RUN line uses it."""
    commands = run_commands(text)
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
