#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl(1) DIAGNOSTICS of specs, configurations and edits: every kind of
# bad spec is refused naming file:line:column, exit 2 for what cannot be
# read and 1 for what the kernel refuses, and no output file is written;
# map and unmap refusals leave the IMAGE as it was.
. "$(dirname "$0")/lib.sh"

# diag_spec KEY NAME TEXT YAML: building YAML fails as message KEY says,
# showing TEXT exactly (the place and the value), and writes nothing
diag_spec() {
	printf '%s\n' "$4" >"$2.yaml"
	diag "$1" pgtctl build "$2.yaml" -o "$2.img"
	expect_err_has "$3" "$2: $3"
	expect_no_file "$2.img" "$2: no image written"
}

# --- what cannot be read: exit 2
diag_spec "YAML-ERROR" syntax "syntax.yaml:3:23: did not find expected ',' or '}' while parsing a flow mapping" 'format: arm-64-lpae-s1
mappings:
- { iova: 0x1000 paddr: 0x1000 }'
diag_spec "the spec is empty" empty "empty.yaml:1:1: the spec is empty" ''
truncate -s 1025M huge.yaml
diag "larger than 1 GiB" pgtctl build huge.yaml
rm -f huge.yaml
diag_spec "the spec has no 'format'" no-format "no-format.yaml:1:1: the spec has no 'format'" 'mappings: []'
diag_spec "(valid: FORMATS)" unknown-format "unknown-format.yaml:1:9: unknown format 'arm-65-lpae' (valid: arm-32-lpae-s1, arm-32-lpae-s2, arm-64-lpae-s1, arm-64-lpae-s2, arm-v7s, arm-mali-lpae, amd-iommu-v1, apple-dart, apple-dart2, amd-iommu-v2, intel-vtd-ss, intel-vtd-fs, riscv-iommu)" \
	'format: arm-65-lpae'
diag_spec "unknown key" unknown-key "unknown-key.yaml:2:1: unknown key 'mapping' in the spec (valid: format, kernel, config, memory, mappings, unmap)" 'format: arm-64-lpae-s1
mapping: []'
diag_spec "unknown key" unknown-config "unknown-config.yaml:3:3: unknown key 'iass' in config (valid: ias, oas, pgsize, pgsize_bitmap, quirks, coherent_walk, cpu_page_size)" 'format: arm-64-lpae-s1
config:
  iass: 40'
diag_spec "unknown key" amd-mode-elsewhere "amd-mode-elsewhere.yaml:3:3: unknown key 'mode' in config (valid: ias, oas, pgsize, pgsize_bitmap, quirks, coherent_walk, cpu_page_size)" 'format: arm-64-lpae-s1
config:
  mode: 4'
diag_spec "unknown key" amd-options "amd-options.yaml:3:3: unknown key 'levels' in config (valid: ias, oas, pgsize, pgsize_bitmap, quirks, coherent_walk, cpu_page_size, mode)" 'format: amd-iommu-v1
config:
  levels: 4'
diag_spec "key 'KEY' given twice" amd-mode-twice "amd-mode-twice.yaml:4:3: key 'mode' given twice in config" 'format: amd-iommu-v1
config:
  mode: 4
  mode: 5'
diag_spec "key 'KEY' given twice" duplicate "duplicate.yaml:3:33: key 'iova' given twice in a mapping" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1, iova: 0x2000, size: 4K }'
diag_spec "must be a single value" list-format "list-format.yaml:1:9: format must be a single value, not a list" 'format: [arm-64-lpae-s1]'
diag_spec "must be a value or a list" map-prot "map-prot.yaml:3:52: prot must be a value or a list, not a mapping" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000, size: 4K, prot: { r: 1 } }'
diag_spec "must be a mapping of keys" scalar-config "scalar-config.yaml:2:9: config must be a mapping of keys, not a value" 'format: arm-64-lpae-s1
config: 48'
diag_spec "WHAT must be a list" not-a-list "not-a-list.yaml:2:11: mappings must be a list, not a mapping" 'format: arm-64-lpae-s1
mappings: { iova: 1 }'
diag_spec "list too long" long-quirks "long-quirks.yaml:2:604: quirks: list too long" "format: arm-64-lpae-s1
config: { quirks: [$(printf 'arm-ns, %.0s' $(seq 1 90))arm-ns] }"
diag_spec "a mapping needs" missing-size "missing-size.yaml:3:5: a mapping needs iova, paddr and size" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000 }'
diag_spec "an unmap entry needs" unmap-no-size "unmap-no-size.yaml:3:5: an unmap entry needs iova and size" 'format: arm-64-lpae-s1
unmap:
  - { iova: 0x1000 }'
diag_spec "must not be zero" zero-size "zero-size.yaml:3:42: size must not be zero" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000, size: 0 }'
diag_spec "must not be zero" zero-limit "zero-limit.yaml:2:18: memory.limit must not be zero" 'format: arm-64-lpae-s1
memory: { limit: 0 }'
diag_spec "give pgsize or pgsize_bitmap" both "both.yaml:2:9: give pgsize or pgsize_bitmap, not both" 'format: arm-64-lpae-s1
config: { pgsize: [4K], pgsize_bitmap: 0x1000 }'
# values, as on the command line
diag_spec "is not a number" bad-number "bad-number.yaml:3:13: iova: '0x12q' is not a number" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x12q, paddr: 0x1000, size: 4K }'
diag_spec "is larger than" big-ias "big-ias.yaml:2:16: ias: 99 is larger than 64" 'format: arm-64-lpae-s1
config: { ias: 99 }'
diag_spec "is not a power of two" odd-page "odd-page.yaml:2:26: cpu_page_size: '3K' is not a power of two" 'format: arm-64-lpae-s1
config: { cpu_page_size: 3K }'
diag_spec "is not a power of two" odd-pgsize "odd-pgsize.yaml:3:49: pgsize: '12K' is not a power of two" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x0, paddr: 0x0, size: 12K, pgsize: 12K }'
diag_spec "is not a prot" bad-prot "bad-prot.yaml:3:52: prot: 'rq' is not a prot (letters r w c x m p, or words read, write, cache, noexec, mmio, priv)" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000, paddr: 0x1000, size: 4K, prot: rq }'
diag_spec "unknown quirk" bad-quirk "bad-quirk.yaml:3:11: quirks: unknown quirk 'arm-nss'" 'format: arm-64-lpae-s1
config:
  quirks: [arm-nss]'
diag_spec "is not true or false" bad-bool "bad-bool.yaml:3:18: coherent_walk: 'maybe' is not true or false" 'format: arm-64-lpae-s1
config:
  coherent_walk: maybe'

# --- configurations the kernel's alloc refuses: exit 1, at config
diag_spec "needs ias <= N" refused-config "refused-config.yaml:3:3: configuration refused: arm-32-lpae-s1 needs ias <= 32 and oas <= 40 (got ias 40, oas 40)" \
	'format: arm-32-lpae-s1
config:
  ias: 40'
diag_spec "needs ias <= N" v7s-mtk "configuration refused: arm-v7s with arm-mtk-ext needs ias <= 34 and oas <= 35 (got ias 35, oas 32)" \
	'format: arm-v7s
config: { quirks: [arm-mtk-ext, no-perms], ias: 35 }'
diag_spec "does not accept quirks" s2-ns "configuration refused: arm-64-lpae-s2 does not accept quirks arm-ns (accepted: none)" \
	'format: arm-64-lpae-s2
config: { quirks: [arm-ns] }'
diag_spec "holds no granule" no-granule "arm-64-lpae-s1: pgsize_bitmap holds no granule" 'format: arm-64-lpae-s1
config: { pgsize: [2M] }'
diag_spec "leaves no index bits" tiny-ias "arm-64-lpae-s1: ias 12 leaves no index bits above the 4K granule" 'format: arm-64-lpae-s1
config: { ias: 12 }'
diag_spec "arm-outer-wbwa is only" wbwa "arm-64-lpae-s1: quirk arm-outer-wbwa is only for a non-coherent walk" 'format: arm-64-lpae-s1
config: { quirks: [arm-outer-wbwa] }'
diag_spec "the TCR can encode" odd-oas "arm-64-lpae-s1: oas 34 (after clamping)" 'format: arm-64-lpae-s1
config: { oas: 34 }'
diag_spec "arm-v7s: quirk" mtk-alone "arm-v7s: quirk arm-mtk-ext needs no-perms too" 'format: arm-v7s
config: { quirks: [arm-mtk-ext] }'
diag_spec "below the 20 bits" v7s-16 "arm-v7s: ias 16 is below the 20 bits of one section" 'format: arm-v7s
config: { ias: 16 }'
diag_spec "needs a coherent walk" dart-nc "apple-dart needs a coherent walk" 'format: apple-dart
config: { coherent_walk: false }'
diag_spec "needs oas 36 or 42" dart-oas "apple-dart needs oas 36 or 42 (got 40)" 'format: apple-dart
config: { oas: 40 }'
diag_spec "needs ias <= oas" dart-ias "apple-dart needs ias <= oas (got ias 38, oas 36)" 'format: apple-dart
config: { ias: 38, oas: 36 }'
diag_spec "exactly 4K or exactly 16K" dart-two "apple-dart needs pgsize_bitmap exactly 4K or exactly 16K (got 0x5000)" 'format: apple-dart
config: { pgsize: [4K, 16K] }'
diag_spec "TTBRs with" dart-ttbrs "apple-dart: ias 38 needs 256 TTBRs with 4K pages; the kernel allows 4" 'format: apple-dart
config: { pgsize: [4K], ias: 38, oas: 42 }'
diag_spec "AMD_IOMMU_PGSIZES" amd-2m "amd-iommu-v1: pgsize_bitmap must include 4K" 'format: amd-iommu-v1
config: { pgsize_bitmap: 2M }'
diag_spec "does not fit the format's table addresses" v7s-high "configuration refused: a level 1 table at 0x100000000 does not fit" 'format: arm-v7s
memory: { base: 0x100000000 }'

# --- maps and unmaps the kernel refuses: exit 1, at the entry
diag_spec "the table has no page sizes" v7s-8k "v7s-8k.yaml:4:5: mapping 0x0+0x2000: the table has no page sizes" 'format: arm-v7s
config: { pgsize_bitmap: 0x2000 }
mappings:
  - { iova: 0x0, paddr: 0x0, size: 8K }'
diag_spec "unaligned:" unaligned "unaligned.yaml:3:5: mapping 0x1800+0x1000: unaligned: iova 0x1800, pa 0x1000 and size 0x1000 must be multiples of 4K" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1800, paddr: 0x1000, size: 4K }'
diag_spec "more than the table memory limit" too-big "too-big.yaml:4:5: mapping 0x0+0x40000000: in 4K pages this needs at least 512 tables, more than the table memory limit of 0x100000 bytes holds" 'format: arm-64-lpae-s1
memory: { limit: 1M }
mappings:
  - { iova: 0x0, paddr: 0x0, size: 1G, pgsize: 4K }'
# refused at once, not after allocating 8 GiB of tables: 2^47 bytes of 4K pages
diag_spec "more than the table memory limit" huge "huge.yaml:3:5: mapping 0x0+0x800000000000: in 4K pages this needs at least 67108864 tables, more than the table memory limit of 0x10000000 bytes holds" 'format: arm-64-lpae-s1
mappings:
  - { iova: 0x0, paddr: 0x0, size: 0x800000000000, pgsize: 4K }'
# many small mappings, each in a table of its own, fill the limit one by one
diag_spec "would exceed its limit" many-tables "many-tables.yaml:5:5: mapping 0x200000+0x1000: table memory would exceed its limit of 0x4000 bytes" 'format: arm-64-lpae-s1
memory: { limit: 16K }
mappings:
  - { iova: 0x0, paddr: 0x0, size: 4K }
  - { iova: 0x200000, paddr: 0x0, size: 4K }
  - { iova: 0x400000, paddr: 0x0, size: 4K }'
diag_spec "--replace applies" conflict "conflict.yaml:4:5: mapping 0x1000+0x1000: 0x1000-0x1fff is already mapped (EEXIST)" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x0, paddr: 0x0, size: 8K }
  - { iova: 0x1000, paddr: 0x5000, size: 4K }'
diag_spec "iova IOVA is outside the" beyond-ias "beyond-ias.yaml:3:5: mapping 0x1000000000000+0x1000: iova 0x1000000000000+0x1000 is outside the 48-bit input address space (ERANGE)" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x1000000000000, paddr: 0x1000, size: 4K }'
diag_spec "apple-dart2 cannot hold" dart2-4k "apple-dart2 cannot hold PA bits 13:12 of a 4K page (pa 0x1000): the kernel would map pa 0x0 instead" 'format: apple-dart2
config: { pgsize: [4K] }
mappings:
  - { iova: 0x0, paddr: 0x1000, size: 4K }'
diag_spec "is inside a SIZE KIND" partial-unmap "partial-unmap.yaml:5:5: unmap 0x201000+0x1000: iova 0x201000 is inside a 2M block at level 2" \
	'format: arm-64-lpae-s1
mappings:
  - { iova: 0x200000, paddr: 0x200000, size: 2M }
unmap:
  - { iova: 0x201000, size: 4K }'
diag_spec "is inside a SIZE KIND" v7s-large "iova 0x11000 is inside a 64K page at level 2 (0x10000-0x1ffff -> pa 0x10000); unmapping part of it is refused" \
	'format: arm-v7s
mappings:
  - { iova: 0x10000, paddr: 0x10000, size: 64K }
unmap:
  - { iova: 0x11000, size: 4K }'
diag_spec "would unmap all of it" amd-large "iova 0x11000 is inside a 64K page at level 0 (0x10000-0x1ffff -> pa 0x10000)" \
	'format: amd-iommu-v1
mappings:
  - { iova: 0x10000, paddr: 0x10000, size: 64K }
unmap:
  - { iova: 0x11000, size: 4K }'
diag_spec "would count it as unmapped" amd-slot "iova 0x1000 is not mapped (level 0 descriptor at 0x2008 is empty)" \
	'format: amd-iommu-v1
mappings:
  - { iova: 0x0, paddr: 0x0, size: 4K }
unmap:
  - { iova: 0x1000, size: 4K }'

# map and unmap of an IMAGE: refused, and the file is left as it was
pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null
before=$(sum a.img)
diag "size is zero" pgtctl map a.img 0x90000000 0x0 0
diag "size is zero" pgtctl unmap a.img 0x90000000 0
diag "plus size SIZE wraps" pgtctl map a.img 0xfffffffffffff000 0x0 8K
diag "plus size SIZE wraps" pgtctl unmap a.img 0xfffffffffffff000 8K
diag "is not one of pgsize_bitmap" pgtctl map a.img 0x90000000 0x0 16K --pgsize 16K
diag "unaligned:" pgtctl unmap a.img 0x90000800 4K
diag "a SIZE KIND at level N maps" pgtctl map a.img 0x10201000 0x0 4K --replace
diag "iova IOVA is outside the" pgtctl unmap a.img 0x1000000000000 4K
diag "output address space" pgtctl map a.img 0x90000000 0x1000000000000 4K
diag "must include read or write" pgtctl map a.img 0x90000000 0x0 4K --prot c
diag "iova IOVA is not mapped" pgtctl unmap a.img 0x90000000 4K
expect_err_has "unmap: iova 0x90000000 is not mapped" "names the edit and the IOVA"
expect_unchanged a.img "$before" "the refused edits leave the IMAGE as it was"

run pgtctl --json build conflict.yaml -o x.img
expect_status 1 "--json: still exit 1"
expect_json "--json: the error is JSON"
expect_py '"already mapped" in j["error"]' "with the message"

# an existing target survives a failed build
printf 'precious' >keep.img
run pgtctl build conflict.yaml -o keep.img
expect_status 1 "build onto an existing file fails"
if [ "$(cat keep.img)" = precious ]; then ok "the old file is untouched"; else not_ok "old file untouched"; fi
# a spec the kernel refuses fails alike where it is a SOURCE
diag "--replace applies" pgtctl translate conflict.yaml 0x0
# table memory where a table descriptor cannot point (bits 47:12 of 4K LPAE)
diag_spec "beyond what a level" table-beyond-reach "table-beyond-reach.yaml:4:5: mapping 0x0+0x1000: a level 1 table at 0x1000000001000 is beyond what a level 0 descriptor can point at; place table memory lower" \
	'format: arm-64-lpae-s1
memory: { base: 0x1000000000000 }
mappings:
  - { iova: 0x0, paddr: 0x0, size: 4K }'
diag_spec "so the table cannot grow" root-beyond-reach "root-beyond-reach.yaml:5:5: mapping 0x10000000+0x1000: the root at 0x10000000000000 is beyond what a table entry can point at, so the table cannot grow" \
	'format: amd-iommu-v1
config: { mode: 1 }
memory: { base: 0x10000000000000 }
mappings:
  - { iova: 0x10000000, paddr: 0x1000, size: 4K }'
done_testing
