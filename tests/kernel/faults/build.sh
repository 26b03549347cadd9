#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build the fault oracle test: the kernel's own fault reporting, compiled
# as it is, against libpgt's fault decoding. From each version's sources
# (Linux 6.12 and 7.3) the parts that read and print a fault are cut into
# BUILD/tests/kernel/faults (nothing of them is kept in this repository):
# intel/dmar.c from enum faulttype to the end of dmar_get_fault_reason()
# (the three tables of fault reasons), and from dmar_fault_do_one() to the
# end of dmar_fault(); intel/iommu.h's FRCD, FSTS and capability macros;
# and for 7.3 riscv/iommu.c's riscv_iommu_fault() with riscv/iommu-bits.h
# whole. They are compiled over kf_shim.h and linked with t_kernel_faults.c
# and libpgt into BUILD/tests/kernel/t_kernel_faults.
#
#   tests/kernel/faults/build.sh [CACHE_DIR [BUILD_DIR]]
#       CACHE_DIR  where tests/kernel/fetch.sh keeps the kernel sources
#                  (default build/kernel)
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

# MAKE may carry options (make check's stages run `make --no-print-directory`)
# shellcheck disable=SC2086
${MAKE:-make} --no-print-directory BUILD="$build" "$build/libpgt.a" >&2

for v in 6.12 7.3; do
	sh "$kdir/fetch.sh" "$cache" $v
done

mkdir -p "$build/tests/kernel/faults"
out=$(cd "$build/tests/kernel/faults" && pwd)

# cut FILE AWK-START AWK-LAST: the lines from the one matching START to the
# first "}" at the start of a line after the one matching LAST
cut_out() {
	awk -v start="$2" -v last="$3" '
		$0 ~ start { on = 1 }
		on { print }
		on && $0 ~ last { end = 1 }
		on && end && /^}/ { exit }' "$1"
}

# a cut that came out empty means the kernel's file changed shape
need() {
	if ! grep -q "$2" "$1"; then
		echo "build.sh: $1 lacks $2: the kernel's sources changed" >&2
		exit 1
	fi
}

for v in 6.12 7.3; do
	intel=$cache/linux-source-$v/drivers/iommu/intel
	x=$out/dmar-$v.c
	{
		echo "/* Cut from Linux $v's intel/iommu.h and intel/dmar.c by $0 */"
		grep -E '^#define[[:space:]]+(DMAR_FSTS_REG|dmar_readq|DMA_FSTS_[A-Z]+|dma_fsts_fault_record_index|DMA_FRCD_F|dma_frcd_[a-z_]+|cap_num_fault_regs|cap_fault_reg_offset)[[:space:](]' \
			"$intel/iommu.h"
		grep -E '^#define[[:space:]]+pr_fmt' "$intel/dmar.c"
		cut_out "$intel/dmar.c" '^enum faulttype \\{' '^static const char \\*dmar_get_fault_reason\\('
		cut_out "$intel/dmar.c" '^static int dmar_fault_do_one\\(' '^irqreturn_t dmar_fault\\('
	} >"$x"
	for what in dma_frcd_page_addr dma_remap_sm_fault_reasons irq_remap_fault_reasons \
		'^static const char \*dmar_get_fault_reason' 'pr_err("\[%s NO_PASID\]' \
		'^irqreturn_t dmar_fault' 'unlock_exit:'; do
		need "$x" "$what"
	done
done

k73=$cache/linux-source-7.3/drivers/iommu/riscv
x=$out/riscv-7.3.c
{
	echo "/* Cut from Linux 7.3's riscv/iommu.c by $0 */"
	cut_out "$k73/iommu.c" '^static void riscv_iommu_fault\\(' '^static void riscv_iommu_fault\\('
} >"$x"
need "$x" 'dev_warn_ratelimited'
c=$out/riscv-causes-7.3.h
sed -n '/^enum riscv_iommu_fq_causes {/,/^};/p' "$k73/iommu-bits.h" |
	sed -n 's/^[[:space:]]*RISCV_IOMMU_FQ_CAUSE_\([A-Z0-9_]*\)[[:space:]]*=.*/{"\1", RISCV_IOMMU_FQ_CAUSE_\1},/p' >"$c"
need "$c" PT_CORRUPTED

warn="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
# the kernel's code is compiled as it is: its warnings are not ours, but
# these would mean a missing or wrong shim
guard="-Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion
	-Werror=incompatible-pointer-types -Werror=return-type -Werror=format"
kinc="-I$here -I$here/shim"

set -x
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS $guard $kinc -DKF_EXTRACT="\"$out/dmar-6.12.c\"" -DKF_VERSION=612 \
	-c -o "$out/kf_dmar-6.12.o" "$here/kf_dmar.c"
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS $guard $kinc -DKF_EXTRACT="\"$out/dmar-7.3.c\"" -DKF_VERSION=73 \
	-c -o "$out/kf_dmar-7.3.o" "$here/kf_dmar.c"
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS $guard $kinc -I"$k73" -DKF_EXTRACT="\"$out/riscv-7.3.c\"" \
	-DKF_CAUSES="\"$c\"" -c -o "$out/kf_riscv.o" "$here/kf_riscv.c"
# shellcheck disable=SC2086
$CC -std=c11 -D_GNU_SOURCE $CFLAGS $warn -Iinclude -I"$here" -c -o "$out/t_kernel_faults.o" \
	"$here/t_kernel_faults.c"
# shellcheck disable=SC2086
$CC $LDFLAGS -o "$build/tests/kernel/t_kernel_faults" "$out/t_kernel_faults.o" \
	"$out/kf_dmar-6.12.o" "$out/kf_dmar-7.3.o" "$out/kf_riscv.o" "$build/libpgt.a"
