# SPDX-License-Identifier: MIT
# bash completion for pgtctl: pgtctl completes its own command lines
# (pgtctl __complete WORD... CURRENT prints the candidates, then ":nospace"
# and ":files PREFIX" when they apply); this only hands it the words.

# bash splits "--opt=value" and "field=value" at the "=" (it is in
# COMP_WORDBREAKS): join them again into words[], cword the word completed.
_pgtctl_words()
{
	words=() cword=0
	local i w join=false
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((i > 1)) && { $join || [[ $w == =* && ${COMP_WORDS[i - 1]} != *= ]]; }; then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
		join=false
		[[ $w == *= ]] && join=true
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
}

_pgtctl()
{
	local words cword line files=false fpre="" nospace=false
	COMPREPLY=()
	_pgtctl_words
	local cur=${words[cword]}
	while IFS= read -r line; do
		case $line in
		:nospace) nospace=true ;;
		:files*) files=true fpre=${line#:files} fpre=${fpre# } ;;
		*) COMPREPLY+=("${line%%$'\t'*}") ;;
		esac
	done < <("${words[0]}" __complete "${words[@]:1:cword}" 2>/dev/null)
	if $files; then
		while IFS= read -r line; do
			COMPREPLY+=("$fpre$line")
		done < <(compgen -f -- "${cur#"$fpre"}")
	fi
	$nospace && compopt -o nospace 2>/dev/null
	# bash replaces the part of the word after its last "=" or ":" when
	# those break words: the candidates keep only that part
	local breaks=${COMP_WORDBREAKS//[^=:]/} tail=$cur
	[ -n "$breaks" ] && tail=${cur##*["$breaks"]}
	local keep=${cur%"$tail"}
	[ -n "$keep" ] && COMPREPLY=("${COMPREPLY[@]#"$keep"}")
	return 0
}
complete -o filenames -F _pgtctl pgtctl
