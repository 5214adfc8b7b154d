"""Reads the expectations written in a corotidy check test.

The contract, familiar from clang-tidy's own tests:
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: <message> [<check>]
  // CHECK-FIXES: <the fixed line>
Each comment sits under the code it is about. A suffix selects a
configuration: CHECK-MESSAGES-STRICT, CHECK-FIXES-STRICT.
"""

import re
from dataclasses import dataclass
from typing import List, Optional

CHECK_COMMENT = re.compile(r"//\s*CHECK-[A-Z0-9-]*:[^\r\n]*")
MESSAGE_LINE = re.compile(
    r":\[\[@LINE(?P<offset>[+-]\d+)?\]\]:(?P<col>\d+):\s*"
    r"(?P<severity>warning|error|note):\s*(?P<text>.*)$"
)
CHECK_NAME = re.compile(r"\s*\[(?P<check>[a-z0-9.-]+)\]\s*$")


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


def prefixes(kind: str, suffixes: List[str]) -> List[str]:
    """CHECK-<kind> or CHECK-<kind>-<SUFFIX> for each suffix."""
    if not suffixes:
        return [f"CHECK-{kind}"]
    return [f"CHECK-{kind}-{s}" for s in suffixes]


def clean_source(text: str) -> str:
    """The test source with every CHECK comment blanked, lines kept."""
    return CHECK_COMMENT.sub("//", text)


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


def has_prefix(text: str, kind: str, suffixes: List[str]) -> bool:
    return any(re.search(r"//\s*" + p + ":", text) for p in prefixes(kind, suffixes))
