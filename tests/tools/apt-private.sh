#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Run apt-get or apt-cache against Debian suites the machine's own apt
# sources do not name (trixie-backports for Linux 7.3, say), through a
# private apt configuration kept in DIR: its own sources list, package
# lists and cache. The machine's apt sources and state are never touched,
# and no root is needed.
#
#   tests/tools/apt-private.sh [--arch ARCH] DIR SUITE[,SUITE...] apt-get|apt-cache ARGS...
#
# --arch: the packages of another architecture (riscv64, say) instead of
# the machine's; keep each architecture's DIR apart. The lists are fetched
# on first use and again when older than a day. `apt-get download` writes
# into the current directory, as usual.
set -eu

arch=""
if [ "${1:-}" = --arch ] && [ $# -ge 2 ]; then
	arch=$2
	shift 2
fi
if [ $# -lt 3 ]; then
	echo "usage: apt-private.sh [--arch ARCH] DIR SUITE[,SUITE...] apt-get|apt-cache ARGS..." >&2
	exit 2
fi
dir=$1
suites=$2
tool=$3
shift 3
case "$tool" in
apt-get | apt-cache) ;;
*)
	echo "apt-private.sh: runs apt-get or apt-cache, not '$tool'" >&2
	exit 2
	;;
esac

mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
dir=$(cd "$dir" && pwd)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mirror=${PGT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
list=$dir/sources.list
: >"$list.new"
for s in $(echo "$suites" | tr ',' ' '); do
	echo "deb [signed-by=$keyring] $mirror $s main" >>"$list.new"
done
mv "$list.new" "$list"

# private TOOL ARGS...: TOOL with the private configuration
private() {
	_tool=$1
	shift
	if [ -n "$arch" ]; then
		set -- -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" "$@"
	fi
	"$_tool" -o "Dir::Etc::sourcelist=$list" -o Dir::Etc::sourceparts=/nonexistent \
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}
stamp=$dir/lists/.updated-$(echo "$suites${arch:+-$arch}" | tr ',/' '__')
if [ -z "$(find "$stamp" -mtime -1 2>/dev/null)" ]; then
	if ! private apt-get update >"$dir/update.log" 2>&1; then
		cat "$dir/update.log" >&2
		echo "apt-private.sh: 'apt-get update' of $suites failed" >&2
		exit 1
	fi
	touch "$stamp"
fi
private "$tool" "$@"
