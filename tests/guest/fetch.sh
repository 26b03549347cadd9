#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Obtain the kernels of the guest tests, and the QEMU the RISC-V one needs,
# from Debian's packages; nothing of them is kept in this repository.
#
#   tests/guest/fetch.sh [CACHE_DIR]      (default: build/guest)
#
# x86_64, Linux 6.12: the newest linux-image-6.12.*-amd64-unsigned of the
# machine's apt sources, of which the kernel image and the e1000 and
# qemu_fw_cfg modules are kept: CACHE_DIR/vmlinuz, CACHE_DIR/e1000.ko and
# CACHE_DIR/qemu_fw_cfg.ko (uncompressed), CACHE_DIR/version. (With
# qemu_fw_cfg a guest gives QEMU its VMCOREINFO, which QEMU's dumps then
# carry for drgn.)
# arm64: debian-installer-12-netboot-arm64 (an "all" package, so no arm64
# apt lists are needed), whose kernel has the SMMUv3 driver built in and
# whose initrd brings busybox and the e1000 module: CACHE_DIR/arm64/linux,
# CACHE_DIR/arm64/initrd.gz, CACHE_DIR/arm64/version.
# x86_64, Linux 7.3: linux-binary-7.3.*-amd64 and its linux-modules (for
# e1000 and qemu_fw_cfg) from trixie-backports:
# CACHE_DIR/x86_64-7.3/{vmlinuz,e1000.ko,qemu_fw_cfg.ko,version}.
# riscv64: the newest Linux 7 riscv64 kernel of trixie-backports that the
# mirror serves (7.3 first) with its e1000 module, and busybox-static from
# trixie: CACHE_DIR/riscv64/{Image,e1000.ko,busybox,version}; and what
# building the test module rvdomain for that kernel takes (its headers,
# linux-kbuild, and trixie's libc for its modpost): CACHE_DIR/riscv64/kbuild,
# whose version names the kernel release.
# QEMU 10 (riscv-iommu-pci came in 9.2; intel-iommu's first stage, x-flts,
# in 10.0), from bookworm-backports, unpacked with its firmware (seabios,
# opensbi) under CACHE_DIR/qemu: usr/bin/qemu-system-{x86_64,riscv64}, and
# CACHE_DIR/qemu/version. Its libraries are those of Debian 12's own QEMU,
# which make check-deps installs; the machine's QEMU stays as it is.
# Packages outside the machine's apt sources come through private apt
# configurations in CACHE_DIR/apt (tests/tools/apt-private.sh).
# Does nothing for what is already there.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-build/guest}
for tool in apt-get apt-cache dpkg-deb tar xz; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "fetch.sh: $tool is needed to obtain the guest kernels" >&2
		exit 1
	fi
done
mkdir -p "$cache/arm64" "$cache/x86_64-7.3" "$cache/riscv64" "$cache/apt"
cache_abs=$(cd "$cache" && pwd)

# private NAME [--arch ARCH] SUITES TOOL ARGS...: TOOL through the private
# apt configuration CACHE_DIR/apt/NAME (one for each architecture)
private() {
	_dir=$cache_abs/apt/$1
	shift
	if [ "$1" = --arch ]; then
		_arch=$2
		shift 2
		sh "$here/../tools/apt-private.sh" --arch "$_arch" "$_dir" "$@"
	else
		sh "$here/../tools/apt-private.sh" "$_dir" "$@"
	fi
}
# in_tmp COMMAND...: COMMAND (an apt-get download) in $tmp, its output in
# $tmp/download.log; its status
in_tmp() {
	(cd "$tmp" && "$@") >"$tmp/download.log" 2>&1
}
# unpack DEB [MEMBER...]: unpack DEB into $tmp/x, or only the MEMBERs
# named (./path), stopping at the last: modules packages are large
unpack() {
	_deb=$1
	shift
	mkdir -p "$tmp/x"
	if [ $# = 0 ]; then
		dpkg-deb -x "$_deb" "$tmp/x"
	else
		dpkg-deb --fsys-tarfile "$_deb" 2>/dev/null |
			tar -x -C "$tmp/x" --occurrence=1 "$@" 2>/dev/null || true
	fi
}
# unxz_module KO OUT: the module at KO (compressed or not) as OUT
unxz_module() {
	case "$1" in
	*.xz) xz -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}
failed() {
	cat "$tmp/download.log" >&2 2>/dev/null || true
	echo "fetch.sh: $*" >&2
	exit 1
}
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

have() {
	for f in "$@"; do
		[ -f "$cache/$f" ] || return 1
	done
}

if ! have vmlinuz e1000.ko qemu_fw_cfg.ko version; then
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
	in_tmp apt-get download "$pkg" || failed "'apt-get download $pkg' failed"
	unpack "$tmp"/*.deb
	cp "$tmp"/x/boot/vmlinuz-* "$cache_abs/vmlinuz.new"
	for ko in e1000 qemu_fw_cfg; do
		unxz_module "$(find "$tmp/x/lib/modules" -name "$ko.ko*" | head -n 1)" "$cache_abs/$ko.ko.new"
	done
	rm -rf "$tmp/x" "$tmp"/*.deb
	mv "$cache/vmlinuz.new" "$cache/vmlinuz"
	mv "$cache/e1000.ko.new" "$cache/e1000.ko"
	mv "$cache/qemu_fw_cfg.ko.new" "$cache/qemu_fw_cfg.ko"
	echo "$pkg" >"$cache/version"
	echo "fetch.sh: x86_64 guest kernel $pkg in $cache" >&2
fi

if ! have arm64/linux arm64/initrd.gz arm64/version; then
	in_tmp apt-get download debian-installer-12-netboot-arm64 ||
		failed "'apt-get download debian-installer-12-netboot-arm64' failed"
	unpack "$tmp"/*.deb
	d="$tmp/x/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64"
	cp "$d/linux" "$cache_abs/arm64/linux.new"
	cp "$d/initrd.gz" "$cache_abs/arm64/initrd.gz.new"
	rm -rf "$tmp/x" "$tmp"/*.deb
	mv "$cache/arm64/linux.new" "$cache/arm64/linux"
	mv "$cache/arm64/initrd.gz.new" "$cache/arm64/initrd.gz"
	strings "$cache/arm64/linux" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n 1 \
		>"$cache/arm64/version"
	echo "fetch.sh: arm64 guest kernel $(cat "$cache/arm64/version") in $cache/arm64" >&2
fi

# kernel DIR IMAGE PATTERN APT...: the newest linux-binary-RELEASE
# matching PATTERN that downloads, with the e1000 module of its
# linux-modules-RELEASE, as DIR/IMAGE and DIR/e1000.ko, and its qemu_fw_cfg
# module where it has one as DIR/qemu_fw_cfg.ko, the package in
# DIR/version; APT: the private apt configuration's arguments. (Debian 13's
# kernels come as linux-binary, the image, and linux-modules.)
kernel() {
	_dir=$1 _image=$2 _pattern=$3
	shift 3
	pkg=""
	for pkg in $(private "$@" apt-cache search --names-only "$_pattern" | awk '{print $1}' |
		sort -rV); do
		mods=$(echo "$pkg" | sed 's/^linux-binary-/linux-modules-/')
		rm -f "$tmp"/*.deb
		in_tmp private "$@" apt-get download "$pkg" "$mods" && break
		echo "fetch.sh: $pkg or $mods cannot be downloaded; trying an older one" >&2
		pkg=""
	done
	[ -n "$pkg" ] || failed "no kernel package matching $_pattern downloads"
	release=$(echo "$pkg" | sed 's/^linux-binary-//')
	unpack "$tmp/$pkg"_*.deb
	unpack "$tmp/$mods"_*.deb \
		"./usr/lib/modules/$release/kernel/drivers/firmware/qemu_fw_cfg.ko.xz" \
		"./usr/lib/modules/$release/kernel/drivers/net/ethernet/intel/e1000/e1000.ko.xz"
	cp "$tmp/x/usr/lib/modules/$release/vmlinuz" "$cache_abs/$_dir/$_image.new"
	ko=$(find "$tmp/x/usr/lib/modules/$release/kernel" -name 'e1000.ko*' | head -n 1)
	[ -n "$ko" ] || failed "no e1000 module in $mods"
	unxz_module "$ko" "$cache_abs/$_dir/e1000.ko"
	ko=$(find "$tmp/x/usr/lib/modules/$release/kernel" -name 'qemu_fw_cfg.ko*' | head -n 1)
	[ -z "$ko" ] || unxz_module "$ko" "$cache_abs/$_dir/qemu_fw_cfg.ko"
	rm -rf "$tmp/x" "$tmp"/*.deb
	mv "$cache_abs/$_dir/$_image.new" "$cache_abs/$_dir/$_image"
	echo "$pkg" >"$cache_abs/$_dir/version"
	echo "fetch.sh: guest kernel $pkg in $cache/$_dir" >&2
}

if ! have x86_64-7.3/vmlinuz x86_64-7.3/e1000.ko x86_64-7.3/qemu_fw_cfg.ko x86_64-7.3/version; then
	kernel x86_64-7.3 vmlinuz '^linux-binary-7\.3\.[0-9]+\+deb13-amd64$' \
		trixie-amd64 trixie-backports
fi

riscv64="trixie-riscv64 --arch riscv64 trixie,trixie-backports"
if ! have riscv64/Image riscv64/e1000.ko riscv64/busybox riscv64/version; then
	# shellcheck disable=SC2086
	kernel riscv64 Image '^linux-binary-7\.[0-9]+\.[0-9]+\+deb13-riscv64$' $riscv64
	# shellcheck disable=SC2086
	in_tmp private $riscv64 apt-get download busybox-static ||
		failed "'apt-get download busybox-static' (riscv64) failed"
	unpack "$tmp"/busybox-static_*.deb ./usr/bin/busybox
	cp "$tmp/x/usr/bin/busybox" "$cache_abs/riscv64/busybox"
	rm -rf "$tmp/x" "$tmp"/*.deb
fi

# riscv64 kbuild: what building an out-of-tree module for that kernel takes
# (tests/guest/rvdomain): its linux-headers (riscv64 and common) and the
# amd64 linux-kbuild of the same version, unpacked under riscv64/kbuild.
# Trixie's modpost needs glibc 2.38 (Debian 12 has 2.36): it runs with
# trixie's own libc6, unpacked beside it, through that libc's loader.
release=$(sed 's/^linux-binary-//' "$cache/riscv64/version")
if [ "$(cat "$cache/riscv64/kbuild/version" 2>/dev/null)" != "$release" ]; then
	common=${release%-riscv64}
	# shellcheck disable=SC2086
	in_tmp private $riscv64 apt-get download "linux-headers-$release" "linux-headers-$common-common" ||
		failed "'apt-get download linux-headers-$release linux-headers-$common-common' failed"
	in_tmp private trixie-amd64-kbuild trixie,trixie-backports apt-get download \
		"linux-kbuild-$common" libc6 ||
		failed "'apt-get download linux-kbuild-$common libc6' (amd64, trixie) failed"
	for deb in "$tmp"/*.deb; do
		unpack "$deb"
	done
	mod="$tmp/x/usr/lib/linux-kbuild-$common/scripts/mod"
	mv "$mod/modpost.real-lsb-64" "$mod/modpost.real-lsb-64.bin"
	cat >"$mod/modpost.real-lsb-64" <<'SH'
#!/bin/sh
# trixie's modpost, with trixie's libc (tests/guest/fetch.sh)
here=$(cd "$(dirname "$0")" && pwd -P)
lib=$here/../../../x86_64-linux-gnu
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$here/modpost.real-lsb-64.bin" "$@"
SH
	chmod +x "$mod/modpost.real-lsb-64"
	rm -rf "$cache_abs/riscv64/kbuild"
	mkdir -p "$cache_abs/riscv64/kbuild"
	mv "$tmp/x/usr" "$cache_abs/riscv64/kbuild/usr"
	rm -rf "$tmp/x" "$tmp"/*.deb
	echo "$release" >"$cache_abs/riscv64/kbuild/version"
	echo "fetch.sh: riscv64 kbuild for $release in $cache/riscv64/kbuild" >&2
fi

qemu_pkgs="qemu-system-x86 qemu-system-riscv qemu-system-data opensbi seabios"
if ! have qemu/version qemu/usr/bin/qemu-system-x86_64 qemu/usr/bin/qemu-system-riscv64; then
	# shellcheck disable=SC2086
	in_tmp private bookworm-backports bookworm-backports apt-get download $qemu_pkgs ||
		failed "'apt-get download $qemu_pkgs' from bookworm-backports failed"
	rm -rf "$cache_abs/qemu"
	for deb in "$tmp"/*.deb; do
		unpack "$deb"
	done
	mv "$tmp/x/usr" "$cache_abs/qemu.new"
	mkdir -p "$cache_abs/qemu"
	mv "$cache_abs/qemu.new" "$cache_abs/qemu/usr"
	rm -rf "$tmp/x" "$tmp"/*.deb
	"$cache_abs/qemu/usr/bin/qemu-system-x86_64" --version | head -n 1 >"$cache_abs/qemu/version"
	echo "fetch.sh: $(cat "$cache_abs/qemu/version") in $cache/qemu" >&2
fi
