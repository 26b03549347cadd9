#!/bin/sh
# SPDX-License-Identifier: MIT
# Every kind of bad spec: a clear error naming file:line:column, exit 2 for
# what cannot be read and 1 for what the kernel refuses, and no output file.
. "$(dirname "$0")/lib.sh"

# bad_spec NAME STATUS MESSAGE YAML: the spec is refused with that message
bad_spec() {
	printf '%s\n' "$4" >"$1.yaml"
	run pgtctl build "$1.yaml" -o "$1.img"
	expect_status "$2" "$1: exit $2"
	expect_err_has "$3" "$1: $3"
	expect_no_file "$1.img" "$1: no image written"
}

bad_spec syntax 2 "syntax.yaml:3:23: did not find expected ',' or '}' while parsing a flow mapping" 'format: arm-64-lpae-s1
mappings:
- { iova: 0x1000 paddr: 0x1000 }'
bad_spec unknown-key 2 "unknown-key.yaml:2:1: unknown key 'mapping' in the spec (valid: format, config, memory, mappings, unmap)" 'format: arm-64-lpae-s1
mapping: []'
bad_spec unknown-config 2 "unknown-config.yaml:3:3: unknown key 'iass' in config (valid: ias, oas, pgsize, pgsize_bitmap, quirks, coherent_walk, cpu_page_size, mode)" 'format: arm-64-lpae-s1
config:
  iass: 40'
bad_spec unknown-format 2 "unknown-format.yaml:1:9: unknown format 'arm-65-lpae' (valid: arm-32-lpae-s1, arm-32-lpae-s2, arm-64-lpae-s1, arm-64-lpae-s2, arm-v7s, arm-mali-lpae, amd-iommu-v1, apple-dart, apple-dart2)" \
	'format: arm-65-lpae'
bad_spec no-format 2 "no-format.yaml:1:1: the spec has no 'format'" 'mappings: []'
bad_spec bad-number 2 "bad-number.yaml:3:13: iova: '0x12q' is not a number" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x12q, paddr: 0x1000, size: 4K }'
bad_spec bad-prot 2 "bad-prot.yaml:3:52: prot: 'rq' is not a prot (letters r w c x m p, or words read, write, cache, noexec, mmio, priv)" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000, size: 4K, prot: rq }'
bad_spec bad-quirk 2 "bad-quirk.yaml:3:11: quirks: unknown quirk 'arm-nss'" 'format: arm-64-lpae-s1
config:
  quirks: [arm-nss]'
bad_spec bad-bool 2 "bad-bool.yaml:3:18: coherent_walk: 'maybe' is not true or false" 'format: arm-64-lpae-s1
config:
  coherent_walk: maybe'
bad_spec missing-size 2 "missing-size.yaml:3:5: a mapping needs iova, paddr and size" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000 }'
bad_spec duplicate 2 "duplicate.yaml:3:33: key 'iova' given twice in a mapping" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1, iova: 0x2000, size: 4K }'
bad_spec not-a-list 2 "not-a-list.yaml:2:11: mappings must be a list, not a mapping" 'format: arm-64-lpae-s1
mappings: { iova: 1 }'
bad_spec scalar-config 2 "scalar-config.yaml:2:9: config must be a mapping of keys, not a value" 'format: arm-64-lpae-s1
config: 48'
bad_spec zero-size 2 "zero-size.yaml:3:42: size must not be zero" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000, size: 0 }'
bad_spec empty 2 "empty.yaml:1:1: the spec is empty" ''

# what parses but the kernel refuses: exit 1
bad_spec refused-config 1 "refused-config.yaml:3:3: configuration refused: arm-32-lpae-s1 needs ias <= 32 and oas <= 40 (got ias 40, oas 40)" \
	'format: arm-32-lpae-s1
config:
  ias: 40'
bad_spec conflict 1 "conflict.yaml:4:5: mapping 0x1000+0x1000: 0x1000-0x1fff is already mapped (EEXIST)" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x0, paddr: 0x0, size: 8K }
  - { iova: 0x1000, paddr: 0x5000, size: 4K }'
bad_spec unaligned 1 "unaligned.yaml:3:5: mapping 0x1800+0x1000: unaligned: iova 0x1800, pa 0x1000 and size 0x1000 must be multiples of 4K" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1800, paddr: 0x1000, size: 4K }'
bad_spec partial-unmap 1 "partial-unmap.yaml:5:5: unmap 0x201000+0x1000: iova 0x201000 is inside a 2M block at level 2" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x200000, paddr: 0x200000, size: 2M }
unmap:
  - { iova: 0x201000, size: 4K }'
bad_spec beyond-ias 1 "beyond-ias.yaml:3:5: mapping 0x1000000000000+0x1000: iova 0x1000000000000+0x1000 is outside the 48-bit input address space (ERANGE)" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000000000000, paddr: 0x1000, size: 4K }'
bad_spec too-big 1 "table memory would exceed its limit of 0x100000 bytes" 'format: arm-64-lpae-s1
memory: { limit: 1M }
mappings:
  - { iova: 0x0, paddr: 0x0, size: 1G, pgsize: 4K }'
# table memory where a table descriptor cannot point (bits 47:12 of 4K LPAE)
bad_spec table-beyond-reach 1 "table-beyond-reach.yaml:4:5: mapping 0x0+0x1000: a level 1 table at 0x1000000001000 is beyond what a level 0 descriptor can point at; place table memory lower" \
	'format: arm-64-lpae-s1
memory: { base: 0x1000000000000 }
mappings:
  - { iova: 0x0, paddr: 0x0, size: 4K }'
bad_spec root-beyond-reach 1 "root-beyond-reach.yaml:5:5: mapping 0x10000000+0x1000: the root at 0x10000000000000 is beyond what a table entry can point at, so the table cannot grow" \
	'format: amd-iommu-v1
config: { mode: 1 }
memory: { base: 0x10000000000000 }
mappings:
  - { iova: 0x10000000, paddr: 0x1000, size: 4K }'

run pgtctl build no-such.yaml -o x.img
expect_status 2 "a missing spec"
expect_err_has "no-such.yaml: No such file or directory" "says so"

run pgtctl --json build conflict.yaml -o x.img
expect_status 1 "--json: still exit 1"
expect_json "--json: the error is JSON"
expect_py '"already mapped" in j["error"]' "with the message"

# an existing target survives a failed build
printf 'precious' >keep.img
run pgtctl build conflict.yaml -o keep.img
expect_status 1 "build onto an existing file fails"
if [ "$(cat keep.img)" = precious ]; then ok "the old file is untouched"; else not_ok "old file untouched"; fi
done_testing
