#!/bin/sh
# SPDX-License-Identifier: MIT
# An IMAGE depends only on the table's contents: a spec mapped in IOVA
# order (whose table memory is already in canonical layout and is written
# as it is), the same mappings in another order, and the same with tables
# made and freed on the way (both copied to canonical layout) give the
# same bytes, as an IMAGE and raw.
. "$(dirname "$0")/lib.sh"

# spec FORMAT CONFIG MAPPINGS [UNMAPS]
spec() {
	printf 'format: %s\nconfig: %s\nmemory: { base: 0x80000000 }\nmappings:\n%s\n' "$1" "$2" "$3"
	[ -z "$4" ] || printf 'unmap:\n%s\n' "$4"
}

# same NAME FORMAT CONFIG IN_ORDER SHUFFLED [EXTRA_MAPS EXTRA_UNMAPS]
same() {
	spec "$2" "$3" "$4" >in-order.yaml
	spec "$2" "$3" "$5" >shuffled.yaml
	specs="in-order shuffled"
	if [ -n "$6" ]; then
		spec "$2" "$3" "$6
$4" "$7" >churn.yaml
		specs="$specs churn"
	fi
	why=
	for f in $specs; do
		pgtctl build $f.yaml -o $f.img >/dev/null 2>err && pgtctl build $f.yaml --raw -o $f.raw >/dev/null 2>>err ||
			why="$why|build of $f failed: $(cat err)"
		[ $f = in-order ] || { cmp -s in-order.img $f.img && cmp -s in-order.raw $f.raw; } ||
			why="$why|$f differs: $(cmp in-order.img $f.img)"
	done
	if [ -z "$why" ]; then ok "$1: the same IMAGE whatever the order its tables were made in"; else
		not_ok "$1: the same IMAGE whatever the order its tables were made in" "$why"; fi
}

A='  - { iova: 0x200000, paddr: 0x10000000, size: 64K, pgsize: 4K, prot: rw }'
B='  - { iova: 0x40000000, paddr: 0x20000000, size: 2M, prot: rw }'
C='  - { iova: 0x80600000, paddr: 0x30000000, size: 16K, pgsize: 4K, prot: r }'
same arm-64-lpae-s1 arm-64-lpae-s1 "{ ias: 48, oas: 48, pgsize: [4K, 2M, 1G] }" "$A
$B
$C" "$C
$A
$B" "  - { iova: 0x7fe00000, paddr: 0x50000000, size: 2M, pgsize: 4K, prot: rw }" \
	"  - { iova: 0x7fe00000, size: 2M }"

V1='  - { iova: 0x100000, paddr: 0x10000000, size: 16K, pgsize: 4K, prot: rw }'
V2='  - { iova: 0x1000000, paddr: 0x20000000, size: 1M, prot: rw }'
V3='  - { iova: 0x8000000, paddr: 0x30000000, size: 64K, pgsize: 4K, prot: r }'
same arm-v7s arm-v7s "{ ias: 32, oas: 32 }" "$V1
$V2
$V3" "$V3
$V1
$V2" "  - { iova: 0x300000, paddr: 0x50000000, size: 8K, pgsize: 4K, prot: rw }" \
	"  - { iova: 0x300000, size: 1M, split: true }"

M1='  - { iova: 0x1000, paddr: 0x10000000, size: 8K, pgsize: 4K, prot: rw }'
M2='  - { iova: 0x40000000, paddr: 0x20000000, size: 2M, prot: rw }'
M3='  - { iova: 0x8000000000, paddr: 0x30000000, size: 4K, prot: r }'
same "amd-iommu-v1, a table that grows" amd-iommu-v1 "{ ias: 52, oas: 52 }" "$M1
$M2
$M3" "$M3
$M1
$M2"
done_testing
