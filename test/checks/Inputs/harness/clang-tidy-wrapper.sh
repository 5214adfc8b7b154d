#!/bin/sh
# A test double for the runner's self-test: runs the real clang-tidy
# ($REAL_CLANG_TIDY) and, in the run that applies fixes, adds the line
# $EXTRA_STDERR to what it prints on stderr.
"$REAL_CLANG_TIDY" "$@"
status=$?
case " $* " in
*" --fix "*) echo "$EXTRA_STDERR" >&2 ;;
esac
exit $status
