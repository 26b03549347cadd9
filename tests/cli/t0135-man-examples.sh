#!/bin/sh
# SPDX-License-Identifier: MIT
# The manual's examples are real: every command of pgtctl(1)'s examples
# runs in order and must print exactly what the page shows, and every spec
# in pgtctl-spec(5) builds, and dumps back to a spec that builds the same
# image.
. "$(dirname "$0")/lib.sh"

ln -s "$SAMPLES" samples
mkdir bin && ln -s "$PGTCTL" bin/pgtctl
PATH="$T_DIR/bin:$PATH" python3 - "$PGTCTL_TOP/man/pgtctl.1" "$PGTCTL_TOP/man/pgtctl-spec.5" <<'PY'
import subprocess, sys

def unescape(line):
    return line.replace("\\-", "-").replace("\\e", "\\")

def blocks(path):
    """The .EX/.EE blocks of a page, as lists of unescaped lines."""
    out, cur = [], None
    for line in open(path).read().split("\n"):
        if line == ".EX":
            cur = []
        elif line == ".EE":
            out.append(cur)
            cur = None
        elif cur is not None:
            cur.append(line)
    return out

n = failed = 0
def report(good, what, detail=()):
    global n, failed
    n += 1
    failed += not good
    print("%s %d - %s" % ("ok" if good else "not ok", n, what))
    for d in detail if not good else ():
        print("#   " + d)

# pgtctl(1): console examples, "$ " commands with their output
cmds = []
for b in blocks(sys.argv[1]):
    raw = iter(b)
    for line in raw:
        if line.startswith("$ "):
            cmd = line[2:]
            while cmd.endswith("\\e"):
                cmd = cmd[:-2] + " " + next(raw).strip()
            cmds.append([unescape(cmd), []])
        elif cmds:
            cmds[-1][1].append(unescape(line))
report(len(cmds) >= 10, "pgtctl(1) has examples to run (%d commands)" % len(cmds))
for cmd, want in cmds:
    got = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    text = got.stdout + got.stderr
    out = text.rstrip("\n").split("\n") if text else []
    if out == want:
        report(True, "pgtctl(1) example: " + cmd)
    else:
        diff = next(("want: %s | got: %s" % (w, g)
                     for w, g in zip(want + [""] * len(out), out + [""] * len(want)) if w != g), "")
        report(False, "pgtctl(1) example: " + cmd, [diff])

# pgtctl-spec(5): every spec builds, and round-trips through dump --output yaml
specs = [b for b in blocks(sys.argv[2]) if b and b[0].startswith("format:")]
report(len(specs) >= 2, "pgtctl-spec(5) has specs (%d)" % len(specs))
for i, b in enumerate(specs):
    name = "spec%d" % i
    open(name + ".yaml", "w").write("\n".join(unescape(l) for l in b) + "\n")
    r = subprocess.run(["pgtctl", "build", name + ".yaml", "-o", name + ".img"],
                       capture_output=True, text=True)
    report(r.returncode == 0, "pgtctl-spec(5) example %d builds" % (i + 1), [r.stderr.strip()])
    if r.returncode:
        continue
    r = subprocess.run("pgtctl dump --output yaml %s.img >%s.back.yaml && "
                       "pgtctl build %s.back.yaml -o %s.back.img >/dev/null && cmp %s.img %s.back.img"
                       % ((name,) * 6), shell=True, capture_output=True, text=True)
    report(r.returncode == 0, "pgtctl-spec(5) example %d round-trips" % (i + 1),
           [(r.stdout + r.stderr).strip()])
print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
