# SPDX-License-Identifier: MIT
# A small TAP library for the CLI tests (after git's t/test-lib.sh): each
# script runs in a fresh temporary directory; `run` captures a command's
# status, stdout and stderr; the expect_* helpers each emit one TAP line.

: "${PGTCTL:?run through tests/run.sh (make check)}"
: "${PGTCTL_TOP:?run through tests/run.sh (make check)}"
SAMPLES="$PGTCTL_TOP/samples"
GOLDEN="$PGTCTL_TOP/tests/cli/golden"
DATA="$PGTCTL_TOP/tests/data"
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-cli.XXXXXX")
trap 'rm -rf "$T_DIR"' EXIT
cd "$T_DIR" || exit 1
t_n=0
t_fail=0

pgtctl() { "$PGTCTL" "$@"; }
# tools that craft and damage input files
elftool() { python3 "$PGTCTL_TOP/tests/tools/elftool.py" "$@"; }
kdumptool() { python3 "$PGTCTL_TOP/tests/tools/kdumptool.py" "$@"; }
MKKDUMP="$(dirname "$PGTCTL")/tests/tools/mkkdump"

ok() {
	t_n=$((t_n + 1))
	echo "ok $t_n - $1"
}

not_ok() {
	t_n=$((t_n + 1))
	t_fail=$((t_fail + 1))
	echo "not ok $t_n - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
}

# run CMD...: status in $status, output in out and err
run() {
	"$@" >out 2>err
	status=$?
}

expect_status() {
	if [ "$status" -eq "$1" ]; then ok "$2"; else
		not_ok "$2" "exit status $status, want $1" "stderr: $(head -c 400 err)"
	fi
}

# expect_output GOLDEN-NAME DESC: stdout equals tests/cli/golden/NAME
expect_golden() {
	if [ -n "$PGTCTL_REGOLD" ]; then cp out "$GOLDEN/$1"; fi
	if cmp -s out "$GOLDEN/$1"; then ok "$2"; else
		not_ok "$2" "stdout differs from golden/$1:" "$(diff "$GOLDEN/$1" out | head -20 | tr '\n' '|')"
	fi
}

expect_out() {
	if printf '%s\n' "$1" | cmp -s - out; then ok "$2"; else
		not_ok "$2" "stdout: $(head -c 400 out | tr '\n' '|')" "want: $1"
	fi
}

expect_out_has() {
	if grep -qF -- "$1" out; then ok "$2"; else
		not_ok "$2" "stdout lacks: $1" "stdout: $(head -c 400 out | tr '\n' '|')"
	fi
}

expect_err_has() {
	if grep -qF -- "$1" err; then ok "$2"; else
		not_ok "$2" "stderr lacks: $1" "stderr: $(head -c 400 err | tr '\n' '|')"
	fi
}

expect_err_empty() {
	if [ ! -s err ]; then ok "$1"; else not_ok "$1" "stderr: $(head -c 400 err)"; fi
}

expect_json() {
	if python3 -c 'import json,sys; json.load(open("out"))' 2>/dev/null; then ok "$1"; else
		not_ok "$1" "not valid JSON: $(head -c 400 out)"
	fi
}

# expect_py EXPR DESC: a Python expression over j (the parsed stdout JSON)
expect_py() {
	if python3 -c "import json,sys; j=json.load(open('out')); sys.exit(0 if ($1) else 1)" 2>/dev/null; then
		ok "$2"
	else
		not_ok "$2" "false: $1" "stdout: $(head -c 400 out | tr '\n' '|')"
	fi
}

# diag KEY CMD...: CMD fails as the message of pgtctl(1)'s DIAGNOSTICS whose
# text contains KEY says: with its exit status, and showing the message on
# stdout or stderr. t0229 checks that every message has a diag, so KEY is
# always a literal.
diag() {
	d_key=$1
	shift
	run "$@"
	diag_seen "$d_key" "$status" out err
}

# diag_seen KEY STATUS FILE...: the same for a command run elsewhere (at a
# terminal): its exit status, and FILEs with what it showed
diag_seen() {
	d_key=$1
	d_status=$2
	shift 2
	if d_why=$(python3 "$PGTCTL_TOP/tests/tools/diagnostics.py" match \
		"$PGTCTL_TOP/man/pgtctl.1" "$d_key" "$d_status" "$@"); then
		ok "diag: $d_key"
	else
		not_ok "diag: $d_key" "$(printf '%s' "$d_why" | tr '\n' '|')"
	fi
}

sum() { cksum <"$1"; }

expect_unchanged() {
	if [ "$(sum "$1")" = "$2" ]; then ok "$3"; else not_ok "$3" "$1 changed"; fi
}

expect_no_file() {
	if [ ! -e "$1" ] && ! ls -a | grep -q "^\.$1\."; then ok "$2"; else not_ok "$2" "$1 or a temporary of it exists"; fi
}

done_testing() {
	echo "1..$t_n"
	[ "$t_fail" -eq 0 ]
}
