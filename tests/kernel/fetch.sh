#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Obtain the Linux 6.12 io-pgtable sources the kernel oracle test compiles.
# Nothing from the kernel is kept in this repository: the files are taken at
# test time from Debian's linux-source-6.12 package.
#
#   tests/kernel/fetch.sh [CACHE_DIR]      (default: build/kernel)
#
# Leaves CACHE_DIR/linux-source-6.12/drivers/iommu/ (io-pgtable-arm.c,
# io-pgtable-arm-v7s.c, io-pgtable-dart.c, amd/io_pgtable.c with its
# headers, ...) and CACHE_DIR/linux-source-6.12/include/linux/io-pgtable.h
# (the shim stands in for every other kernel header).
# Does nothing when they are already there. Works as an ordinary user.
set -eu

cache=${1:-build/kernel}
tree=$cache/linux-source-6.12
want=$tree/drivers/iommu/io-pgtable-arm.c

# every file the oracle compiles (drivers/iommu is extracted whole)
have=1
for f in "$want" "$tree/drivers/iommu/io-pgtable-arm-v7s.c" "$tree/drivers/iommu/io-pgtable-dart.c" \
	"$tree/drivers/iommu/amd/io_pgtable.c" "$tree/drivers/iommu/amd/amd_iommu_types.h" \
	"$tree/include/linux/io-pgtable.h"; do
	[ -f "$f" ] || have=0
done
if [ $have = 1 ]; then
	exit 0
fi

for tool in apt-get dpkg-deb tar xz; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "fetch.sh: $tool is needed to obtain the kernel sources" >&2
		exit 1
	fi
done

mkdir -p "$cache"
cache_abs=$(cd "$cache" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-kernel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

(
	cd "$tmp"
	# apt-get download writes into the current directory and needs no root.
	if ! apt-get download linux-source-6.12 >download.log 2>&1 &&
		! { [ "$(id -u)" -eq 0 ] && apt-get update -qq >>download.log 2>&1 &&
			apt-get download linux-source-6.12 >>download.log 2>&1; }; then
		cat download.log >&2
		echo "fetch.sh: 'apt-get download linux-source-6.12' failed" \
			"(is bookworm-security in the apt sources, and 'apt-get update' done?)" >&2
		exit 1
	fi
	deb=$(ls linux-source-6.12_*.deb | head -n 1)
	echo "fetch.sh: unpacking $deb" >&2
	dpkg-deb -x "$deb" x
	rm -f "$deb"
	tarball=x/usr/src/linux-source-6.12.tar.xz
	if [ ! -f "$tarball" ]; then
		echo "fetch.sh: $tarball not found in the package" >&2
		exit 1
	fi
	tar -xJf "$tarball" -C "$cache_abs" \
		linux-source-6.12/drivers/iommu \
		linux-source-6.12/include/linux/io-pgtable.h
	rm -rf x
)

if [ ! -f "$want" ]; then
	echo "fetch.sh: $want missing after extraction" >&2
	exit 1
fi
echo "fetch.sh: kernel sources in $tree" >&2
