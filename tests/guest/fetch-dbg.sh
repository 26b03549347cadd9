#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The debug info of a guest kernel of tests/guest/fetch.sh, for the drgn
# test: vmlinux of the kernel's linux-image-RELEASE-dbg (the rest of that
# 1 GB package is left out).
#
#   tests/guest/fetch-dbg.sh GUEST_DIR OUT_DIR
#
# GUEST_DIR/version names the kernel: linux-image-RELEASE-unsigned (Linux
# 6.12, from bookworm-security or bookworm-backports), linux-binary-RELEASE
# (7.3, trixie-backports) or RELEASE alone (the arm64 installer's, from
# bookworm or bookworm-security, whose qemu_fw_cfg module the installer's
# initrd lacks: it is taken from linux-image-RELEASE too, as
# OUT_DIR/qemu_fw_cfg.ko). OUT_DIR gets vmlinux and version (the release).
# The packages come through private apt configurations in OUT_DIR/../apt
# (tests/tools/apt-private.sh). Does nothing when OUT_DIR has this
# release's already.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 2 ]; then
	echo "usage: fetch-dbg.sh GUEST_DIR OUT_DIR" >&2
	exit 2
fi
name=$(cat "$1/version" 2>/dev/null) || {
	echo "fetch-dbg.sh: no $1/version: fetch the guest kernel first (make guest)" >&2
	exit 1
}
out=$2
security=${PGT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
main=${PGT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
arch="" files="vmlinux"
case $name in
linux-image-*-unsigned)
	release=$(echo "$name" | sed 's/^linux-image-//; s/-unsigned$//')
	sources="$security:bookworm-security $main:bookworm-backports"
	member=./usr/lib/debug/boot/vmlinux-$release
	;;
linux-binary-*)
	release=${name#linux-binary-}
	sources="$main:trixie-backports"
	member=./usr/lib/debug/lib/modules/$release/vmlinux
	;;
*-arm64)
	release=$name arch=arm64 files="vmlinux qemu_fw_cfg.ko"
	sources="$main:bookworm $security:bookworm-security"
	member=./usr/lib/debug/boot/vmlinux-$release
	;;
*)
	echo "fetch-dbg.sh: $1/version names '$name', a kernel this script does not know" >&2
	exit 1
	;;
esac
have() {
	for f in $files; do
		[ -f "$out/$f" ] || return 1
	done
	[ "$(cat "$out/version" 2>/dev/null)" = "$release" ]
}
if have; then
	touch "$out"/*
	exit 0
fi
mkdir -p "$out"
out_abs=$(cd "$out" && pwd)
apt_dir=$(dirname "$out_abs")/apt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-dbg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# fetch PACKAGE: download it, from the first suite that has it
fetch() {
	for source in $sources; do
		_mirror=${source%:*} _suite=${source##*:}
		_dir=$apt_dir/$_suite${arch:+-$arch}
		if (cd "$tmp" && PGT_DEBIAN_MIRROR=$_mirror sh "$here/../tools/apt-private.sh" \
			${arch:+--arch "$arch"} "$_dir" "$_suite" apt-get download "$1") >"$tmp/log" 2>&1; then
			return 0
		fi
	done
	cat "$tmp/log" >&2
	echo "fetch-dbg.sh: $1 is in none of $sources" >&2
	exit 1
}

if [ -n "$arch" ]; then
	fetch "linux-image-$release"
	dpkg-deb --fsys-tarfile "$tmp"/linux-image-*.deb 2>/dev/null |
		tar -x -C "$tmp" --wildcards --occurrence=1 \
			"./lib/modules/$release/kernel/drivers/firmware/qemu_fw_cfg.ko*" 2>/dev/null || true
	rm -f "$tmp"/*.deb
	ko=$(find "$tmp/lib" -name 'qemu_fw_cfg.ko*' 2>/dev/null | head -n 1)
	case "$ko" in
	*.xz) xz -dc "$ko" >"$out_abs/qemu_fw_cfg.ko" ;;
	?*) cp "$ko" "$out_abs/qemu_fw_cfg.ko" ;;
	*)
		echo "fetch-dbg.sh: linux-image-$release has no qemu_fw_cfg module" >&2
		exit 1
		;;
	esac
fi

fetch "linux-image-$release-dbg"
# the package is large: stop reading it at its vmlinux
dpkg-deb --fsys-tarfile "$tmp"/linux-image-*-dbg_*.deb 2>/dev/null |
	tar -x -C "$tmp" --occurrence=1 "$member" 2>/dev/null || true
rm -f "$tmp"/*.deb
if ! [ -f "$tmp/$member" ]; then
	echo "fetch-dbg.sh: linux-image-$release-dbg has no $member" >&2
	exit 1
fi
mv "$tmp/$member" "$out_abs/vmlinux"
echo "$release" >"$out_abs/version"
touch "$out_abs"/*
echo "fetch-dbg.sh: the debug info of $release in $out" >&2
