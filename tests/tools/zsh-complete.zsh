# SPDX-License-Identifier: MIT
# zsh -f zsh-complete.zsh DIR LINE: the matches zsh's completion system
# offers for LINE (Tab at its end), one a line, with the completion
# functions of DIR first in fpath. zsh completes only inside its line
# editor, so an interactive zsh runs on a pseudo-terminal (zpty), with
# compadd wrapped to print each match it is given (with the prefix it keeps
# in front, as in --prot=read,noexec).
zmodload zsh/zpty || exit 2
dir=$1 line=$2
zpty z zsh -f -i
zpty -w z 'PS1="" PS2="" RPS1=""'
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
# (a compadd that only queries matches, with -O, -A or -D, offers none)
zpty -w z 'compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
	local -a __hits __pre
	builtin compadd -A __hits "$@"
	zparseopts -E P:=__pre
	local h; for h in $__hits; do print -r -- "__match__ $IPREFIX${__pre[2]}$h"; done
}'
# the markers are written split, so that their echo on the terminal is not them
zpty -w z '_cap_begin() { print -r -- "__be""gin__" }; _cap_end() { print -r -- "__e""nd__"; exit }'
zpty -w z 'compprefuncs=(_cap_begin); comppostfuncs=(_cap_end)'
zpty -w z 'print -r -- __re""ady__'
while zpty -r z l; do [[ $l == __ready__* ]] && break; done
zpty -w -n z "$line"$'\t'
on=0
while zpty -r z l; do
	l=${l//[$'\r\n']/}
	[[ $l == *__end__* ]] && break
	[[ $l == *__begin__* ]] && { on=1; continue }
	(( on )) && [[ $l == *__match__\ * ]] && print -r -- "${l#*__match__ }"
done
zpty -d z
