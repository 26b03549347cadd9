#!/bin/sh
# SPDX-License-Identifier: MIT
# The Makefile as a user runs it: ./pgtctl, the copy to run from the tree,
# is the optimised build's alone (make pgtctl SANITIZE=1 leaves it be), and
# the kernel oracles' build scripts make libpgt.a with the make that runs
# them, so that under make -j they share its jobserver.
. "$(dirname "$0")/lib.sh"
# make as a user runs it, not as a stage of the make that runs the suite
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u BUILD -u SANITIZE -u FUZZ make --no-print-directory -C "$PGTCTL_TOP" "$@"; }

# --- ./pgtctl: the optimised build's copy (-n -B: every command, none run)
run mk -n -B pgtctl
expect_status 0 "make -n -B pgtctl"
grep -qx 'cp build/opt/pgtctl pgtctl' out && ok "make pgtctl copies the optimised build to ./pgtctl" ||
	not_ok "make pgtctl copies build/opt/pgtctl" "$(grep pgtctl out | tail -3 | tr '\n' '|')"
run mk -n -B pgtctl SANITIZE=1
expect_status 0 "make -n -B pgtctl SANITIZE=1"
grep -q -- '-o build/san/pgtctl ' out && ok "make pgtctl SANITIZE=1 links build/san/pgtctl" ||
	not_ok "make pgtctl SANITIZE=1 links build/san/pgtctl" "$(tail -3 out | tr '\n' '|')"
grep -q '^cp .*pgtctl' out && not_ok "make pgtctl SANITIZE=1 leaves ./pgtctl alone" "$(grep '^cp' out)" ||
	ok "make pgtctl SANITIZE=1 leaves ./pgtctl alone"

# --- the kernel oracles' scripts get make and its jobserver: an sh that
# records what the scripts would be run with, in place of sh on PATH
mkdir bin
cat >bin/sh <<'SH'
#!/bin/dash
# the jobserver make names in MAKEFLAGS: its pipe's read end (R,W) open
# here, or its fifo there
auth=$(printf '%s\n' "$MAKEFLAGS" | sed -n 's/.*--jobserver-auth=\([^ ]*\).*/\1/p')
case $auth in
fifo:*) [ -p "${auth#fifo:}" ] && js=open || js=closed ;;
?*) [ -e "/proc/$$/fd/${auth%%,*}" ] && js=open || js=closed ;;
*) js=none ;;
esac
printf '%s|%s|%s\n' "$1" "${MAKE-unset}" "$js" >>"$T_DIR/sh.calls"
SH
chmod +x bin/sh
T_DIR=$T_DIR PATH="$T_DIR/bin:$PATH" mk -j2 -o build/opt/libpgt.a kernel-oracle >out 2>err
status=$?
expect_status 0 "make -j2 kernel-oracle with the scripts stubbed"
[ "$(cut -d'|' -f1 sh.calls 2>/dev/null | tr '\n' ' ')" = \
	"tests/kernel/build.sh tests/kernel/genpt/build.sh tests/kernel/faults/build.sh " ] &&
	ok "kernel-oracle runs the three build scripts" || not_ok "kernel-oracle runs the three build scripts" "$(cat sh.calls)"
bad=$(awk -F'|' '$2 == "unset" || $3 != "open"' sh.calls)
[ -s sh.calls ] && [ -z "$bad" ] && ok "each gets \$MAKE and make's jobserver, open" ||
	not_ok "each gets \$MAKE and the jobserver" "$(tr '\n' ' ' <sh.calls)"
# and each script makes libpgt.a with that make, first: a make that
# records its arguments and fails stops it there; MAKE may carry options,
# as make check's stages give it (`make --no-print-directory`)
cat >bin/fakemake <<'SH'
#!/bin/sh
echo "$*" >>"$T_DIR/make.calls"
exit 7
SH
chmod +x bin/fakemake
for script in tests/kernel/build.sh tests/kernel/genpt/build.sh tests/kernel/faults/build.sh; do
	: >make.calls
	T_DIR=$T_DIR MAKE="$T_DIR/bin/fakemake -s" NO_FETCH=1 /bin/sh "$PGTCTL_TOP/$script" \
		"$T_DIR/nocache" "$T_DIR/b" >out 2>err
	status=$?
	[ $status = 7 ] && [ "$(cat make.calls)" = "-s --no-print-directory BUILD=$T_DIR/b $T_DIR/b/libpgt.a" ] &&
		ok "$script makes libpgt.a with \$MAKE" ||
		not_ok "$script makes libpgt.a with \$MAKE" "status $status, calls: $(cat make.calls) $(head -c 200 err)"
done
done_testing
