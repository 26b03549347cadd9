#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The kernels of the drgn test, each from one Debian build: its image, the
# e1000 and qemu_fw_cfg modules (with the latter the guest gives QEMU its
# VMCOREINFO, so that QEMU's dumps carry it for drgn) and its debug info.
#
#   tests/guest/fetch-dbg.sh OUT_DIR 6.12|7.3
#   tests/guest/fetch-dbg.sh OUT_DIR arm64 RELEASE
#
# 6.12: the newest linux-image-6.12.*+deb12-amd64-unsigned of
# bookworm-security (else bookworm-backports) and its linux-image-*-dbg;
# 7.3: the newest linux-binary-7.3.*+deb13-amd64 of trixie-backports, its
# linux-modules and linux-image-*-dbg; arm64: the qemu_fw_cfg module and
# debug info of the arm64 installer's kernel (RELEASE: 6.1.0-N-arm64, as
# fetch.sh wrote it), from bookworm (else bookworm-security) whose
# installer it is. OUT_DIR gets vmlinuz and e1000.ko (x86_64),
# qemu_fw_cfg.ko (uncompressed), vmlinux (the debug package's alone: the
# rest of its 1 GB is left out) and version (the release). The packages
# come through private apt configurations in OUT_DIR/../apt
# (tests/tools/apt-private.sh). Does nothing when OUT_DIR has them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 2 ] || { [ "$2" = arm64 ] && [ $# -ne 3 ]; }; then
	echo "usage: fetch-dbg.sh OUT_DIR 6.12|7.3, or OUT_DIR arm64 RELEASE" >&2
	exit 2
fi
out=$1
kernel=$2
files="vmlinuz e1000.ko qemu_fw_cfg.ko vmlinux version"
[ "$kernel" = arm64 ] && files="qemu_fw_cfg.ko vmlinux version"
have() {
	for f in $files; do
		[ -f "$out/$f" ] || return 1
	done
	# the installer's kernel may have moved on
	[ "$kernel" != arm64 ] || [ "$(cat "$out/version")" = "$3" ]
}
if have "$@"; then
	touch "$out"/*
	exit 0
fi
security=${PGT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
main=${PGT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
case $kernel in
6.12)
	sources="$security:bookworm-security $main:bookworm-backports"
	pattern='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$'
	;;
7.3)
	sources="$main:trixie-backports"
	pattern='^linux-binary-7\.3\.[0-9]+\+deb13-amd64$'
	;;
arm64)
	sources="$main:bookworm $security:bookworm-security"
	pattern="^linux-image-$(echo "$3" | sed 's/[.+]/\\&/g')\$"
	;;
*)
	echo "fetch-dbg.sh: no drgn test kernel '$kernel' (6.12 or 7.3)" >&2
	exit 2
	;;
esac
mkdir -p "$out"
out_abs=$(cd "$out" && pwd)
apt_dir=$(dirname "$out_abs")/apt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-dbg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# private SOURCE TOOL ARGS...: apt-get or apt-cache of one suite
# (MIRROR:SUITE), in $tmp; arm64's packages for the arm64 kernel
private() {
	_mirror=${1%:*} _suite=${1##*:}
	shift
	if [ "$kernel" = arm64 ]; then
		set -- --arch arm64 "$apt_dir/$_suite-arm64" "$_suite" "$@"
	else
		set -- "$apt_dir/$_suite" "$_suite" "$@"
	fi
	(cd "$tmp" && PGT_DEBIAN_MIRROR=$_mirror sh "$here/../tools/apt-private.sh" "$@")
}
failed() {
	cat "$tmp/log" >&2 2>/dev/null || true
	echo "fetch-dbg.sh: $*" >&2
	exit 1
}
# unpack DEB MEMBER...: the members named (tar patterns) into $tmp/x
unpack() {
	_deb=$1
	shift
	mkdir -p "$tmp/x"
	dpkg-deb --fsys-tarfile "$_deb" 2>/dev/null |
		tar -x -C "$tmp/x" --wildcards "$@" 2>/dev/null || true
	rm -f "$_deb"
}
# keep NAME: the one file called NAME (or NAME.xz) unpacked, as OUT_DIR/NAME
keep() {
	_f=$(find "$tmp/x" -name "$1" -o -name "$1.xz" | head -n 1)
	case "$_f" in
	"") failed "no $1 in the packages of $release" ;;
	*.xz) xz -dc "$_f" >"$out_abs/$1.new" ;;
	*) cp "$_f" "$out_abs/$1.new" ;;
	esac
}

pkg="" source=""
for source in $sources; do
	pkg=$(private "$source" apt-cache search --names-only "$pattern" 2>"$tmp/log" |
		awk '{print $1}' | sort -V | tail -n 1)
	[ -n "$pkg" ] && break
done
[ -n "$pkg" ] || failed "no package matching $pattern in $sources"
case $kernel in
6.12 | arm64)
	release=$(echo "$pkg" | sed 's/^linux-image-//; s/-unsigned$//')
	member=./usr/lib/debug/boot/vmlinux-$release
	set -- "$pkg"
	;;
7.3)
	release=$(echo "$pkg" | sed 's/^linux-binary-//')
	member=./usr/lib/debug/lib/modules/$release/vmlinux
	set -- "$pkg" "linux-modules-$release"
	;;
esac
private "$source" apt-get download "$@" "linux-image-$release-dbg" >"$tmp/log" 2>&1 ||
	failed "'apt-get download $* linux-image-$release-dbg' failed"
for deb in "$tmp"/*.deb; do
	case $deb in
	*-dbg_*) ;;
	*) unpack "$deb" '*/vmlinuz*' '*/e1000.ko*' '*/qemu_fw_cfg.ko*' ;;
	esac
done
keep qemu_fw_cfg.ko
if [ "$kernel" != arm64 ]; then
	keep e1000.ko
	_image=$(find "$tmp/x" -name "vmlinuz*" -type f | head -n 1)
	[ -n "$_image" ] || failed "no kernel image in $pkg"
	cp "$_image" "$out_abs/vmlinuz.new"
fi
# the debug package is large: stop reading it at its vmlinux
dbg=$(ls "$tmp"/linux-image-*-dbg_*.deb)
dpkg-deb --fsys-tarfile "$dbg" 2>/dev/null |
	tar -x -C "$tmp/x" --occurrence=1 "$member" 2>/dev/null || true
rm -f "$dbg"
vmlinux=$(find "$tmp/x/usr/lib/debug" -name "vmlinux*" -type f 2>/dev/null | head -n 1)
[ -n "$vmlinux" ] || failed "no vmlinux in linux-image-$release-dbg"
mv "$vmlinux" "$out_abs/vmlinux"
for f in vmlinuz e1000.ko qemu_fw_cfg.ko; do
	[ ! -f "$out_abs/$f.new" ] || mv "$out_abs/$f.new" "$out_abs/$f"
done
echo "$release" >"$out_abs/version"
touch "$out_abs"/*
echo "fetch-dbg.sh: Linux $release, its debug info and modules in $out" >&2
