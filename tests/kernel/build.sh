#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build the kernel oracle tests: Linux 6.12's io-pgtable-arm.c,
# io-pgtable-arm-v7s.c, io-pgtable-dart.c, amd/io_pgtable.c and io-pgtable.c
# compiled in userspace over tests/kernel/shim (oracle*.c), linked with the
# machinery the tests share (kt_*.c, see kt_common.h) and libpgt into
# BUILD/tests/kernel/t_kernel_* (one per tests/kernel/t_kernel_*.c: lpae, v7s,
# dart, amd).
#
#   tests/kernel/build.sh [CACHE_DIR [BUILD_DIR]]
#       CACHE_DIR  where fetch.sh keeps the kernel sources (default build/kernel)
#       BUILD_DIR  the libpgt build directory (default build/opt); its
#                  libpgt.a is made with `make` when missing
#   Environment: CC, CFLAGS (default -O2 -g), LDFLAGS, LIBPGT (a libpgt.a to
#   use instead of BUILD_DIR/libpgt.a), NO_FETCH=1 (do not download).
#
# Run from the repository root, or from anywhere: paths are resolved
# against the repository root.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

cache=${1:-build/kernel}
build=${2:-build/opt}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
LDFLAGS=${LDFLAGS:-}
ksrc=$cache/linux-source-6.12

if [ ! -f "$ksrc/drivers/iommu/io-pgtable-arm.c" ]; then
	if [ "${NO_FETCH:-0}" = 1 ]; then
		echo "build.sh: no kernel sources in $ksrc (NO_FETCH=1)" >&2
		exit 1
	fi
	sh "$here/fetch.sh" "$cache"
fi

lib=${LIBPGT:-$build/libpgt.a}
if [ ! -f "$lib" ] || [ -z "${LIBPGT:-}" ]; then
	# keep the library current; make does nothing when it is
	make --no-print-directory BUILD="$build" "$build/libpgt.a" >&2
fi

out=$build/tests/kernel
mkdir -p "$out"

warn="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
shim="-I$here/shim"
# The kernel's own directories are system include paths: the kernel code
# is compiled as it is, its warnings are not ours; our code is checked.
kinc="-isystem $ksrc/drivers/iommu -isystem $ksrc/include"

# Warnings inside system headers are never shown, not even ones made
# errors; so first check each oracle unit with the kernel's directories as
# ordinary include paths, for what would mean a missing or wrong shim
# (implicit declarations, pointer/integer mixups). Other warnings in the
# kernel's code are tolerated.
guard="-Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion
	-Werror=incompatible-pointer-types -Werror=return-type"
units="oracle oracle_v7s oracle_dart oracle_amd"
for u in $units; do
	$CC -std=gnu11 -fsyntax-only $guard $shim -I"$ksrc/drivers/iommu" -I"$ksrc/include" \
		"$here/$u.c"
done

set -x
objs=""
for u in $units; do
	$CC -std=gnu11 $CFLAGS $warn $shim $kinc -c -o "$out/$u.o" "$here/$u.c"
	objs="$objs $out/$u.o"
done
$CC -std=gnu11 $CFLAGS $warn $shim -c -o "$out/kshim.o" "$here/shim/kshim.c"
# the machinery the tests share (kt_common.h): every kt_*.c
kt=""
for src in "$here"/kt_*.c; do
	u=$(basename "$src" .c)
	$CC -std=c11 -D_GNU_SOURCE $CFLAGS $warn -Iinclude -I"$here" -c -o "$out/$u.o" "$src"
	kt="$kt $out/$u.o"
done
for src in "$here"/t_kernel_*.c; do
	t=$(basename "$src" .c)
	$CC -std=c11 -D_GNU_SOURCE $CFLAGS $warn -Iinclude -I"$here" -c -o "$out/$t.o" "$src"
	$CC $LDFLAGS -o "$out/$t" "$out/$t.o" $kt $objs "$out/kshim.o" \
		"$lib" -lyaml -lelf -lreadline
done
