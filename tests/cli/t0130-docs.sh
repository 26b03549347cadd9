#!/bin/sh
# SPDX-License-Identifier: MIT
# Docs cannot drift: the man pages are lint-clean, and the commands and
# options of the built-in help, pgtctl(1) and the bash completion agree.
. "$(dirname "$0")/lib.sh"
MAN="$PGTCTL_TOP/man"
COMP="$PGTCTL_TOP/completions/pgtctl.bash"

for page in $(cd "$MAN" && ls); do
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
bash -c ". $COMP; echo \$_pgtctl_commands" | tr ' ' '\n' | sort >comp.cmds
if cmp -s help.cmds man.cmds; then ok "pgtctl(1) documents every command"; else
	not_ok "pgtctl(1) documents every command" "$(diff help.cmds man.cmds | tr '\n' ' ')"; fi
if cmp -s help.cmds comp.cmds; then ok "the completion knows every command"; else
	not_ok "the completion knows every command" "$(diff help.cmds comp.cmds | tr '\n' ' ')"; fi

# every command's options from its --help, in the man page and the completion
for cmd in $(cat help.cmds); do
	"$PGTCTL" "$cmd" --help | grep -o -- ' --[a-z-]*\| -o ' | tr -d ' ' | sort -u >opts
	missing_man="" missing_comp=""
	comp=$(bash -c ". $COMP; _pgtctl_options $cmd" | tr '\n' ' ')
	for o in $(cat opts); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN/pgtctl.1" || missing_man="$missing_man $o"
		case " $comp " in *" $o "*) ;; *) missing_comp="$missing_comp $o" ;; esac
	done
	if [ -z "$missing_man" ]; then ok "pgtctl(1) has every option of $cmd"; else
		not_ok "pgtctl(1) has every option of $cmd" "missing:$missing_man"; fi
	if [ -z "$missing_comp" ]; then ok "the completion has every option of $cmd"; else
		not_ok "the completion has every option of $cmd" "missing:$missing_comp"; fi
done

# zsh and fish know the same commands and options
ZSH="$PGTCTL_TOP/completions/_pgtctl" FISH="$PGTCTL_TOP/completions/pgtctl.fish"
for cmd in $(cat help.cmds); do
	grep -q "'$cmd:" "$ZSH" && ok "zsh completion has $cmd" || not_ok "zsh completion has $cmd"
	grep -q -- "-a $cmd -d" "$FISH" && ok "fish completion has $cmd" || not_ok "fish completion has $cmd"
	"$PGTCTL" "$cmd" --help | grep -o -- ' --[a-z-]*' | tr -d ' ' | sort -u >opts
	mz="" mf=""
	for o in $(cat opts); do
		grep -q -- "'\*\{0,1\}$o=\{0,1\}\[\|{.*$o}" "$ZSH" || mz="$mz $o"
		grep -q -- "-l ${o#--}\b" "$FISH" || mf="$mf $o"
	done
	[ -z "$mz" ] && ok "zsh completion has the options of $cmd" || not_ok "zsh options of $cmd" "missing:$mz"
	[ -z "$mf" ] && ok "fish completion has the options of $cmd" || not_ok "fish options of $cmd" "missing:$mf"
done

# fault kinds and their fields: fault --help, pgtctl(1)'s FAULT KINDS and
# the three completions agree
"$PGTCTL" fault --help | sed -n '/^Kinds and their/,$ s/^  \([a-z0-9-]*\): \(.*\)/\1 \2/p' | tr -d '*' >kinds
[ "$(wc -l <kinds)" -ge 6 ] && ok "fault --help lists the kinds" || not_ok "fault --help lists the kinds"
awk '/^\.SH FAULT KINDS/ {on = 1; next} /^\.SH/ {on = 0} on' "$MAN/pgtctl.1" >man.kinds
comp_kinds=$(bash -c ". $COMP; echo \$_pgtctl_fault_kinds")
[ "$comp_kinds" = "$(cut -d' ' -f1 kinds | tr '\n' ' ' | sed 's/ $//')" ] &&
	ok "the bash completion has every fault kind, in order" || not_ok "bash fault kinds" "$comp_kinds"
while read -r kind fields; do
	# the kind's paragraph: from its .B line to the next .TP
	awk -v k="$(echo "$kind" | sed 's/-/\\\\-/g')" '$0 == ".B " k {on = 1; next} /^\.TP/ {on = 0} on' \
		man.kinds >para
	[ -s para ] && ok "pgtctl(1) FAULT KINDS has $kind" || not_ok "pgtctl(1) FAULT KINDS has $kind"
	mm="" mb="" mz="" mf=""
	bash_fields=$(bash -c ". $COMP; _pgtctl_fault_fields $kind")
	for fld in $fields; do
		grep -q "^\.BR\{0,1\} $fld\( \|\$\)" para || mm="$mm $fld"
		case " $bash_fields " in *" $fld= "*) ;; *) mb="$mb $fld" ;; esac
	done
	grep -q "^	$kind) fields=($fields) ;;" "$ZSH" || mz=" $fields"
	grep -q "^complete .* -a '$(echo "$fields" | sed 's/\([a-z0-9_]*\)/\1=/g')' -d '$kind field'" "$FISH" || mf=" $fields"
	[ -z "$mm" ] && ok "pgtctl(1) documents the fields of $kind" || not_ok "man fields of $kind" "missing:$mm"
	[ -z "$mb" ] && ok "bash completes the fields of $kind" || not_ok "bash fields of $kind" "missing:$mb"
	[ -z "$mz" ] && ok "zsh completes the fields of $kind" || not_ok "zsh fields of $kind" "want:$mz"
	[ -z "$mf" ] && ok "fish completes the fields of $kind" || not_ok "fish fields of $kind" "want:$mf"
done <kinds

# the completion, called as bash would
complete_words() {
	bash -c ". $COMP; COMP_WORDS=($1); COMP_CWORD=$2; _pgtctl; echo \${COMPREPLY[*]}"
}
[ "$(complete_words "pgtctl tr" 1)" = "translate" ] && ok "completes a command" || not_ok "completes a command"
[ "$(complete_words "pgtctl dump --format arm-64" 3)" = "arm-64-lpae-s1 arm-64-lpae-s2" ] &&
	ok "completes format names" || not_ok "completes format names" "$(complete_words "pgtctl dump --format arm-64" 3)"
[ "$(complete_words "pgtctl info --quirks arm-ns,arm-t" 3)" = "arm-ns,arm-ttbr1" ] &&
	ok "completes quirk lists" || not_ok "completes quirk lists"
[ "$(complete_words "pgtctl map x --prot read,no" 4)" = "read,noexec" ] &&
	ok "completes prot words" || not_ok "completes prot words"
[ "$(complete_words "pgtctl unmap --sp" 2)" = "--split" ] &&
	ok "completes a command's options" || not_ok "completes a command's options"

done_testing
