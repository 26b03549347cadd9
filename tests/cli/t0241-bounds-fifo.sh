#!/bin/sh
# SPDX-License-Identifier: MIT
# A FIFO, a device or a directory given where a file is read (a spec, an
# IMAGE, --dump, --raw) is refused at once as not a regular file, exit 2;
# none of them is waited on. Each command runs under timeout, so that one
# that blocks on the FIFO fails instead of hanging the suite.
. "$(dirname "$0")/lib.sh"

mkfifo fifo
mkdir dir
SRC="--format arm-64-lpae-s1 --root 0x80000000"
# nofifo DESC CMD...: CMD refuses the FIFO at once: exit 2, the message
nofifo() {
	d=$1
	shift
	run timeout 20 "$PGTCTL" "$@"
	expect_status 2 "$d: exit 2, not blocked on it"
	expect_err_has "fifo: not a regular file" "$d: not a regular file"
}
nofifo "build FIFO" build fifo -o out.img
nofifo "--dump FIFO" translate --dump fifo $SRC 0x1000
nofifo "--raw FIFO" translate --raw fifo --base 0x80000000 $SRC 0x1000
nofifo "IMAGE=FIFO" translate fifo 0x1000
nofifo "scan --dump FIFO" scan --dump fifo --format arm-64-lpae-s1
nofifo "diff with a FIFO" diff fifo fifo
nofifo "check a FIFO" check fifo
diag "FILE: not a regular file" timeout 20 "$PGTCTL" dump --raw fifo --base 0 $SRC
if [ ! -e out.img ]; then ok "nothing written"; else not_ok "nothing written" "out.img exists"; fi

run timeout 20 "$PGTCTL" info /dev/null
expect_status 2 "a character device: exit 2"
expect_err_has "/dev/null: not a regular file" "a character device is not a regular file"
run timeout 20 "$PGTCTL" translate --dump dir $SRC 0x1000
expect_status 2 "a directory: exit 2"
expect_err_has "dir: not a regular file" "a directory is not a regular file"

done_testing
