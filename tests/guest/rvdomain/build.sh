#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build the test module rvdomain.ko for the riscv64 guest's kernel, out of
# tree with Kbuild, against that kernel's Debian headers (fetched into
# DIR/kbuild by tests/guest/fetch.sh), with Debian 12's cross compiler
# gcc-riscv64-linux-gnu:
#
#   tests/guest/rvdomain/build.sh DIR      (the riscv64 guest cache)
#
# DIR/rvdomain.ko (without its debugging information), and the build's
# output in DIR/rvdomain.log. A build that fails leaves no module and a log
# dated 1970, so that make tries again; the guest test then reports the
# failure from the log.
# The kernel was built with gcc 14: two of its options gcc 12 lacks, as the
# .config records, are turned off on the command line: the function
# alignment it asks for then comes from -falign-functions, and no BTF is
# generated for the module (that needs pahole; the kernel loads a module
# without BTF).
set -u

here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$1" && pwd)
release=$(cat "$dir/kbuild/version")
headers=$dir/kbuild/usr/src/linux-headers-$release
common=$dir/kbuild/usr/src/linux-headers-${release%-riscv64}-common
work=$(mktemp -d "${TMPDIR:-/tmp}/pgt-rvdomain.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cp "$here/Kbuild" "$here/rvdomain.c" "$work/"
rm -f "$dir/rvdomain.ko"
if ! command -v riscv64-linux-gnu-gcc >/dev/null 2>&1; then
	echo "riscv64-linux-gnu-gcc not found: install gcc-riscv64-linux-gnu (make check-deps)" \
		>"$dir/rvdomain.log"
# (the headers' own Makefile includes the common one by its installed
# path: the same, from where the cache is)
elif make -C "$headers" -f "$common/Makefile" KBUILD_OUTPUT="$headers" M="$work" \
	CC=riscv64-linux-gnu-gcc CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= \
	CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$dir/rvdomain.log" 2>&1 &&
	riscv64-linux-gnu-strip --strip-debug -o "$dir/rvdomain.ko" "$work/rvdomain.ko"; then
	echo "rvdomain: built $dir/rvdomain.ko for $release" >&2
	exit 0
fi
tail -n 20 "$dir/rvdomain.log" >&2
echo "rvdomain: the test module did not build (the guest test says so): $dir/rvdomain.log" >&2
touch -d @0 "$dir/rvdomain.log"
