#!/bin/sh
# SPDX-License-Identifier: MIT
# Memory sources: several files making up one memory, ELF32 cores, and
# segments whose file part is shorter than their memory (t0220 and t0222
# have the refusals).
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o t.img >/dev/null
pgtctl emit t.img -o t.raw --raw >/dev/null
SRC="--format arm-64-lpae-s1 --root 0x80000000"
pgtctl translate t.img 0x10201234 0x20003000 0x8000000 >want

# the table memory split in two files, one raw and one ELF
head -c 8192 t.raw >lo.raw
tail -c +8193 t.raw >hi.raw
elftool core hi.elf 0x80002000:hi.raw
run pgtctl translate --raw lo.raw --base 0x80000000 --dump hi.elf $SRC 0x10201234 0x20003000 0x8000000
if cmp -s out want; then ok "a --raw and a --dump together make one memory"; else
	not_ok "two files" "$(head -c 300 err)"; fi

# an ELF32 core (a 32-bit kernel's vmcore)
elftool core32 t32.elf 0x80000000:t.raw
run pgtctl translate --dump t32.elf $SRC 0x10201234 0x20003000 0x8000000
if cmp -s out want; then ok "an ELF32 core reads the same"; else not_ok "ELF32" "$(head -c 300 err)"; fi

# p_filesz < p_memsz: the rest reads as zeros, so the walk finds empty entries
head -c 4096 t.raw >root.raw
elftool core short.elf 0x80000000:root.raw:0x6000
run pgtctl translate -v --dump short.elf $SRC 0x10201234
expect_status 1 "a table in the zero-filled tail is empty"
expect_out_has "level 1 descriptor at 0x80001000 is empty" "the walk stops at the zero entry"
elftool poke short.elf 0x80000008 0x0000000080010003
run pgtctl translate --dump short.elf $SRC 0x8000000000
expect_out_has "level 1 descriptor address 0x80010000 is outside memory" "past memsz: outside memory"

# memory that ends at 2^64 exactly: its last descriptor is inside it
head -c 4096 /dev/zero >top.raw
run pgtctl translate --raw top.raw --base 0xfffffffffffff000 --format arm-64-lpae-s1 \
	--root 0xfffffffffffff000 0xff8000000000
expect_out_has "level 0 descriptor at 0xfffffffffffffff8 is empty" \
	"a raw file at the top of the address space: its last bytes read"
done_testing
