#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh STAGE...: make check's stages, each a make command line run with
# $MAKE. Every stage runs, so that one failure does not hide another; the
# last line is the verdict, and the status is 1 when a stage failed.
: "${MAKE:?run through make check}"
passed=0 failed=0 which=""
for stage in "$@"; do
	# shellcheck disable=SC2086
	if $MAKE $stage; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		which="$which${which:+, }$stage"
	fi
done
echo "make check: $passed passed, $failed failed${which:+ ($which)}"
[ "$failed" -eq 0 ]
