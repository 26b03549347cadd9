#!/bin/sh
# SPDX-License-Identifier: MIT
# deb.sh DIR: make deb. The Debian packages of debian/ built as a clean
# checkout builds them (dpkg-buildpackage -us -uc -b, which runs make
# test-offline), in DIR from a copy of the tree's tracked files as they are
# (the working tree gets nothing); lintian finds no error in them; and
# unpacked into a throwaway root they work from there: pgtctl, a program
# built with pkg-config against libpgt-dev, and the pgt Python module.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PACKAGES="pgtctl libpgt0 libpgt-dev python3-pgt"
failed=0

ok() { echo "deb: ok - $1"; }
not_ok() {
	echo "deb: not ok - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
	failed=$((failed + 1))
}
finish() {
	echo "deb: $((n_checks - failed)) passed, $failed failed"
	exit $((failed > 0))
}
n_checks=0
check() { n_checks=$((n_checks + 1)); }

# --- the tree's tracked files as they are, committed or not (a stash
# commit that no ref keeps; ignored and untracked files stay out)
rm -rf "$1" && mkdir -p "$1/root" || exit 1
dir=$(cd "$1" && pwd)
snapshot=$(git -C "$top" -c user.name=deb.sh -c user.email=deb.sh@localhost stash create) || exit 1
git -C "$top" archive --prefix=src/ "${snapshot:-HEAD}" | tar -x -C "$dir" || exit 1

# --- build: the suite runs in it, with the jobs make check has
check
start=$(date +%s)
(cd "$dir/src" && env -u MAKE -u MAKEFLAGS -u MAKELEVEL -u MFLAGS DEB_BUILD_OPTIONS="parallel=${JOBS:-2}" \
	dpkg-buildpackage -us -uc -b) >"$dir/build.log" 2>&1
status=$?
secs=$(($(date +%s) - start))
if [ $status -eq 0 ] && grep -q '^Result: PASS' "$dir/build.log"; then
	suite=$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\), \([0-9]*\) wallclock.*/\1 files, \2 tests, \3s/p' "$dir/build.log")
	ok "dpkg-buildpackage -us -uc -b in ${secs}s, make test-offline passing in it ($suite)"
else
	not_ok "dpkg-buildpackage -us -uc -b (exit $status; its log: $dir/build.log)" "$(tail -n 30 "$dir/build.log")"
	finish
fi
version=$(cd "$dir/src" && dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
multiarch=$(dpkg-architecture -q DEB_HOST_MULTIARCH)
for p in $PACKAGES; do
	check
	deb="$dir/${p}_${version}_$arch.deb"
	if [ -f "$deb" ]; then ok "$p built" && dpkg -x "$deb" "$dir/root"; else not_ok "$p built" "no $deb"; fi
done

# --- lintian: no error; what it says besides is shown
check
lintian --fail-on error --display-info "$dir/pgtctl_${version}_$arch.changes" >"$dir/lintian.log" 2>&1
status=$?
grep -v '^running with root privileges' "$dir/lintian.log" | sed 's/^/deb: lintian: /'
[ $status -eq 0 ] && ok "lintian finds no error" || not_ok "lintian finds no error (exit $status)"

# --- the unpacked packages at work, on their own library
root="$dir/root"
export LD_LIBRARY_PATH="$root/usr/lib/$multiarch"
cd "$dir" || exit 1

check
out=$("$root/usr/bin/pgtctl" --version 2>&1)
[ "$out" = "pgtctl $version" ] && ok "pgtctl --version: $out" || not_ok "pgtctl --version" "$out"

check
"$root/usr/bin/pgtctl" build "$top/samples/smmuv3-s1-4k.yaml" -o table.img >build.out 2>&1 &&
	ok "pgtctl builds an IMAGE from a spec (libyaml and libelf loaded)" ||
	not_ok "pgtctl build" "$(head -c 400 build.out)"

check
flags=$(PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_LIBDIR="$root/usr/lib/$multiarch/pkgconfig" \
	pkg-config --cflags --libs libpgt)
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Wextra -Werror -o walk "$root/usr/share/doc/libpgt-dev/examples/walk.c" $flags 2>walk.err &&
	./walk >walk.out 2>&1 && grep -q '^through callbacks:$' walk.out &&
	./walk table.img 0x10001234 >walk-img.out 2>&1 && grep -q '^0x10001234 -> 0x880001234 ' walk-img.out; then
	ok "libpgt-dev's example builds with pkg-config ($flags), walks, and translates in that IMAGE"
else
	not_ok "libpgt-dev's example" "$(cat walk.err walk.out walk-img.out 2>/dev/null | head -c 600)"
fi

check
out=$(PYTHONPATH="$root/usr/lib/python3/dist-packages" python3 -c '
import pgt
print(pgt.__file__, hex(pgt.open("table.img").translate(0x10001234).pa))' 2>&1)
case "$out" in "$root/usr/lib/python3/dist-packages/pgt/"*" 0x880001234")
	ok "python3 -c 'import pgt' imports ${out% *} and translates in that IMAGE" ;;
*) not_ok "python3 -c 'import pgt' from python3-pgt, translating in that IMAGE" "$out" ;; esac

check
out=$(PYTHONPATH="$root/usr/lib/python3/dist-packages" /usr/bin/python3 -m pgt.drgn --help 2>&1)
if [ -f "$root/usr/share/man/man1/pgt-drgn.1.gz" ] && echo "$out" | grep -q 'translate'; then
	ok "python3-pgt has the drgn helper (python3 -m pgt.drgn --help) and pgt-drgn(1)"
else
	not_ok "the drgn helper in python3-pgt" "$(ls "$root/usr/share/man/man1" 2>&1)" "$out"
fi
finish
