#!/bin/sh
# SPDX-License-Identifier: MIT
# Dumps from a real producer: QEMU places a table image in an aarch64
# guest's RAM with the loader device, dump-guest-memory writes it out as an
# ELF core and as a flattened zlib kdump (-z), makedumpfile -R turns the
# latter into a plain kdump, and pgtctl must read the table inside each
# exactly as the image it placed: the same translations, the same leaves,
# no problem found, and scan finds the root.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-aarch64 >/dev/null || { not_ok "qemu-system-aarch64 is installed (make check-deps)"; done_testing; exit 1; }

sed 's/base: 0x80000000/base: 0x48000000/' "$SAMPLES/smmuv3-s1-4k.yaml" >s1.yaml
pgtctl build s1.yaml -o table.img >/dev/null
pgtctl emit table.img -o table.raw --raw >/dev/null

# qemu_dump MONITOR-COMMAND: run a stopped guest with the table at 0x48000000
qemu_dump() {
	printf '%s\nquit\n' "$1" | timeout 120 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 256M \
		-S -display none -monitor stdio -nodefaults \
		-device loader,file=table.raw,addr=0x48000000,force-raw=on >qemu.log 2>&1
}

qemu_dump "dump-guest-memory guest.elf"
if [ -s guest.elf ]; then ok "QEMU wrote an ELF dump"; else not_ok "QEMU wrote an ELF dump" "$(tail -c 300 qemu.log)"; fi
qemu_dump "dump-guest-memory -z guest.flat"
if [ -s guest.flat ]; then ok "QEMU wrote a flattened kdump"; else not_ok "QEMU wrote a flattened kdump" "$(tail -c 300 qemu.log)"; fi
makedumpfile -R guest.kdump <guest.flat >/dev/null 2>&1
if head -c 8 guest.kdump | grep -q '^KDUMP   $'; then ok "makedumpfile -R reassembled it"; else not_ok "makedumpfile -R reassembled it"; fi

SRC="--format arm-64-lpae-s1 --root 0x48000000"
IOVAS="0x8000000 0x10000000 0x1000f123 0x10201234 0x20003000 0x40000000 0x7fffffff 0x7f0000000"
pgtctl translate table.img $IOVAS >want.translate
pgtctl dump --leaves table.img >want.leaves
for d in guest.elf guest.flat guest.kdump; do
	run pgtctl translate --dump $d $SRC $IOVAS
	if cmp -s out want.translate; then ok "$d: every IOVA translates as in the image"; else
		not_ok "$d translations" "$(cat err; diff want.translate out | head -5 | tr '\n' '|')"; fi
	run pgtctl dump --leaves --dump $d $SRC
	if cmp -s out want.leaves; then ok "$d: the same leaves"; else not_ok "$d leaves"; fi
	run pgtctl check --dump $d $SRC
	expect_status 0 "$d: check finds no problem"
	run pgtctl scan --dump $d --format arm-64-lpae-s1 --top 3 --json
	expect_py 'j["candidates"][0]["root"] == "0x48000000" and j["candidates"][0]["pages"] == 23' \
		"$d: scan finds the root first, with its 23 pages"
done
run pgtctl info --dump guest.elf $SRC --json
expect_py 'j["registers"]["ttbr"] == "0x48000000"' "info of the table in the guest"
done_testing
