#!/bin/sh
# SPDX-License-Identifier: MIT
# The error catalogue cannot rot: every message of pgtctl(1)'s DIAGNOSTICS
# is triggered by a diag call of the CLI tests (all but 'internal error'),
# and every error message in the sources is mapped to one of its messages
# in tests/cli/diagnostics.map, with no line of the map left stale.
. "$(dirname "$0")/lib.sh"
diagnostics() { python3 "$PGTCTL_TOP/tests/tools/diagnostics.py" "$@"; }
MAN="$PGTCTL_TOP/man/pgtctl.1"
MAP="$PGTCTL_TOP/tests/cli/diagnostics.map"
TESTS="$PGTCTL_TOP/tests/cli/t[0-9]*.sh"

# shellcheck disable=SC2086
if why=$(diagnostics triggers "$MAN" $TESTS); then ok "every catalogue message has a diag test"; else
	not_ok "every catalogue message has a diag test" "$(printf '%s' "$why" | tr '\n' '|')"; fi
if why=$(diagnostics sources "$MAN" "$PGTCTL_TOP/src" "$MAP"); then
	ok "every error message of the sources is in the catalogue"
else
	not_ok "every error message of the sources is in the catalogue" "$(printf '%s' "$why" | tr '\n' '|')"
fi
n=$(diagnostics list "$PGTCTL_TOP/src" | wc -l)
[ "$n" -gt 250 ] && ok "the sources have $n error messages" || not_ok "the sources have error messages" "only $n found"

# the checks catch what they are for: a new error site, a message no test
# triggers, a map line whose message is gone
cp -r "$PGTCTL_TOP/src" src
printf 'int f(struct pgt_error *err);\nint f(struct pgt_error *err) { return pgt_fail(err, -1, "a brand new way to fail"); }\n' \
	>>src/engine/map.c
run diagnostics sources "$MAN" src "$MAP"
expect_status 1 "a new error site is caught"
expect_out_has "src/engine/map.c:" "with where it is"
expect_out_has "not in the catalogue map: a brand new way to fail" "and what it says"
sed 's/^size is zero | size is zero$/size is zero | size is nil/' "$MAP" >stale.map
run diagnostics sources "$MAN" "$PGTCTL_TOP/src" stale.map
expect_out_has "the sources no longer have: size is nil" "a stale map line is caught"
sed 's/^\.B "nothing to undo"$/.B "nothing to redo"/' "$MAN" >man.1
# shellcheck disable=SC2086
run diagnostics triggers man.1 $TESTS
expect_status 1 "a message without a test is caught"
expect_out_has "no test triggers: nothing to redo" "and named"
expect_out_has "0 catalogue messages contain 'nothing to undo'" "as is a test of a message that is gone"
done_testing
