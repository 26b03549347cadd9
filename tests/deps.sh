#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh PACKAGE...: install the Debian packages named that are missing,
# without their Recommends (nothing here needs them). One line per step;
# apt's own output goes to a log (build/deps.log, or $DEPS_LOG), shown when
# a step fails.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
	echo "pgtctl: need root to install:$missing" >&2
	exit 1
fi
log=${DEPS_LOG:-$(cd "$(dirname "$0")/.." && pwd)/build/deps.log}
mkdir -p "$(dirname "$log")" && : >"$log" || exit 1

# step WHAT COMMAND...: say WHAT, run COMMAND into the log
step() {
	echo "pgtctl: $1"
	shift
	"$@" >>"$log" 2>&1 && return 0
	echo "pgtctl: that failed; the end of $log:" >&2
	tail -n 25 "$log" >&2
	return 1
}

# a failed update leaves the lists there were, which may do
step "updating the package lists" $sudo apt-get update ||
	echo "pgtctl: installing from the package lists there are" >&2
# shellcheck disable=SC2086
step "installing$missing (apt's output: $log)" \
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
