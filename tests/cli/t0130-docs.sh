#!/bin/sh
# SPDX-License-Identifier: MIT
# Docs cannot drift: the man pages are lint-clean, and the commands and
# options of the built-in help and pgtctl(1) agree: its COMMANDS, every
# option, its SYNOPSIS (as git's t0450 holds each SYNOPSIS to -h) and its
# FAULT KINDS. (The completions have no lists to drift: pgtctl completes
# from the tables it parses with, t0131.)
. "$(dirname "$0")/lib.sh"
MAN="$PGTCTL_TOP/man"

for page in pgtctl.1 pgtctl-spec.5 libpgt.3; do
	groff -man -ww -z "$MAN/$page" >out 2>err
	expect_err_empty "groff -man -ww: $page has no warnings"
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$MAN/$page" >/dev/null 2>err
	expect_err_empty "man --warnings: $page is clean"
done

# commands from --help
"$PGTCTL" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 {print $1}' | sort >help.cmds
# commands in the man page's COMMANDS section (.TP then .B/.BI/.BR name)
awk '/^\.SH COMMANDS/ {on = 1; next} /^\.SH/ {on = 0} on' "$MAN/pgtctl.1" | grep -A1 '^\.TP' |
	sed -n 's/^\.B[IR]\{0,1\} "\{0,1\}\([a-z]*\).*/\1/p' | grep . | sort -u >man.cmds
if cmp -s help.cmds man.cmds; then ok "pgtctl(1) documents every command"; else
	not_ok "pgtctl(1) documents every command" "$(diff help.cmds man.cmds | tr '\n' ' ')"; fi

# every command's options from its --help are in the man page
for cmd in $(cat help.cmds); do
	"$PGTCTL" "$cmd" --help | grep -o -- ' --[a-z-]*\| -o ' | tr -d ' ' | sort -u >opts
	missing=""
	for o in $(cat opts); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN/pgtctl.1" || missing="$missing $o"
	done
	if [ -z "$missing" ]; then ok "pgtctl(1) has every option of $cmd"; else
		not_ok "pgtctl(1) has every option of $cmd" "missing:$missing"; fi
done

# SYNOPSIS: a line for every command, naming only options its --help has
awk '/^\.SH SYNOPSIS/ {on = 1; next} /^\.SH/ {on = 0} on' "$MAN/pgtctl.1" | sed 's/\\-/-/g' |
	awk '/^\.B pgtctl [a-z]/ {cmd = $3; print cmd; next} cmd {print cmd "\t" $0}' >synopsis
for cmd in $(cat help.cmds); do
	if grep -qx "$cmd" synopsis; then ok "SYNOPSIS has $cmd"; else not_ok "SYNOPSIS has $cmd"; fi
	"$PGTCTL" "$cmd" --help >help.out
	unknown=""
	for o in $(grep "^$cmd	" synopsis | cut -f2 | tr -c -- '-a-z\n' ' ' | tr ' ' '\n' | grep -- '^--\{0,1\}[a-z]' | sort -u); do
		grep -q -- " $o[ ,=]" help.out || unknown="$unknown $o"
	done
	[ -z "$unknown" ] && ok "SYNOPSIS of $cmd names options it has" ||
		not_ok "SYNOPSIS of $cmd names options it has" "not in $cmd --help:$unknown"
done

# fault kinds and their fields: fault --help and pgtctl(1)'s FAULT KINDS
# agree
"$PGTCTL" fault --help | sed -n '/^Kinds and their/,$ s/^  \([a-z0-9-]*\): \(.*\)/\1 \2/p' | tr -d '*' >kinds
[ "$(wc -l <kinds)" -ge 6 ] && ok "fault --help lists the kinds" || not_ok "fault --help lists the kinds"
awk '/^\.SH FAULT KINDS/ {on = 1; next} /^\.SH/ {on = 0} on' "$MAN/pgtctl.1" >man.kinds
while read -r kind fields; do
	# the kind's paragraph: from its .B line to the next .TP
	awk -v k="$(echo "$kind" | sed 's/-/\\\\-/g')" '$0 == ".B " k {on = 1; next} /^\.TP/ {on = 0} on' \
		man.kinds >para
	[ -s para ] && ok "pgtctl(1) FAULT KINDS has $kind" || not_ok "pgtctl(1) FAULT KINDS has $kind"
	mm=""
	for fld in $fields; do
		grep -q "^\.BR\{0,1\} $fld\( \|\$\)" para || mm="$mm $fld"
	done
	[ -z "$mm" ] && ok "pgtctl(1) documents the fields of $kind" || not_ok "man fields of $kind" "missing:$mm"
done <kinds

done_testing
