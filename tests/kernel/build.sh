#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build the kernel oracle tests: Linux 6.12's io-pgtable-arm.c,
# io-pgtable-arm-v7s.c, io-pgtable-dart.c, amd/io_pgtable.c and io-pgtable.c,
# and Linux 7.3's (which has no AMD), compiled unmodified in userspace over
# tests/kernel/shim (oracle*.c), linked with the machinery the tests share
# (kt_*.c, see kt_common.h) and libpgt into BUILD/tests/kernel/t_kernel_*
# (one per tests/kernel/t_kernel_*.c: lpae, v7s, dart, amd; and lpae-7.3,
# v7s-7.3, dart-7.3).
#
#   tests/kernel/build.sh [CACHE_DIR [BUILD_DIR]]
#       CACHE_DIR  where fetch.sh keeps the kernel sources (default build/kernel)
#       BUILD_DIR  the libpgt build directory (default build/opt); its
#                  libpgt.a is made with `make` when missing
#   Environment: CC, CFLAGS (default -O2 -g), LDFLAGS, LIBPGT (a libpgt.a to
#   use instead of BUILD_DIR/libpgt.a), NO_FETCH=1 (do not download),
#   KERNEL_VERSIONS (default "6.12 7.3"), MAKE (the make that builds
#   libpgt.a, default make: the Makefile passes its own, and so its jobserver).
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
versions=${KERNEL_VERSIONS:-6.12 7.3}

lib=${LIBPGT:-$build/libpgt.a}
if [ ! -f "$lib" ] || [ -z "${LIBPGT:-}" ]; then
	# keep the library current; make does nothing when it is
	# MAKE may carry options (make check's stages run `make --no-print-directory`)
	# shellcheck disable=SC2086
	${MAKE:-make} --no-print-directory BUILD="$build" "$build/libpgt.a" >&2
fi

for v in $versions; do
	sh "$here/fetch.sh" "$cache" "$v"
done

out=$build/tests/kernel
mkdir -p "$out"

warn="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
shim="-I$here/shim"

set -x
$CC -std=gnu11 $CFLAGS $warn $shim -c -o "$out/kshim.o" "$here/shim/kshim.c"
# the machinery the tests share (kt_common.h): every kt_*.c, and the tests
kt=""
for src in "$here"/kt_*.c "$here"/t_kernel_*.c; do
	u=$(basename "$src" .c)
	$CC -std=c11 -D_GNU_SOURCE $CFLAGS $warn -Iinclude -Isrc -I"$here" -c -o "$out/$u.o" "$src"
	case $u in kt_*) kt="$kt $out/$u.o" ;; esac
done
set +x

# One oracle per kernel version: its units (oracle*.c) compiled over the
# version's sources, the version's own shim file where its kernel needs one
# the other does not, and every test linked with it (t_kernel_NAME for 6.12,
# t_kernel_NAME-7.3 for 7.3). ORACLE_LINUX is the version, as
# (major << 8) | minor, for the few places the oracle's own code differs.
for v in $versions; do
	ksrc=$cache/linux-source-$v
	case $v in
	6.12)
		linux=0x060c suffix="" version_shim=""
		units="oracle oracle_v7s oracle_dart oracle_amd" tests="lpae v7s dart amd"
		;;
	7.3)
		# AMD's tables left io-pgtable for generic_pt in 6.19 (its oracle is
		# tests/kernel/genpt's); iommu-pages.c became out-of-line functions
		linux=0x0703 suffix=-7.3 version_shim=iommu-pages-7.3
		units="oracle oracle_v7s oracle_dart" tests="lpae v7s dart"
		;;
	*)
		echo "build.sh: no oracle for Linux $v" >&2
		exit 1
		;;
	esac
	vout=$out/linux-$v
	mkdir -p "$vout"
	defs="-DORACLE_LINUX=$linux -DORACLE_KERNEL=\"$v\""
	# The kernel's own directories are system include paths: the kernel
	# code is compiled as it is, its warnings are not ours; our code is
	# checked.
	kinc="-isystem $ksrc/drivers/iommu -isystem $ksrc/include"

	# Warnings inside system headers are never shown, not even ones made
	# errors; so first check each oracle unit with the kernel's directories
	# as ordinary include paths, for what would mean a missing or wrong
	# shim (implicit declarations, pointer/integer mixups). Other warnings
	# in the kernel's code are tolerated.
	guard="-Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion
		-Werror=incompatible-pointer-types -Werror=return-type"
	for u in $units; do
		$CC -std=gnu11 -fsyntax-only $defs $guard $shim -I"$ksrc/drivers/iommu" \
			-I"$ksrc/include" "$here/$u.c"
	done

	set -x
	objs=""
	for u in $units; do
		$CC -std=gnu11 $CFLAGS $warn $defs $shim $kinc -c -o "$vout/$u.o" "$here/$u.c"
		objs="$objs $vout/$u.o"
	done
	if [ -n "$version_shim" ]; then
		$CC -std=gnu11 $CFLAGS $warn $shim $kinc -c -o "$vout/$version_shim.o" \
			"$here/shim/$version_shim.c"
		objs="$objs $vout/$version_shim.o"
	fi
	for t in $tests; do
		$CC $LDFLAGS -o "$out/t_kernel_$t$suffix" "$out/t_kernel_$t.o" $kt $objs \
			"$out/kshim.o" "$lib" -lyaml -lelf -lreadline
	done
	set +x
done
