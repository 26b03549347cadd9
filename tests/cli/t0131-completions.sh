#!/bin/sh
# SPDX-License-Identifier: MIT
# make install-tool (the tool's half of make install) puts everything under
# $DESTDIR$PREFIX, the completions where
# Debian's bash, zsh and fish look for them; and those shells, loading the
# installed files their own way, complete pgtctl's command lines, --opt=value
# included, by asking the installed pgtctl (pgtctl __complete), which
# completes from the tables it parses with and the library's lists.
. "$(dirname "$0")/lib.sh"
for sh in bash zsh fish; do
	command -v $sh >/dev/null || { not_ok "$sh is installed (make check-deps)"; done_testing; exit 1; }
done
[ -f /usr/share/bash-completion/bash_completion ] || {
	not_ok "bash-completion is installed (make check-deps)"; done_testing; exit 1; }

# make install-tool from a copy of what it installs, the binary under test as ./pgtctl
mkdir tree
cp -r "$PGTCTL_TOP/Makefile" "$PGTCTL_TOP/man" "$PGTCTL_TOP/completions" tree/
cp "$PGTCTL" tree/pgtctl
install_to() { # DESTDIR PREFIX
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C tree -o pgtctl install-tool \
		INSTALL_PGTCTL=pgtctl DESTDIR="$1" PREFIX="$2" >install.out 2>&1 || { cat install.out; return 1; }
	(cd "$1" && find . -type f | sed 's/^\.//' | sort)
}
expect_files() { # DESC WANT-FILE
	if [ "$(cat got)" = "$(cat "$2")" ]; then ok "$1"; else not_ok "$1" "$(diff "$2" got | tr '\n' '|')"; fi
}

# --- where the files go
home=/home/someone
install_to "$T_DIR/local" /usr/local >got
printf '%s\n' /usr/local/bin/pgtctl /usr/local/share/bash-completion/completions/pgtctl \
	/usr/local/share/fish/vendor_completions.d/pgtctl.fish /usr/local/share/man/man1/pgtctl.1 \
	/usr/local/share/man/man5/pgtctl-spec.5 /usr/local/share/zsh/site-functions/_pgtctl >want
expect_files "PREFIX=/usr/local: all of it under /usr/local, zsh's in site-functions" want
install_to "$T_DIR/usr" /usr >got
sed 's|/usr/local|/usr|; s|site-functions|vendor-completions|' want >want.usr
expect_files "PREFIX=/usr: zsh's in vendor-completions" want.usr
install_to "$T_DIR/user" "$home/.local" >got
sed "s|/usr/local|$home/.local|" want >want.user
expect_files "PREFIX=~/.local: all of it under ~/.local, nothing in /usr" want.user

zsh -fc 'print -l $fpath' >zsh.fpath
grep -qx /usr/local/share/zsh/site-functions zsh.fpath && ok "Debian's zsh reads /usr/local/share/zsh/site-functions" ||
	not_ok "zsh's fpath has site-functions" "$(tr '\n' ' ' <zsh.fpath)"
grep -qx /usr/share/zsh/vendor-completions zsh.fpath && ok "and /usr/share/zsh/vendor-completions" ||
	not_ok "zsh's fpath has vendor-completions" "$(tr '\n' ' ' <zsh.fpath)"
fish_path() { env -u XDG_DATA_DIRS "$@" fish -c 'printf "%s\n" $fish_complete_path'; }
fish_path HOME=$home | grep -qx /usr/share/fish/vendor_completions.d && ok "fish reads /usr/share's" ||
	not_ok "fish reads /usr/share's vendor_completions.d"
fish_path HOME=$home | grep -qx "$home/.local/share/fish/vendor_completions.d" && ok "and ~/.local/share's" ||
	not_ok "fish reads ~/.local/share's vendor_completions.d"
fish_path HOME=$home XDG_DATA_DIRS=/usr/local/share:/usr/share |
	grep -qx /usr/local/share/fish/vendor_completions.d && ok "and /usr/local/share's when XDG_DATA_DIRS names it" ||
	not_ok "fish reads /usr/local/share's vendor_completions.d with XDG_DATA_DIRS"

# --- bash: bash-completion finds the file where it searches (XDG_DATA_DIRS,
# /usr/local/share first by default; ~/.local/share for a user), then its
# function is called with COMP_WORDS as bash splits them ("=" is a word)
bash_loads() { # ENV...: complete -p after bash-completion loaded pgtctl's
	env "$@" bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion
		__load_completion pgtctl; complete -p pgtctl' 2>&1
}
[ "$(bash_loads XDG_DATA_DIRS="$T_DIR/local/usr/local/share")" = "complete -o filenames -F _pgtctl pgtctl" ] &&
	ok "bash-completion loads the PREFIX=/usr/local file" ||
	not_ok "bash-completion loads the PREFIX=/usr/local file" "$(bash_loads XDG_DATA_DIRS="$T_DIR/local/usr/local/share")"
[ "$(bash_loads HOME="$T_DIR/user$home")" = "complete -o filenames -F _pgtctl pgtctl" ] &&
	ok "and the PREFIX=~/.local one" || not_ok "bash-completion loads the PREFIX=~/.local file"

BIN="$T_DIR/local/usr/local/bin"
bash_completes() { # WORD...: COMPREPLY for the last word
	PATH="$BIN:$PATH" XDG_DATA_DIRS="$T_DIR/local/usr/local/share" bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion
		__load_completion pgtctl
		cd "$0" || exit
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_pgtctl pgtctl; echo "${COMPREPLY[*]}"' "$PGTCTL_TOP" "$@"
}
bash_case() { # DESC WANT WORD...
	b_desc=$1 b_want=$2
	shift 2
	b_got=$(bash_completes "$@")
	[ "$b_got" = "$b_want" ] && ok "bash: $b_desc" || not_ok "bash: $b_desc" "got: $b_got" "want: $b_want"
}
bash_case "a command" "translate" pgtctl tr
bash_case "help's command" "translate" pgtctl help tr
bash_case "--format NAME" "arm-64-lpae-s1 arm-64-lpae-s2" pgtctl dump --format arm-64
bash_case "--format=NAME" "arm-64-lpae-s1 arm-64-lpae-s2" pgtctl dump --format = arm-64
bash_case "--format= (nothing typed)" "arm-v7s" pgtctl dump --ias = 32 --format = arm-v
bash_case "--quirks=LIST" "arm-ns,arm-ttbr1" pgtctl info --quirks = arm-ns,arm-t
bash_case "--prot=LIST" "read,noexec" pgtctl map x --prot = read,no
bash_case "--output=" "text yaml" pgtctl dump x --output =
bash_case "--dump=FILE" "samples/smmuv3-s1-4k.yaml" pgtctl info --dump = samples/smmuv3-s1
bash_case "the option after --opt=value" "--verbose" pgtctl translate --format = arm-v7s --verb
bash_case "build --raw is a flag: the spec follows" "samples/smmuv3-s1-4k.yaml" pgtctl build --raw samples/smmuv3-s1
bash_case "a fault field of --kind=KIND" "faultstatus= faultaddress=" pgtctl fault x --kind = mali fa
bash_case "hw=NAME" "t8103 t8110" pgtctl fault x --kind = apple-dart hw = t81
bash_case "the fault kinds" "amd-vi amd-vi-event" pgtctl fault x --kind amd
bash_case "the IOMMU kinds" "amd-vi intel-vtd smmuv3 riscv" pgtctl devices --iommu ""
bash_case "--kernel before the command" "7.3" pgtctl --kernel 7
bash_case "a source option before the command" "arm-v7s" pgtctl --format arm-v
bash_case "the levels --format's format takes" "4 5" pgtctl info --format amd-iommu-v2 --levels ""
bash_case "the quirks --format's format takes" "arm-mtk-ext arm-mtk-ttbr-ext" pgtctl info --format arm-v7s --quirks arm-m
bash_case "emit's --raw is a flag" "--elf" pgtctl emit --raw --e
bash_case "map's --pgsize SIZE: no file names" "" pgtctl map --pgsize sam
bash_case "a session's commands are not the shell's" "" pgtctl undo

# --- zsh: compinit autoloads _pgtctl from the installed site-functions
zsh_case() { # DESC WANT LINE
	z_got=$(cd "$PGTCTL_TOP" && PATH="$BIN:$PATH" timeout 60 zsh -f "$PGTCTL_TOP/tests/tools/zsh-complete.zsh" \
		"$T_DIR/local/usr/local/share/zsh/site-functions" "$3" | tr '\n' ' ' | sed 's/ $//')
	[ "$z_got" = "$2" ] && ok "zsh: $1" || not_ok "zsh: $1" "got: $z_got" "want: $2"
}
zsh_case "a command" "translate" "pgtctl tr"
zsh_case "help" "help" "pgtctl he"
zsh_case "help's command" "translate" "pgtctl help tr"
zsh_case "--format NAME" "arm-64-lpae-s1 arm-64-lpae-s2" "pgtctl dump --format arm-64"
zsh_case "--format=NAME" "--format=arm-64-lpae-s1 --format=arm-64-lpae-s2" "pgtctl dump --format=arm-64"
zsh_case "--prot=LIST" "--prot=read,noexec" "pgtctl map x --prot=read,no"
zsh_case "a command's option" "--split" "pgtctl unmap --sp"
zsh_case "a fault field of --kind=KIND" "faultstatus faultaddress" "pgtctl fault x --kind=mali fa"
zsh_case "a word-valued field" "hw=t8103 hw=t8110" "pgtctl fault x --kind=apple-dart hw=t81"
zsh_case "the IOMMU kinds" "--iommu=smmuv3" "pgtctl scan --iommu=sm"

# --- fish: autoloaded from vendor_completions.d on its path, for the
# installed pgtctl on the PATH
fish_case() { # DESC WANT LINE
	f_got=$(cd "$PGTCTL_TOP" && env HOME="$T_DIR/user$home" XDG_DATA_DIRS="$T_DIR/local/usr/local/share" \
		PATH="$T_DIR/local/usr/local/bin:$PATH" fish -c "complete -C '$3'" | cut -f1 | tr '\n' ' ' |
		sed 's/ $//')
	[ "$f_got" = "$2" ] && ok "fish: $1" || not_ok "fish: $1" "got: $f_got" "want: $2"
}
fish_case "a command" "translate" "pgtctl tr"
fish_case "help's command" "translate" "pgtctl help tr"
fish_case "--format NAME" "arm-64-lpae-s1 arm-64-lpae-s2" "pgtctl dump --format arm-64"
fish_case "--format=NAME" "--format=arm-64-lpae-s1 --format=arm-64-lpae-s2" "pgtctl dump --format=arm-64"
fish_case "a command's option" "--split" "pgtctl unmap --sp"
fish_case "the fields of the fault's --kind only" "faultaddress= faultstatus=" "pgtctl fault x --kind=mali fa"
fish_case "--raw FILE of a source" "samples/smmuv3-s1-4k.yaml" "pgtctl info --raw samples/smmuv3-s1"
fish_case "the kernels" "6.12 7.3" "pgtctl formats --kernel "

# the shims hold no lists of their own to drift: no command, option, format
# or fault kind is named in them
for f in pgtctl.bash _pgtctl pgtctl.fish; do
	if grep -n -e translate -e '--format' -e arm-64 -e mali "$PGTCTL_TOP/completions/$f" >named; then
		not_ok "completions/$f names nothing of pgtctl's" "$(tr '\n' '|' <named)"
	else
		ok "completions/$f names nothing of pgtctl's"
	fi
done
done_testing
