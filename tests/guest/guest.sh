# SPDX-License-Identifier: MIT
# Sourced by the guest tests (tests/cli/t016x-linux-*.sh) after lib.sh:
#
#   guest_run NAME QEMU-COMMAND...
#     boots a guest whose console goes to console.log, whose monitor is
#     mon.sock and whose IOMMU traces its translations to trace.log (the
#     command says so), waits for its init to say "pgtctl-guest: ready",
#     lets QEMU's trace settle, dumps the guest's memory to guest.elf and
#     quits it. Reports ok/not_ok for each step; returns non-zero when the
#     guest never got ready. A boot is given as long as its console keeps
#     moving (GUEST_STALL seconds of silence end it, GUEST_LIMIT in all);
#     a boot that fails (a panic, a stall, QEMU gone) is tried once more,
#     and the failure shown as a TAP diagnostic: a machine loaded by other
#     tests slows a TCG guest down, and its kernel's early timing checks
#     can then fail, which says nothing about the tables.
#     With GUEST_REGS="REGION OFFSET:BYTES... [REGION OFFSET:BYTES...]",
#     first reads registers of the MMIO regions named REGION in 'info
#     mtree' through the monitor ('xp'), at the moment of the dump:
#     "OFFSET VALUE REGION" lines in regs.
#   guest_steady PATTERN
#     the IOVA pages the device used at least ten times, always at the
#     same page: "IOVA PAGE" lines, from the trace lines matching PATTERN,
#     a regular expression with the IOVA and the output address as its
#     two groups.
#   guest_agree PATTERN SOURCE-ARGS...
#     ok when there are steady pages (PATTERN as for guest_steady) and
#     pgtctl translates each to the page QEMU used.
#   guest_iommu DEVICE ROOT FORMAT MAPPINGS PATTERN STRUCTURE IOMMU-ARGS...
#     from the IOMMU's own structures (IOMMU-ARGS: --dump, --iommu,
#     --iommu-reg): devices lists DEVICE translated through its table at
#     ROOT in FORMAT with MAPPINGS mappings, translate --device agrees with
#     QEMU (PATTERN), scan --iommu ranks the structure at STRUCTURE first
#     and the register it implies gives DEVICE the same table, and whereis
#     names DEVICE alone for its first steady page.
#   GUEST_X86_APPEND
#     the kernel command line of the x86 guests.

GUEST_STALL=${GUEST_STALL:-180}
GUEST_LIMIT=${GUEST_LIMIT:-900}
# the serial console; no reboot on a panic; no interrupt remapping (not
# under test, and its setup is what failed on a loaded machine) and no
# check of the IO-APIC timer, which a slow TCG guest can fail
GUEST_X86_APPEND="console=ttyS0 panic=-1 intremap=off no_timer_check"

# guest_boot QEMU-COMMAND...: one boot; 0 when its init got ready, else
# the reason in $why, and QEMU stopped
guest_boot() {
	rm -f console.log trace.log qemu.log mon.sock regs
	timeout $((GUEST_LIMIT + 300)) "$@" >qemu.log 2>&1 &
	qemu=$!
	waited=0 idle=0 seen=0
	while ! grep -q "pgtctl-guest: ready" console.log 2>/dev/null; do
		why=""
		if ! kill -0 $qemu 2>/dev/null; then
			why="QEMU exited"
		elif [ $idle -ge "$GUEST_STALL" ]; then
			why="its console was silent for ${idle}s"
		elif [ $waited -ge "$GUEST_LIMIT" ]; then
			why="not ready after ${waited}s"
		fi
		if [ -n "$why" ]; then
			kill $qemu 2>/dev/null
			{ wait $qemu; } 2>/dev/null
			return 1
		fi
		sleep 1
		waited=$((waited + 1))
		now=$(wc -c <console.log 2>/dev/null || echo 0)
		if [ "$now" = "$seen" ]; then idle=$((idle + 1)); else idle=0 seen=$now; fi
	done
	return 0
}

guest_run() {
	name=$1
	shift
	if ! guest_boot "$@"; then
		echo "# $name: boot 1 failed ($why) before any check; booting once more:"
		tail -c 600 console.log 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
		if ! guest_boot "$@"; then
			not_ok "$name booted ($why, twice)" "$(tail -c 600 console.log 2>/dev/null | tr '\n' '|')" \
				"$(tail -c 300 qemu.log)"
			return 1
		fi
	fi
	ok "$name booted and its init got ready (${waited}s)"

	# QEMU writes its trace behind the guest: wait until it stops growing
	last=-1 now=0 i=0
	while [ $i -lt 30 ] && [ "$now" != "$last" ]; do
		last=$now
		sleep 1
		now=$(wc -l <trace.log)
		i=$((i + 1))
	done

	# the IOMMU's registers and dump-guest-memory through the monitor,
	# then quit, and read until QEMU closes the monitor: closing it first
	# could drop the quit
	GUEST_REGS="${GUEST_REGS:-}" python3 - <<'PY'
import os, re, socket
s = socket.socket(socket.AF_UNIX)
s.settimeout(120)
s.connect("mon.sock")
def until_prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        got = s.recv(65536)
        if not got:
            break
        buf += got
    return buf.decode(errors="replace")
def command(line):
    s.sendall(line.encode() + b"\n")
    return until_prompt()
until_prompt()
regs = os.environ["GUEST_REGS"].split()
if regs:
    mtree = command("info mtree -f").splitlines()
    with open("regs", "w") as out:
        for reg in regs:
            if ":" not in reg:
                region, base = reg, None
                for line in mtree:
                    m = re.match(r"\s*([0-9a-f]+)-[0-9a-f]+ \(.*\): %s$" % re.escape(region), line)
                    if m:
                        base = int(m.group(1), 16)
                continue
            if base is None:
                continue
            off, size = (int(x, 0) for x in reg.split(":"))
            reply = command("xp /1%sx 0x%x" % ("g" if size == 8 else "w", base + off))
            m = re.search(r"^[0-9a-f]+: (0x[0-9a-f]+)", reply, re.M)
            if m:
                out.write("0x%x %s %s\n" % (off, m.group(1), region))
s.sendall(b"dump-guest-memory guest.elf\n")
until_prompt()
s.sendall(b"quit\n")
try:
    while s.recv(65536):
        pass
except OSError:
    pass
PY
	i=0
	while [ $i -lt 30 ] && kill -0 $qemu 2>/dev/null; do
		sleep 1
		i=$((i + 1))
	done
	kill $qemu 2>/dev/null && not_ok "QEMU quit when asked" || ok "QEMU quit when asked"
	wait $qemu
	if [ -s guest.elf ]; then ok "QEMU dumped the guest's memory"; else
		not_ok "QEMU dumped the guest" "$(tail -c 300 qemu.log)"; fi
	if [ -n "${GUEST_REGS:-}" ]; then
		if [ "$(wc -l <regs 2>/dev/null)" = "$(echo "$GUEST_REGS" | tr ' ' '\n' | grep -c :)" ]; then
			ok "the IOMMU's registers read through the monitor: $(cut -d' ' -f1,2 regs | tr '\n' ' ')"
		else
			not_ok "the IOMMU's registers read through the monitor" "$(cat regs 2>&1)"
		fi
	fi
}

# guest_reg OFFSET [REGION]: the value read at OFFSET (of REGION, else of
# the first region) (GUEST_REGS), as 0x%x
guest_reg() {
	printf '0x%x' "$(awk -v o="$1" -v r="${2:-}" '$1 == o && (r == "" || $3 == r) { print $2; exit }' regs)"
}

guest_steady() {
	python3 - "$1" <<'PY'
import collections, re, sys
pattern = re.compile(sys.argv[1])
seen = collections.defaultdict(list)
for line in open("trace.log"):
    m = pattern.search(line)
    if m:
        seen[int(m.group(1), 16) & ~0xfff].append(int(m.group(2), 16) & ~0xfff)
for iova, pages in sorted(seen.items()):
    if len(pages) >= 10 and len(set(pages)) == 1:
        print("0x%x 0x%x" % (iova, pages[0]))
PY
}

# guest_translates FILE WHAT ARGS...: pgtctl translate ARGS of each IOVA of
# FILE's lines "IOVA PA" (QEMU's witness) gives PA's page; test WHAT
guest_translates() {
	g_want=$1 g_what=$2
	shift 2
	g_n=$(wc -l <"$g_want")
	cut -d' ' -f1 "$g_want" | "$PGTCTL" translate "$@" - >translated 2>err
	python3 - "$g_want" <<'PY' >verdict
import sys
want = [l.split() for l in open(sys.argv[1])]
got = [l.split() for l in open("translated")]
bad = [(w, g) for w, g in zip(want, got)
       if len(g) < 3 or not g[2].startswith("0x") or int(g[2], 16) & ~0xfff != int(w[1], 16)]
print("%d of %d agree" % (len(want) - len(bad), len(want)) if len(want) == len(got) else "lines differ")
for w, g in bad[:5]:
    print(" ".join(w), "|", " ".join(g))
PY
	if [ "$(head -n 1 verdict)" = "$g_n of $g_n agree" ]; then
		ok "$g_what"
	else
		not_ok "$g_what" "$(tr '\n' '|' <verdict)" "$(cat err)"
	fi
}

guest_agree() {
	guest_steady "$1" >stable
	shift
	n=$(wc -l <stable)
	[ "$n" -ge 2 ] && ok "QEMU saw the NIC use $n pages (its rings) steadily" ||
		not_ok "QEMU saw steady pages" "$n: $(tr '\n' ' ' <stable)" "$(wc -l <trace.log) trace lines"
	guest_translates stable "pgtctl translates each of them to the page QEMU's IOMMU used" "$@"
}

guest_iommu() {
	g_dev=$1 g_root=$2 g_format=$3 g_maps=$4 g_pattern=$5 g_struct=$6
	shift 6
	run pgtctl devices "$@" --json
	expect_status 0 "devices: the structures the register names decode without a problem"
	g_iommu=$(python3 -c 'import json; print(json.load(open("out"))["iommu"])' 2>/dev/null)
	expect_py "[(d['mode'], d['format'], d['roots'], d['mappings']) for d in j['devices'] if d['id'] == '$g_dev'] == [('translated', '$g_format', ['$g_root'], $g_maps)]" \
		"devices: the NIC ($g_dev) is translated by its $g_format table at $g_root, with its $g_maps mappings"
	guest_agree "$g_pattern" "$@" --device "$g_dev"
	run pgtctl scan --dump guest.elf --iommu "$g_iommu" --json
	expect_py "j['candidates'][0]['root'] == '$g_struct'" \
		"scan --iommu: the structure at $g_struct ranks first, unaided"
	g_implied=$(python3 -c 'import json; print(json.load(open("out"))["candidates"][0]["register"])' 2>/dev/null)
	run pgtctl devices --dump guest.elf --iommu "$g_iommu" --iommu-reg "$g_implied" --json
	expect_py "[d['roots'] for d in j['devices'] if d['id'] == '$g_dev'] == [['$g_root']]" \
		"and the register it implies ($g_implied) gives the NIC its table"
	g_ring=$(head -n 1 stable | cut -d' ' -f2)
	run pgtctl whereis "$@" --json "$g_ring"
	expect_py "[m['device'] for m in j['mappings']] == ['$g_dev']" \
		"whereis $g_ring: the NIC, and only the NIC, maps its ring page"
}
