#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Obtain the kernels of the guest tests, from Debian's packages; nothing of
# them is kept in this repository.
#
#   tests/guest/fetch.sh [CACHE_DIR]      (default: build/guest)
#
# x86_64: the newest linux-image-6.12.*-amd64-unsigned, of which the kernel
# image and the e1000 module are kept: CACHE_DIR/vmlinuz, CACHE_DIR/e1000.ko
# (uncompressed), CACHE_DIR/version.
# arm64: debian-installer-12-netboot-arm64 (an "all" package, so no arm64
# apt lists are needed), whose kernel has the SMMUv3 driver built in and
# whose initrd brings busybox and the e1000 module: CACHE_DIR/arm64/linux,
# CACHE_DIR/arm64/initrd.gz, CACHE_DIR/arm64/version.
# Does nothing for what is already there.
set -eu

cache=${1:-build/guest}
for tool in apt-get apt-cache dpkg-deb xz; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "fetch.sh: $tool is needed to obtain the guest kernels" >&2
		exit 1
	fi
done
mkdir -p "$cache/arm64"
cache_abs=$(cd "$cache" && pwd)

# download PKG: unpack package PKG into $tmp/x
download() {
	(
		cd "$tmp"
		if ! apt-get download "$1" >download.log 2>&1; then
			cat download.log >&2
			echo "fetch.sh: 'apt-get download $1' failed" >&2
			exit 1
		fi
		dpkg-deb -x "$(ls ./*.deb | head -n 1)" x
		rm -f ./*.deb
	)
}
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! [ -f "$cache/vmlinuz" ] || ! [ -f "$cache/e1000.ko" ] || ! [ -f "$cache/version" ]; then
	re='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$'
	pkg=$(newest "$re")
	if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		pkg=$(newest "$re")
	fi
	if [ -z "$pkg" ]; then
		echo "fetch.sh: no linux-image-6.12.*-amd64-unsigned package in the apt sources" \
			"(bookworm-backports or bookworm-security, and 'apt-get update' done?)" >&2
		exit 1
	fi
	download "$pkg"
	cp "$tmp"/x/boot/vmlinuz-* "$cache_abs/vmlinuz.new"
	ko=$(find "$tmp/x/lib/modules" -name 'e1000.ko*' | head -n 1)
	case "$ko" in
	*.xz) xz -dc "$ko" >"$cache_abs/e1000.ko.new" ;;
	*) cp "$ko" "$cache_abs/e1000.ko.new" ;;
	esac
	rm -rf "$tmp/x"
	mv "$cache/vmlinuz.new" "$cache/vmlinuz"
	mv "$cache/e1000.ko.new" "$cache/e1000.ko"
	echo "$pkg" >"$cache/version"
	echo "fetch.sh: x86_64 guest kernel $pkg in $cache" >&2
fi

if ! [ -f "$cache/arm64/linux" ] || ! [ -f "$cache/arm64/initrd.gz" ] ||
	! [ -f "$cache/arm64/version" ]; then
	download debian-installer-12-netboot-arm64
	d="$tmp/x/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64"
	cp "$d/linux" "$cache_abs/arm64/linux.new"
	cp "$d/initrd.gz" "$cache_abs/arm64/initrd.gz.new"
	rm -rf "$tmp/x"
	mv "$cache/arm64/linux.new" "$cache/arm64/linux"
	mv "$cache/arm64/initrd.gz.new" "$cache/arm64/initrd.gz"
	strings "$cache/arm64/linux" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n 1 \
		>"$cache/arm64/version"
	echo "fetch.sh: arm64 guest kernel $(cat "$cache/arm64/version") in $cache/arm64" >&2
fi
