#!/bin/sh
# SPDX-License-Identifier: MIT
# check lists every problem of a table; scan finds a table's root in memory
# it is hidden in; big-endian dumps read as big-endian.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o good.img >/dev/null
# tables: L0 0x80000000, L1 0x80001000, L2 0x80002000, L3 0x80003000..

run pgtctl check good.img
expect_status 0 "a good table: exit 0"
expect_out "6 tables, 23 leaves, 0 problems" "counts tables and leaves"

cp good.img bad.img
elftool poke bad.img 0x80000008 0x0000007000000003   # L0[1]: table outside memory
elftool poke bad.img 0x80001010 0x0000000080001003   # L1[2]: loop to itself
elftool poke bad.img 0x80001018 0x00000000c0001001   # L1[3]: 1G block, misaligned PA
elftool poke bad.img 0x80001020 0x0000000000000002   # L1[4]: reserved type
run pgtctl check bad.img
expect_status 1 "problems: exit 1"
expect_out_has "outside-memory L0 iova 0x8000000000 desc @0x80000008 = 0x0000007000000003: level 1 table at 0x7000000000 is outside memory" \
	"a table outside memory"
expect_out_has "loop           L1 iova 0x80000000 desc @0x80001010 = 0x0000000080001003: points back up the walk to the table at 0x80001000" \
	"a loop"
expect_out_has "output address is not aligned to the block size" "a misaligned block"
expect_out_has "reserved descriptor type 0b10" "a reserved type"
expect_out_has "4 problems" "four in all"
run pgtctl check --json bad.img
expect_py 'len(j["problems"]) == 4 and j["problem_count"] == 4 and j["problems"][3]["kind"] == "outside-memory"' \
	"check --json"

# scan: the table hidden between noise, at an unknown address
pgtctl emit good.img -o table.bin --raw >/dev/null
head -c 4194304 /dev/urandom >noise
cat noise table.bin noise >mem.bin
run pgtctl scan --raw mem.bin --base 0x7fc00000 --format arm-64-lpae-s1
expect_status 0 "scan finds something"
if [ "$(sed -n 2p out | cut -d' ' -f1)" = 0x80000000 ]; then ok "the real root ranks first"; else
	not_ok "the real root ranks first" "$(head -3 out | tr '\n' '|')"; fi
run pgtctl scan --json --raw mem.bin --base 0x7fc00000 --format arm-64-lpae-s1 --top 1
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["pages"] == 23 and j["candidates"][0]["span"] == ["0x8000000", "0x7fffffff"]' \
	"scan --json: root, pages and IOVA span"
run pgtctl scan --raw noise --base 0x0 --format arm-64-lpae-s1
expect_status 1 "noise alone: no candidates, exit 1"
run pgtctl scan --raw mem.bin --base 0 --format arm-64-lpae-s1 --root 0x0
expect_status 2 "scan takes no --root"

# a CPU page table read as AMD v1: 512 valid 1G "leaves" whose permission
# bits are the CPU's (IR, IW clear), as an x86 direct map reads; a real AMD
# table of three pages beside it must still rank first
cat >amdreal.yaml <<'Y'
format: amd-iommu-v1
config: { mode: 3 }
memory: { base: 0x100000 }
mappings:
  - { iova: 0xfffff000, paddr: 0x5000000, size: 4K, prot: rw }
  - { iova: 0xffffe000, paddr: 0x5001000, size: 4K, prot: rw }
  - { iova: 0xffe00000, paddr: 0x5100000, size: 12K, prot: w }
Y
pgtctl build amdreal.yaml -o amdreal.img >/dev/null
pgtctl emit amdreal.img -o amdreal.raw --raw >/dev/null
python3 -c '
import struct
# PR, next level 0, the CPU bits of a direct-map 1G page (PS, A, D, RW)
cpu = b"".join(struct.pack("<Q", (i << 30) | 0xe3) for i in range(512))
open("cpu.raw", "wb").write(cpu)
'
cat amdreal.raw cpu.raw >amdmem.bin
run pgtctl scan --json --raw amdmem.bin --base 0x100000 --format amd-iommu-v1 --mode 3
expect_py 'j["candidates"][0]["root"] == "0x100000" and j["candidates"][0]["pages"] == 5' \
	"scan: a table of real mappings ranks above 512 leaves that grant no access"
expect_py 'all(c["score"] < 0 for c in j["candidates"] if c["root"] != "0x100000")' \
	"scan: leaves without read or write count against a candidate"

# an arm64 CPU page table is LPAE too: a copy of the table placed after it,
# its own tables linked, its leaves carrying a software bit (55) as the
# CPU's do; the table whose leaves are what map_pages writes ranks first
pgtctl dump --leaves --json good.img >leaves.json
python3 - <<'PY'
import json, struct
t = bytearray(open("table.bin", "rb").read())
base, size = 0x80000000, len(t)
leaves = {int(m["desc_pa"], 16) - base for m in json.load(open("leaves.json"))["mappings"]}
for i in range(0, size, 8):
    v = struct.unpack_from("<Q", t, i)[0]
    if i in leaves:
        v |= 1 << 55
    elif v & 3 == 3:
        v += size  # a table pointer: to the copy's table
    struct.pack_into("<Q", t, i, v)
open("cpu.bin", "wb").write(bytes(t))
PY
cat table.bin cpu.bin >lpaemem.bin
run pgtctl scan --json --raw lpaemem.bin --base 0x80000000 --format arm-64-lpae-s1
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][1]["root"] == "0x%x" % (0x80000000 + len(open("table.bin", "rb").read())) and j["candidates"][1]["score"] == j["candidates"][0]["score"] - 3 * 23' \
	"scan: each leaf with bits the format does not write costs its candidate"

# a big-endian dump: the ELF header says so, the descriptors follow
python3 - good.img be.img <<'PY'
import struct, sys
src = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", src, 32)
load = [struct.unpack_from("<IIQQQQQQ", src, phoff + 56 * i) for i in range(2)][1]
off, pa, size = load[2], load[4], load[5]
mem = bytearray(src[off:off + size])
for i in range(0, size, 8):   # every 64-bit descriptor byte-swapped
    mem[i:i + 8] = mem[i:i + 8][::-1]
hdr = b"\x7fELF" + bytes([2, 2, 1, 0]) + bytes(8)
hdr += struct.pack(">HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, 1, 64, 0, 0)
hdr += struct.pack(">IIQQQQQQ", 1, 6, 4096, pa, pa, size, size, 4096)
open(sys.argv[2], "wb").write(hdr + bytes(4096 - len(hdr)) + bytes(mem))
PY
run pgtctl translate --dump be.img --format arm-64-lpae-s1 --root 0x80000000 0x10201234
expect_out_has "0x10201234 -> 0x881201234  2M  L2" "a big-endian ELF core's table reads big-endian"
run pgtctl translate --dump be.img --format arm-64-lpae-s1 --root 0x80000000 --endian little 0x10201234
expect_status 1 "--endian little overrides it (and the walk fails)"
done_testing
