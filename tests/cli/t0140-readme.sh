#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's tour is real output: every console block is run, command by
# command, in a fresh directory, and must print exactly what the README shows.
. "$(dirname "$0")/lib.sh"

ln -s "$SAMPLES" samples
mkdir bin && ln -s "$PGTCTL" bin/pgtctl
PATH="$T_DIR/bin:$PATH" python3 - "$PGTCTL_TOP/README.md" <<'PY'
import subprocess, sys
lines = open(sys.argv[1]).read().split("\n")
n = 0
in_block = False
cmds = []  # (command, expected output lines)
for line in lines:
    if line == "```console":
        in_block = True
        continue
    if in_block and line == "```":
        in_block = False
        continue
    if not in_block:
        continue
    if line.startswith("$ "):
        cmds.append([line[2:], []])
    else:
        cmds[-1][1].append(line)
for cmd, want in cmds:
    n += 1
    got = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    out = (got.stdout + got.stderr).rstrip("\n").split("\n") if (got.stdout + got.stderr) else []
    if out == want:
        print("ok %d - README: %s" % (n, cmd))
    else:
        print("not ok %d - README: %s" % (n, cmd))
        for w, g in zip(want + [""] * len(out), out + [""] * len(want)):
            if w != g:
                print("#   want: %s\n#   got:  %s" % (w, g))
                break
print("1..%d" % n)
PY
