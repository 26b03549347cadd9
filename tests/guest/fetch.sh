#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Obtain a Linux 6.12 kernel for the guest test: Debian's newest
# linux-image-6.12.*-amd64-unsigned, of which only the kernel image and the
# e1000 driver module are kept. Nothing of it is kept in this repository.
#
#   tests/guest/fetch.sh [CACHE_DIR]      (default: build/guest)
#
# Leaves CACHE_DIR/vmlinuz, CACHE_DIR/e1000.ko (uncompressed) and
# CACHE_DIR/version. Does nothing when they are already there.
set -eu

cache=${1:-build/guest}
if [ -f "$cache/vmlinuz" ] && [ -f "$cache/e1000.ko" ] && [ -f "$cache/version" ]; then
	exit 0
fi
for tool in apt-get apt-cache dpkg-deb xz; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "fetch.sh: $tool is needed to obtain the guest kernel" >&2
		exit 1
	fi
done

newest() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' |
		awk '{print $1}' | sort -V | tail -n 1
}
pkg=$(newest)
if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	pkg=$(newest)
fi
if [ -z "$pkg" ]; then
	echo "fetch.sh: no linux-image-6.12.*-amd64-unsigned package in the apt sources" \
		"(bookworm-backports or bookworm-security, and 'apt-get update' done?)" >&2
	exit 1
fi

mkdir -p "$cache"
cache_abs=$(cd "$cache" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
(
	cd "$tmp"
	if ! apt-get download "$pkg" >download.log 2>&1; then
		cat download.log >&2
		echo "fetch.sh: 'apt-get download $pkg' failed" >&2
		exit 1
	fi
	dpkg-deb -x "$(ls ./*.deb | head -n 1)" x
	cp x/boot/vmlinuz-* "$cache_abs/vmlinuz.new"
	ko=$(find x/lib/modules -name 'e1000.ko*' | head -n 1)
	case "$ko" in
	*.xz) xz -dc "$ko" >"$cache_abs/e1000.ko.new" ;;
	*) cp "$ko" "$cache_abs/e1000.ko.new" ;;
	esac
)
mv "$cache/vmlinuz.new" "$cache/vmlinuz"
mv "$cache/e1000.ko.new" "$cache/e1000.ko"
echo "$pkg" >"$cache/version"
echo "fetch.sh: guest kernel $pkg in $cache" >&2
