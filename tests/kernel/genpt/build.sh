#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build the generic_pt oracle test: Linux 7.3's generic_pt formats
# (fmt/iommu_amdv1.c, iommu_x86_64.c, iommu_vtdss.c, iommu_riscv64.c) over
# tests/kernel/genpt/shim and the 6.12 oracle's shim under it, and Linux
# 6.12's amd/io_pgtable_v2.c over the 6.12 shim, linked with the test's
# own code and libpgt into BUILD/tests/kernel/t_kernel_genpt.
#
#   tests/kernel/genpt/build.sh [CACHE_DIR [BUILD_DIR]]
#       CACHE_DIR  where tests/kernel/fetch.sh keeps the kernel sources
#                  (default build/kernel): linux-source-6.12 and -7.3
#       BUILD_DIR  the libpgt build directory (default build/opt)
#   Environment: CC, CFLAGS (default -O2 -g), LDFLAGS, NO_FETCH=1, MAKE
#   (the make that builds libpgt.a, default make).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kdir=$(cd "$here/.." && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"

cache=${1:-build/kernel}
build=${2:-build/opt}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
LDFLAGS=${LDFLAGS:-}
k612=$cache/linux-source-6.12
k73=$cache/linux-source-7.3

# MAKE may carry options (make check's stages run `make --no-print-directory`)
# shellcheck disable=SC2086
${MAKE:-make} --no-print-directory BUILD="$build" "$build/libpgt.a" >&2

for v in 6.12 7.3; do
	sh "$kdir/fetch.sh" "$cache" $v
done

out=$build/tests/kernel/genpt
mkdir -p "$out"

warn="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
# 7.3's generic_pt: this directory's shim first (its linux/iommu.h is
# 7.3's), then the 6.12 oracle's; the kernel's own directories are system
# include paths: its code is compiled as it is, its warnings are not ours.
inc73="-I$here/shim -I$kdir/shim"
k73inc="-isystem $k73/drivers/iommu -isystem $k73/include"
inc612="-I$kdir/shim"
k612inc="-isystem $k612/drivers/iommu -isystem $k612/include"

# Warnings inside system headers are never shown, so first check each unit
# with the kernel's directories as ordinary include paths, for what would
# mean a missing or wrong shim.
guard="-Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion
	-Werror=incompatible-pointer-types -Werror=return-type"
units73="gpt_unit_amdv1 gpt_unit_x86_64 gpt_unit_vtdss gpt_unit_riscv64"
for u in $units73; do
	$CC -std=gnu11 -fsyntax-only $guard $inc73 -I"$k73/drivers/iommu" -I"$k73/include" \
		"$here/$u.c"
done
$CC -std=gnu11 -fsyntax-only $guard $inc612 -I"$k612/drivers/iommu" -I"$k612/include" \
	"$here/amdv2_unit.c"

set -x
objs=""
# (gcc sees a maybe-uninitialized table_mem in 7.3's increase_top(), where
# the loop always sets it before the use: the kernel's, not ours)
for u in $units73 gpt_shim; do
	$CC -std=gnu11 $CFLAGS $warn -Wno-maybe-uninitialized $inc73 $k73inc -c -o "$out/$u.o" \
		"$here/$u.c"
	objs="$objs $out/$u.o"
done
$CC -std=gnu11 $CFLAGS $warn $inc612 $k612inc -c -o "$out/amdv2_unit.o" "$here/amdv2_unit.c"
$CC -std=gnu11 $CFLAGS $warn $inc612 -c -o "$out/kshim.o" "$kdir/shim/kshim.c"
objs="$objs $out/amdv2_unit.o $out/kshim.o"
for u in gpt_oracle; do
	$CC -std=gnu11 $CFLAGS $warn -I"$kdir/shim" -c -o "$out/$u.o" "$here/$u.c"
	objs="$objs $out/$u.o"
done
# the test's own code, and the TAP helpers the io-pgtable oracle tests share
for src in "$here"/gpt_kunit.c "$here"/gpt_configs.c "$here"/gpt_pair.c "$here"/gpt_v2pair.c \
	"$here"/t_kernel_genpt.c \
	"$kdir"/kt_tap.c "$kdir"/kt_kview.c; do
	u=$(basename "$src" .c)
	$CC -std=c11 -D_GNU_SOURCE $CFLAGS $warn -Iinclude -Isrc -I"$kdir" -I"$here" -c \
		-o "$out/$u.o" "$src"
	objs="$objs $out/$u.o"
done
$CC $LDFLAGS -o "$build/tests/kernel/t_kernel_genpt" $objs "$build/libpgt.a" \
	-lyaml -lelf -lreadline -lz -llzo2 -lsnappy -lzstd
