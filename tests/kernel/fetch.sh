#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Obtain the Linux sources the kernel oracle tests compile. Nothing from
# the kernel is kept in this repository: the files are taken at test time
# from Debian's linux-source-VERSION package.
#
#   tests/kernel/fetch.sh [CACHE_DIR [VERSION]]   (build/kernel, 6.12)
#   Environment: NO_FETCH=1: download nothing, fail where the sources are
#   missing (the oracles' build.sh scripts pass it on).
#
# VERSION 6.12: linux-source-6.12 from the machine's own apt sources
# (bookworm-security). VERSION 7.3: linux-source-7.3 from trixie-backports
# (7.3.4-1~bpo13+1), through a private apt configuration in
# CACHE_DIR/apt (tests/tools/apt-private.sh), never the machine's sources.
#
# Leaves CACHE_DIR/linux-source-VERSION/ with drivers/iommu (io-pgtable*,
# amd/, intel/, riscv/, arm/, generic_pt/) and the include/linux headers the
# oracles compile (io-pgtable.h, and for 7.3 generic_pt/); the test shims
# stand in for every other kernel header.
# Does nothing when they are already there. Works as an ordinary user.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-build/kernel}
version=${2:-6.12}
tree=$cache/linux-source-$version

case "$version" in
6.12)
	get() { apt-get "$@"; }
	where="is bookworm-security in the apt sources, and 'apt-get update' done?"
	extra=""
	;;
7.3)
	get() { sh "$here/../tools/apt-private.sh" "$cache_abs/apt" trixie-backports apt-get "$@"; }
	where="is trixie-backports reachable at deb.debian.org?"
	extra="include/linux/generic_pt"
	;;
*)
	echo "fetch.sh: no kernel version '$version' (6.12 or 7.3)" >&2
	exit 2
	;;
esac
need="drivers/iommu/io-pgtable-arm.c drivers/iommu/io-pgtable-arm-v7s.c
	drivers/iommu/io-pgtable-dart.c drivers/iommu/amd/amd_iommu_types.h
	include/linux/io-pgtable.h $extra"

have=1
for f in $need; do
	[ -e "$tree/$f" ] || have=0
done
if [ $have = 1 ]; then
	exit 0
fi
if [ "${NO_FETCH:-0}" = 1 ]; then
	echo "fetch.sh: no Linux $version sources in $cache (NO_FETCH=1)" >&2
	exit 1
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

pkg=linux-source-$version
(
	cd "$tmp"
	# apt-get download writes into the current directory and needs no root.
	if ! get download "$pkg" >download.log 2>&1 &&
		! { [ "$version" = 6.12 ] && [ "$(id -u)" -eq 0 ] &&
			apt-get update -qq >>download.log 2>&1 &&
			apt-get download "$pkg" >>download.log 2>&1; }; then
		cat download.log >&2
		echo "fetch.sh: 'apt-get download $pkg' failed ($where)" >&2
		exit 1
	fi
	deb=$(ls "$pkg"_*.deb | head -n 1)
	echo "fetch.sh: unpacking $deb" >&2
	dpkg-deb -x "$deb" x
	rm -f "$deb"
	tarball=x/usr/src/$pkg.tar.xz
	if [ ! -f "$tarball" ]; then
		echo "fetch.sh: $tarball not found in the package" >&2
		exit 1
	fi
	members="$pkg/drivers/iommu $pkg/include/linux/io-pgtable.h"
	for f in $extra; do members="$members $pkg/$f"; done
	# shellcheck disable=SC2086
	tar -xJf "$tarball" -C "$cache_abs" $members
	rm -rf x
)

for f in $need; do
	if [ ! -e "$tree/$f" ]; then
		echo "fetch.sh: $tree/$f missing after extraction" >&2
		exit 1
	fi
done
echo "fetch.sh: kernel sources in $tree" >&2
