#!/bin/sh
# SPDX-License-Identifier: MIT
# A memory file truncated under a running command: the walk that needs the
# bytes it lost reports them as unreadable, exit 1, instead of the command
# dying of SIGBUS. The command reads its IOVAs from stdin, so that the
# driver can cut the file after pgtctl holds it open and before it walks.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o s.img >/dev/null
pgtctl emit s.img -o s.raw --raw >/dev/null
elftool core s.elf 0x80000000:s.raw
SRC="--format arm-64-lpae-s1 --root 0x80000000"

# cut FILE CMD...: run CMD with stdin from a pipe and stdout on a
# terminal (so that it answers line by line), give it an IOVA, wait for
# the answer (CMD has the file open and has walked it), truncate FILE, give
# it an IOVA whose walk needs pages not read yet. Its status is CMD's, or
# 128 + the signal that killed it.
cat >cut.py <<'PY'
import os, pty, subprocess, sys
path, args = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=slave, stderr=subprocess.PIPE)
os.close(slave)
out = b""
def more():
    global out
    try:
        got = os.read(master, 4096)
    except OSError:
        got = b""
    out += got
    return got
p.stdin.write(b"0x8000000\n")
p.stdin.flush()
while b"\n" not in out and more():
    pass
os.truncate(path, 0)
p.stdin.write(b"0x10000000\n")
p.stdin.close()
while more():
    pass
err = p.stderr.read()
p.wait()
sys.stdout.write(out.decode().replace("\r\n", "\n"))
sys.stderr.write(err.decode())
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
PY
cut() { python3 cut.py "$@"; }

cp s.raw cut.raw
diag "the file shrank from" cut cut.raw "$PGTCTL" translate --raw cut.raw --base 0x80000000 $SRC -
expect_out_has "cut.raw: the file shrank from 24576 to 0 bytes while it was read" \
	"--raw: the walk names the file that shrank"

cp s.elf cut.elf
run cut cut.elf "$PGTCTL" translate --dump cut.elf $SRC -
expect_status 1 "--dump ELF core cut short: exit 1, not SIGBUS"
expect_out_has "cut.elf: the file shrank from" "--dump: the walk names the file that shrank"

cp s.img cut.img
run cut cut.img "$PGTCTL" translate cut.img -
expect_status 1 "IMAGE cut short: exit 1, not SIGBUS"
expect_out_has "cut.img: the file shrank from" "IMAGE: the walk names the file that shrank"

"$MKKDUMP" -b 0x80000000 -c none s.raw s.kdump
run cut s.kdump "$PGTCTL" translate --dump s.kdump $SRC -
expect_status 1 "kdump cut short: exit 1, not SIGBUS"
expect_out_has "s.kdump: the file shrank from" "kdump: the walk names the file that shrank"

done_testing
