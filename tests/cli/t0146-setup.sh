#!/bin/sh
# SPDX-License-Identifier: MIT
# First contact on a fresh Debian: the README says what to install before
# make exists; the set-up installs quietly and without Recommends, showing
# apt's log only when it fails; make check ends on one verdict line.
. "$(dirname "$0")/lib.sh"
README="$PGTCTL_TOP/README.md"
# make as the suite runs it, not as a stage of the make that runs the suite
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$PGTCTL_TOP" "$@"; }

# --- README: a minimal Debian has no make
setup=$(awk '/^## Set-up/ {on = 1; next} /^## / {on = 0} on' "$README")
first_block=$(printf '%s\n' "$setup" | awk '/^```sh/ {on = 1; next} /^```/ {if (on) exit} on')
case "$first_block" in *"apt-get install make git"*) ok "the set-up installs make and git first" ;;
*) not_ok "the set-up installs make and git first" "first sh block: $first_block" ;; esac
printf '%s\n' "$setup" | grep -q "repository root" && ok "it says the tour runs from the repository root" ||
	not_ok "it says where the tour runs"
printf '%s\n' "$setup" | grep -q "make install" && ok "or after make install" || not_ok "or after make install"

# --- tests/deps.sh, with apt and dpkg stubbed: zsh is installed, the others not
mkdir bin
cat >bin/dpkg-query <<'SH'
#!/bin/sh
for p; do :; done
[ "$p" = zsh ] && printf 'install ok installed'
exit 0
SH
cat >bin/apt-get <<'SH'
#!/bin/sh
echo "apt-get $*" >>"$T_DIR/apt.calls"
echo "Selecting previously unselected package libfoo."
echo "Unpacking libfoo (1.0) ..."
case "$*" in *install*) [ -e "$T_DIR/apt.fail" ] && { echo "E: Unable to locate package fish"; exit 100; } ;; esac
exit 0
SH
printf '#!/bin/sh\necho 0\n' >bin/id
chmod +x bin/*
deps() { T_DIR=$T_DIR DEPS_LOG="$T_DIR/deps.log" PATH="$T_DIR/bin:$PATH" sh "$PGTCTL_TOP/tests/deps.sh" "$@"; }

run deps zsh fish tmux
expect_status 0 "deps.sh installs what is missing"
if grep -q -- "install -y --no-install-recommends fish tmux$" apt.calls; then ok "without Recommends, only the missing"
else not_ok "without Recommends, only the missing" "$(cat apt.calls)"; fi
[ "$(wc -l <out)" -eq 2 ] && ok "one line per step" || not_ok "one line per step" "$(tr '\n' '|' <out)"
expect_out_has "pgtctl: installing fish tmux" "naming the packages"
expect_err_empty "nothing else on the terminal"
grep -q "Unpacking libfoo" deps.log && ok "apt's output is in the log" || not_ok "apt's output is in the log"

touch apt.fail
run deps fish
expect_status 1 "a failed install fails"
expect_err_has "E: Unable to locate package fish" "and shows the log"
expect_err_has "$T_DIR/deps.log" "and names it"

rm apt.calls
run deps zsh
expect_status 0 "nothing missing: success"
[ ! -s out ] && [ ! -e apt.calls ] && ok "silently, without apt" || not_ok "silently, without apt" "$(cat out)"

# --- make check: every stage runs and the last line is the verdict (make
# itself stubbed: a stage runs as "$MAKE STAGE")
cat >bin/fakemake <<'SH'
#!/bin/sh
echo "stage $*" >>"$T_DIR/stages"
echo "output of $*"
case "$*" in *valgrind*) [ -e "$T_DIR/valgrind.fail" ] && exit 2 ;; esac
exit 0
SH
chmod +x bin/fakemake
run mk -o check-deps check MAKE="$T_DIR/bin/fakemake" T_DIR="$T_DIR"
expect_status 0 "make check passes when every stage does"
[ "$(tail -n 1 out)" = "make check: 7 passed, 0 failed" ] && ok "its last line is the verdict" ||
	not_ok "its last line is the verdict" "$(tail -n 3 out | tr '\n' '|')"
want="stage --no-print-directory test|stage --no-print-directory test SANITIZE=1|stage --no-print-directory valgrind|"
want="${want}stage --no-print-directory warnings|stage --no-print-directory abi-check|"
want="${want}stage --no-print-directory fuzz-run FUZZ_SECONDS=5|stage --no-print-directory deb|"
[ "$(tr '\n' '|' <stages)" = "$want" ] && ok "the stages: plain, sanitized, valgrind, warnings, ABI, fuzz, packages" ||
	not_ok "the stages" "$(tr '\n' '|' <stages)"
touch valgrind.fail
rm stages
run mk -o check-deps check MAKE="$T_DIR/bin/fakemake" T_DIR="$T_DIR"
[ "$status" -ne 0 ] && ok "a failed stage fails make check" || not_ok "a failed stage fails make check"
[ "$(wc -l <stages)" -eq 7 ] && ok "and the stages after it still run" || not_ok "later stages run" "$(cat stages)"
[ "$(tail -n 1 out)" = "make check: 6 passed, 1 failed (valgrind)" ] && ok "the verdict names it" ||
	not_ok "the verdict names it" "$(tail -n 3 out | tr '\n' '|')"
done_testing
