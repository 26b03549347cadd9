#!/bin/sh
# SPDX-License-Identifier: MIT
#
# What the drgn test needs beside a guest kernel of tests/guest/fetch.sh:
# the kernel's debug info and its qemu_fw_cfg module (with which the guest
# gives QEMU its VMCOREINFO, so that QEMU's dumps carry it for drgn), from
# the same Debian build as the kernel.
#
#   tests/guest/fetch-dbg.sh GUEST_DIR OUT_DIR
#
# GUEST_DIR/version names the kernel's package (linux-image-RELEASE-unsigned);
# OUT_DIR gets vmlinux (./usr/lib/debug/boot/vmlinux-RELEASE of
# linux-image-RELEASE-dbg, the rest of that 1 GB package left out),
# qemu_fw_cfg.ko (uncompressed) and version (the release). The packages
# come through private apt configurations in OUT_DIR/apt
# (tests/tools/apt-private.sh): bookworm-security, where Debian 12's 6.12
# kernels are, then bookworm-backports. Does nothing when OUT_DIR has them
# for this release already.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 2 ]; then
	echo "usage: fetch-dbg.sh GUEST_DIR OUT_DIR" >&2
	exit 2
fi
guest=$1
out=$2
pkg=$(cat "$guest/version" 2>/dev/null) || {
	echo "fetch-dbg.sh: no $guest/version: fetch the guest kernel first (make guest)" >&2
	exit 1
}
release=$(echo "$pkg" | sed -n 's/^linux-image-\(.*\)-unsigned$/\1/p')
if [ -z "$release" ]; then
	echo "fetch-dbg.sh: $guest/version names '$pkg', not a linux-image-RELEASE-unsigned" >&2
	exit 1
fi
if [ "$(cat "$out/version" 2>/dev/null)" = "$release" ] && [ -f "$out/vmlinux" ] &&
	[ -f "$out/qemu_fw_cfg.ko" ]; then
	touch "$out/vmlinux" "$out/qemu_fw_cfg.ko"
	exit 0
fi
mkdir -p "$out/apt"
out_abs=$(cd "$out" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-dbg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# download PACKAGE...: into $tmp, from the first suite that has them all
download() {
	for source in "${PGT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security" \
		"${PGT_DEBIAN_MIRROR:-http://deb.debian.org/debian} bookworm-backports"; do
		mirror=${source% *} suite=${source#* }
		if (cd "$tmp" && PGT_DEBIAN_MIRROR=$mirror sh "$here/../tools/apt-private.sh" \
			"$out_abs/apt/$suite" "$suite" apt-get download "$@") >"$tmp/download.log" 2>&1; then
			return 0
		fi
	done
	cat "$tmp/download.log" >&2
	echo "fetch-dbg.sh: $* is in neither bookworm-security nor bookworm-backports" >&2
	exit 1
}

# the image package's qemu_fw_cfg module, then the debug package's vmlinux
download "linux-image-$release-unsigned"
dpkg-deb --fsys-tarfile "$tmp"/linux-image-*.deb 2>/dev/null |
	tar -x -C "$tmp" --wildcards --occurrence=1 \
		"./lib/modules/$release/kernel/drivers/firmware/qemu_fw_cfg.ko*" 2>/dev/null || true
rm -f "$tmp"/*.deb
ko=$(find "$tmp/lib" -name 'qemu_fw_cfg.ko*' | head -n 1)
case "$ko" in
*.xz) xz -dc "$ko" >"$out_abs/qemu_fw_cfg.ko.new" ;;
?*) cp "$ko" "$out_abs/qemu_fw_cfg.ko.new" ;;
*)
	echo "fetch-dbg.sh: linux-image-$release-unsigned has no qemu_fw_cfg module" >&2
	exit 1
	;;
esac

download "linux-image-$release-dbg"
# the package is large: stop reading it at its vmlinux
dpkg-deb --fsys-tarfile "$tmp"/linux-image-*-dbg_*.deb 2>/dev/null |
	tar -x -C "$tmp" --occurrence=1 "./usr/lib/debug/boot/vmlinux-$release" 2>/dev/null || true
rm -f "$tmp"/*.deb
if ! [ -f "$tmp/usr/lib/debug/boot/vmlinux-$release" ]; then
	echo "fetch-dbg.sh: linux-image-$release-dbg has no usr/lib/debug/boot/vmlinux-$release" >&2
	exit 1
fi
mv "$tmp/usr/lib/debug/boot/vmlinux-$release" "$out_abs/vmlinux"
touch "$out_abs/vmlinux"
mv "$out_abs/qemu_fw_cfg.ko.new" "$out_abs/qemu_fw_cfg.ko"
echo "$release" >"$out_abs/version"
echo "fetch-dbg.sh: the debug info and qemu_fw_cfg of $release in $out" >&2
