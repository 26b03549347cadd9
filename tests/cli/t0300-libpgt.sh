#!/bin/sh
# SPDX-License-Identifier: MIT
# libpgt as a library: it exports exactly what its headers declare, at its
# symbol version, needs the C library alone and loads the rest when used;
# its headers compile as C and C++ and hold no fixed-size array; make
# install puts the tool, the library, the headers, libpgt.pc, the man pages,
# the completions and the Python module under DESTDIR and PREFIX, examples/walk.c builds
# against what it installed with pkg-config and runs, and make uninstall
# leaves nothing; make abi-check passes, and fails on a copy whose ABI was
# broken on purpose.
. "$(dirname "$0")/lib.sh"
BUILD_DIR=$(dirname "$PGTCTL")
BUILD=${BUILD_DIR#"$PGTCTL_TOP"/}
SO="$BUILD_DIR/libpgt.so.0"
exports() { python3 "$PGTCTL_TOP/tests/tools/exports.py" "$@"; }
# a sanitized build's library needs its runtime in what links it, and that
# runtime brings the C++ library (libubsan's)
case $BUILD in
*/san) SAN_MAKE="SANITIZE=1" SAN_CC="-fsanitize=address,undefined" SAN_LIBS='^libasan\.|^libubsan\.'
	CODECS='libelf|libyaml|libz\.|liblzo|libsnappy|libzstd' ;;
*) SAN_MAKE="" SAN_CC="" SAN_LIBS='^$' CODECS='libelf|libyaml|libz\.|liblzo|libsnappy|libzstd|libstdc' ;;
esac
topmake() { # DIR ARGS...: make as a user runs it, not as the suite's make
	d=$1
	shift
	# shellcheck disable=SC2086
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$d" BUILD="$BUILD" $SAN_MAKE "$@"
}

# --- the symbols
exports headers "$PGTCTL_TOP"/include/pgt/*.h >headers.list
exports sym "$PGTCTL_TOP/src/libpgt.sym" >sym.list
nm -D --defined-only "$SO" | awk '$2 == "T" {print $3}' >dyn.raw
sed 's/@@LIBPGT_[0-9.]*$//' dyn.raw | sort >dyn.list
[ "$(wc -l <headers.list)" -gt 200 ] && ok "the headers declare $(wc -l <headers.list) functions" ||
	not_ok "the headers declare the API" "$(wc -l <headers.list) functions"
cmp -s headers.list sym.list && ok "libpgt.sym lists what the headers declare" ||
	not_ok "libpgt.sym lists what the headers declare" "$(diff headers.list sym.list | tr '\n' ' ')"
cmp -s headers.list dyn.list && ok "libpgt.so exports exactly those functions" ||
	not_ok "libpgt.so exports exactly those functions" "$(diff headers.list dyn.list | tr '\n' ' ')"
exports versions "$PGTCTL_TOP/src/libpgt.sym" >versions.list
grep -v '^LIBPGT_' dyn.raw | sort | cmp -s versions.list - && ok "every export is at the version node libpgt.sym puts it in" ||
	not_ok "every export is at its version node" "$(grep -v '^LIBPGT_' dyn.raw | sort | diff versions.list - | tr '\n' ' ')"
nm -D --defined-only "$SO" | awk '$2 != "A" {print $3}' | grep -v '^pgt_' >other.list
[ -s other.list ] && not_ok "nothing but pgt_* is exported" "$(tr '\n' ' ' <other.list)" ||
	ok "nothing but pgt_* is exported (no data, no helper)"
readelf -d "$SO" >dyn.txt
grep -q 'Library soname: \[libpgt.so.0\]' dyn.txt && ok "its soname is libpgt.so.0" || not_ok "soname" "$(grep SONAME dyn.txt)"
sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' dyn.txt | grep -v '^libc.so.6$\|^ld-linux' | grep -Ev "$SAN_LIBS" >needed.list
[ -s needed.list ] && not_ok "libpgt.so needs the C library alone" "$(tr '\n' ' ' <needed.list)" ||
	ok "libpgt.so needs the C library alone (libelf, libyaml and the codecs load on use)"
nm -D --undefined-only "$SO" | grep -qw umask && not_ok "libpgt never calls umask" || ok "libpgt never calls umask"
readelf -d "$PGTCTL" | grep -q 'NEEDED.*\[libpgt.so.0\]' && ok "pgtctl links libpgt.so.0" ||
	not_ok "pgtctl links libpgt.so.0"

# --- the headers: each alone, as C11 and as C++, no struct with an array
hfail=""
for h in "$PGTCTL_TOP"/include/pgt/*.h; do
	b=$(basename "$h")
	printf '#include <pgt/%s>\n' "$b" >h.c
	cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$PGTCTL_TOP/include" -fsyntax-only h.c 2>>h.err || hfail="$hfail $b(C)"
	c++ -x c++ -Wall -Wextra -Werror -I"$PGTCTL_TOP/include" -fsyntax-only h.c 2>>h.err || hfail="$hfail $b(C++)"
done
[ -z "$hfail" ] && ok "every header compiles alone as C11 and as C++" || not_ok "headers compile alone" "$hfail" "$(head -c 400 h.err)"
printf '#include <pgt/pgt.h>\nint main(void) { return pgt_format_find("arm-v7s") == 0; }\n' >cxx.cc
c++ -Wall -Wextra -Werror -I"$PGTCTL_TOP/include" -o cxx cxx.cc -L"$BUILD_DIR" -lpgt $SAN_CC 2>cxx.err &&
	LD_LIBRARY_PATH="$BUILD_DIR" ./cxx && ok "a C++ program calls libpgt (extern \"C\")" || not_ok "C++ calls libpgt" "$(head -c 300 cxx.err)"
python3 - "$PGTCTL_TOP"/include/pgt/*.h >arrays.txt <<'EOF'
import re, sys
for path in sys.argv[1:]:
    text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
    for m in re.finditer(r'struct (\w+) \{(.*?)\};', text, flags=re.S):
        for line in m.group(2).split(';'):
            if '[' in line:
                print(path.split('/')[-1], m.group(1), line.strip())
EOF
[ -s arrays.txt ] && not_ok "no public struct has a fixed-size array" "$(tr '\n' '|' <arrays.txt)" ||
	ok "no public struct has a fixed-size array"

# --- the man page maps every function
missing=""
for f in $(cat headers.list); do grep -q "^\.BR $f ()" "$PGTCTL_TOP/man/libpgt.3" || missing="$missing $f"; done
[ -z "$missing" ] && ok "libpgt(3) names every function" || not_ok "libpgt(3) names every function" "missing:$missing"

# --- make install, the example against the installed files, uninstall
D="$T_DIR/dest"
topmake "$PGTCTL_TOP" install DESTDIR="$D" PREFIX=/usr >install.out 2>&1
[ $? -eq 0 ] && ok "make install DESTDIR PREFIX=/usr" || not_ok "make install" "$(tail -5 install.out)"
(cd "$D" && find . ! -type d | sed 's/^\.//' | sort) >got
{
	printf '%s\n' /usr/bin/pgtctl /usr/lib/libpgt.so /usr/lib/libpgt.so.0 /usr/lib/libpgt.so.0.2.0 \
		/usr/lib/pkgconfig/libpgt.pc /usr/share/bash-completion/completions/pgtctl \
		/usr/share/fish/vendor_completions.d/pgtctl.fish /usr/share/man/man1/pgtctl.1 \
		/usr/share/man/man3/libpgt.3 /usr/share/man/man5/pgtctl-spec.5 \
		/usr/share/zsh/vendor-completions/_pgtctl
	for h in "$PGTCTL_TOP"/include/pgt/*.h; do echo "/usr/include/pgt/$(basename "$h")"; done
	py=/usr/lib/python3/dist-packages/pgt
	printf '%s\n' $py/__init__.py $py/_types.py \
		"$py/_pgt$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
	# the drgn helper, and its page
	for f in "$PGTCTL_TOP"/python/pgt/drgn/*.py; do echo "$py/drgn/$(basename "$f")"; done
	echo /usr/share/man/man1/pgt-drgn.1
} | sort >want
cmp -s got want && ok "it installs the tool, the library, headers, libpgt.pc, man pages, completions, the Python module and its drgn helper" ||
	not_ok "what make install installs" "$(diff want got | tr '\n' '|')"
[ "$(readlink "$D/usr/lib/libpgt.so.0")" = libpgt.so.0.2.0 ] && [ "$(readlink "$D/usr/lib/libpgt.so")" = libpgt.so.0 ] &&
	ok "libpgt.so -> libpgt.so.0 -> libpgt.so.0.2.0" || not_ok "the library's links"
readelf -d "$D/usr/bin/pgtctl" | grep -q 'RUNPATH\|RPATH' && not_ok "the installed pgtctl has no run path" ||
	ok "the installed pgtctl has no run path"
run env LD_LIBRARY_PATH="$D/usr/lib" "$D/usr/bin/pgtctl" formats
expect_out_has "arm-64-lpae-s1" "the installed pgtctl runs on the installed library"

export PKG_CONFIG_PATH="$D/usr/lib/pkgconfig"
flags=$(pkg-config --define-prefix --cflags --libs libpgt)
case "$flags" in *"-I$D/usr/include"*"-L$D/usr/lib"*"-lpgt"* | *"-L$D/usr/lib"*"-lpgt"*"-I$D/usr/include"*)
	ok "pkg-config --cflags --libs libpgt points into DESTDIR ($flags)" ;;
*) not_ok "pkg-config --cflags --libs libpgt" "$flags" ;; esac
[ "$(pkg-config --modversion libpgt)" = 0.2.0 ] && ok "libpgt.pc says version 0.2.0" || not_ok "pkg-config --modversion"
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror -o walk "$PGTCTL_TOP/examples/walk.c" $flags $SAN_CC 2>walk.err &&
	ok "examples/walk.c builds with pkg-config's flags alone" || not_ok "examples/walk.c builds" "$(head -c 400 walk.err)"
readelf -d walk | grep -q 'NEEDED.*\[libpgt.so.0\]' && ok "and links libpgt.so.0" || not_ok "walk links libpgt.so.0"
run env LD_LIBRARY_PATH="$D/usr/lib" LD_DEBUG=libs LD_DEBUG_OUTPUT="$T_DIR/ld" ./walk
expect_status 0 "it runs"
cat >want.walk <<'EOF'
format arm-64-lpae-s1, Linux 6.12, 3 levels
0x10012345 -> 0x880012345 (2M page, level 2)
0x40001abc -> 0x90001abc (4K page, level 3)
map 0x10000000 -> 0x880000000 2M rw
map 0x40001000 -> 0x90001000 4K r
through callbacks:
0x10012345 -> 0x880012345 (2M page, level 2)
0x40001abc -> 0x90001abc (4K page, level 3)
EOF
grep -v 'not mapped' out >got.walk
cmp -s got.walk want.walk && ok "it builds, translates, lists and reads through callbacks" ||
	not_ok "walk's output" "$(diff want.walk got.walk | tr '\n' '|')"
grep -q '^0x50000000 not mapped: level 2 descriptor at 0x[0-9a-f]* is empty$' out &&
	ok "an IOVA it does not map is not mapped, with why" || not_ok "walk's unmapped IOVA" "$(cat out)"
cat "$T_DIR"/ld.* >ld.log 2>/dev/null
grep -q "$D/usr/lib/libpgt.so.0" ld.log && ok "the example ran on the installed library" ||
	not_ok "the example ran on the installed library" "$(grep libpgt ld.log | head -3)"
grep -E "calling init: .*($CODECS)" ld.log >loaded
[ -s loaded ] && not_ok "walking tables in memory loads no ELF, YAML or codec library" "$(head -3 loaded)" ||
	ok "walking tables in memory loads none of $CODECS"

sed 's/base: 0x80000000/base: 0x48000000/' "$SAMPLES/smmuv3-s1-4k.yaml" >s1.yaml
pgtctl build s1.yaml -o s1.img >/dev/null
run env LD_LIBRARY_PATH="$D/usr/lib" ./walk s1.img 0x10000000 0x10201234 0x7777000
pgtctl translate --json s1.img 0x10000000 0x10201234 0x7777000 >tr.json
python3 - <<'EOF' >want.img
import json
for t in json.load(open('tr.json')):
    print('%s -> %s' % (t['iova'], t['pa']) if t['pa'] else '%s not mapped' % t['iova'])
EOF
sed 's/ (.*//; s/ not mapped:.*/ not mapped/' out >got.img
cmp -s got.img want.img && ok "in an IMAGE it translates as pgtctl translate does" ||
	not_ok "walk IMAGE" "$(diff want.img got.img | tr '\n' '|')"

topmake "$PGTCTL_TOP" uninstall DESTDIR="$D" PREFIX=/usr >uninstall.out 2>&1
left=$(cd "$D" && find . ! -type d)
[ -z "$left" ] && ok "make uninstall removes everything it installed" || not_ok "make uninstall leaves" "$left"
[ -d "$D/usr/include/pgt" ] && not_ok "the headers' directory goes too" || ok "the headers' directory goes too"

# --- a library that cannot be loaded is named
SHIM="$BUILD_DIR/tests/tools/fsshim.so"
run env FSSHIM_NO_LIB=libelf.so.1 LD_PRELOAD="$SHIM" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$PGTCTL" info s1.img
diag_seen "cannot load" "$status" out err
expect_err_has "cannot load libelf (libelf.so.1)" "libelf missing: named"
"$MKKDUMP" -b 0x48000000 -c zstd "$(pgtctl emit s1.img -o s1.raw --raw >/dev/null && echo s1.raw)" s1.kdump
run env FSSHIM_NO_LIB=libzstd.so.1 LD_PRELOAD="$SHIM" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	"$PGTCTL" translate --dump s1.kdump --format arm-64-lpae-s1 --root 0x48000000 0x10000000
[ "$status" -ne 0 ] && grep -q "cannot load zstd (libzstd.so.1)" out err &&
	ok "zstd missing: a zstd kdump's pages are unreadable, saying why" || not_ok "zstd missing" "$status $(cat out err)"
run "$PGTCTL" translate --dump s1.kdump --format arm-64-lpae-s1 --root 0x48000000 0x10000000
expect_status 0 "with zstd there, the same kdump reads"

# --- the ABI: the build matches abi/libpgt.abi; a break in a copy fails
command -v abidiff >/dev/null || { not_ok "abidiff is installed (make check-deps: abigail-tools)"; done_testing; exit 1; }
topmake "$PGTCTL_TOP" abi-check >abi.out 2>&1
[ $? -eq 0 ] && ok "make abi-check passes" || not_ok "make abi-check" "$(tail -5 abi.out)"
mkdir tree
cp -r "$PGTCTL_TOP/Makefile" "$PGTCTL_TOP/src" "$PGTCTL_TOP/include" "$PGTCTL_TOP/abi" tree/
# the library's objects as built, so that only what a change touches is built again
mkdir -p "tree/$BUILD" && cp -a "$BUILD_DIR/src" "$BUILD_DIR"/libpgt.so* "tree/$BUILD/"
# swapped enumerators keep every symbol: a symbols file would not see it
sed -i 's/^\tPGT_DIFF_ONLY_A, .*/\tPGT_DIFF_ONLY_B,/; t; s/^\tPGT_DIFF_ONLY_B,$/\tPGT_DIFF_ONLY_A,/' \
	tree/include/pgt/diff.h
grep -A2 '^enum pgt_diff_kind' tree/include/pgt/diff.h | tail -2 | tr -d '\t\n' | grep -q '^PGT_DIFF_ONLY_B,PGT_DIFF_ONLY_A,$' &&
	ok "(the copy's enum is swapped)" || not_ok "the copy's enum is swapped" "$(grep -A3 '^enum pgt_diff_kind' tree/include/pgt/diff.h)"
topmake tree abi-check >abi.out 2>&1
[ $? -ne 0 ] && grep -q "differs from abi/libpgt.abi" abi.out && grep -q "pgt_diff_kind" abi.out &&
	ok "a reordered public enum fails make abi-check" || not_ok "a changed enum fails abi-check" "$(tail -8 abi.out)"
cp "$PGTCTL_TOP/include/pgt/diff.h" tree/include/pgt/diff.h
sed -i '/^\tpgt_walk_pa;$/d' tree/src/libpgt.sym
topmake tree abi-check >abi.out 2>&1
[ $? -ne 0 ] && grep -q "pgt_walk_pa" abi.out && ok "a function gone from the exports fails make abi-check" ||
	not_ok "a removed export fails abi-check" "$(tail -8 abi.out)"
done_testing
