#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line: options before or after the command, prefixes, help,
# and errors as JSON.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null

run pgtctl --json translate a.img 0x10000000
expect_py 'j[0]["pa"] == "0x880000000"' "--json before the command"
run pgtctl translate a.img 0x10000000 -j
expect_py 'j[0]["pa"] == "0x880000000"' "-j after the arguments"
run pgtctl -v translate a.img 0x10000000
expect_out_has "L3[0] @0x80004000" "a command's option before the command"
run pgtctl --dump a.img --format arm-64-lpae-s1 --root 0x80000000 translate 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "source options before the command"
run pgtctl trans a.img 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "a unique prefix names the command"

# before the command, each command's own options say which words are their
# values: --raw is a FILE for the commands that read memory, a flag for
# build and emit; -s a SIZE for map, a flag for diff
pgtctl emit a.img -o a.raw --raw >/dev/null
run pgtctl --raw a.raw --base 0x80000000 --format arm-64-lpae-s1 --root 0x80000000 translate 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "--raw FILE before a command that reads memory"
run pgtctl --raw build "$SAMPLES/smmuv3-s1-4k.yaml" -o b.raw
expect_status 0 "--raw before build is build's flag"
cmp -s a.raw b.raw && ok "and build wrote raw memory" || not_ok "build --raw before the command wrote raw memory"
cp a.raw dump
run pgtctl --raw dump --base 0x80000000 --format arm-64-lpae-s1 --root 0x80000000 translate 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "a file named like a command, as the value of --raw"
cp a.img c.img
run pgtctl -s 4K map c.img 0x90000000 0x0 8K
expect_out_has "mapped 0x90000000+0x2000" "map's -s SIZE before the command"
run pgtctl -s diff a.img c.img
expect_status 1 "diff's -s flag before the command"
expect_out_has "only in B" "and the files after it are diff's"

# (every error message is tested in t0220-t0223; here only their JSON form)
run pgtctl --json frobnicate
expect_status 2 "an unknown command, with --json"
expect_py 'j == {"error": "unknown command '"'"'frobnicate'"'"' (see '"'"'pgtctl --help'"'"')"}' "is JSON"
run pgtctl translate a.img 0x0 --ias 99 --json
expect_py 'j == {"error": "--ias: 99 is larger than 64"}' "so is an option's error"

run pgtctl --help
expect_status 0 "--help"
for c in formats build map unmap translate dump info emit; do
	expect_out_has "  $c " "--help lists $c"
done
run pgtctl translate --help
expect_status 0 "a command's --help"
expect_out_has "--verbose" "shows its options"
expect_out_has "--dump=FILE" "and the source options"
run pgtctl --version
expect_out_has "pgtctl " "--version"

# help as git's: pgtctl help is --help, pgtctl help CMD is CMD --help
run pgtctl help
expect_status 0 "pgtctl help"
pgtctl --help >help.out
cmp -s out help.out && ok "is pgtctl --help" || not_ok "pgtctl help is pgtctl --help" "$(diff help.out out | head -5)"
expect_out_has "  help " "and lists itself"
run pgtctl help translate
expect_status 0 "pgtctl help COMMAND"
pgtctl translate --help >help.out
cmp -s out help.out && ok "is pgtctl COMMAND --help" || not_ok "help translate is translate --help"
run pgtctl help --json
expect_py '"translate" in [c["name"] for c in j["commands"]] and "load" not in [c["name"] for c in j["commands"]]' \
	"help --json lists the commands of the shell"
run pgtctl help trnaslate
expect_status 2 "help of an unknown command"
expect_err_has "did you mean 'translate'?" "says what was meant"

# a mistyped command: the nearest commands, ranked as git ranks them
for typo in trnaslate tranlate translaet fromats chekc dmup; do
	run pgtctl $typo a.img 0x10000000
	expect_status 2 "$typo is not a command"
	case $typo in tr*) want=translate ;; fr*) want=formats ;; ch*) want=check ;; dm*) want=dump ;; esac
	expect_err_has "pgtctl: unknown command '$typo'; did you mean '$want'?" "$typo: did you mean $want"
done
run pgtctl mpa
expect_err_has "did you mean 'map'?" "a swap of two letters is near"
run pgtctl x a.img
expect_err_has "unknown command 'x' (see 'pgtctl --help')" "a word near nothing gets no guess"
run pgtctl emti
expect_err_has "did you mean 'emit'?" "emti: emit"

# an option error names the option and why, once, then the usage in one
# line and where the rest is (as coreutils and git do)
opt_error() { # DESC WANT-FIRST-LINE CMD...
	o_desc=$1 o_want=$2
	shift 2
	run "$@"
	expect_status 2 "$o_desc: exit status 2"
	[ "$(head -n 1 err)" = "$o_want" ] && ok "$o_desc: says so" ||
		not_ok "$o_desc: says so" "got:  $(head -n 1 err)" "want: $o_want"
	[ "$(wc -l <err)" -eq 3 ] && ok "$o_desc: in three lines" || not_ok "$o_desc: three lines" "$(tr '\n' '|' <err)"
}
opt_error "an unknown option" "pgtctl: translate: unknown option '--bogus'" pgtctl translate a.img 0x0 --bogus
expect_err_has "Usage: pgtctl translate [OPTION...] SOURCE IOVA..." "the usage line"
expect_err_has "Try 'pgtctl translate --help' for more information." "and where the options are"
opt_error "a mistyped option" "pgtctl: translate: unknown option '--verbsoe'; did you mean '--verbose'?" \
	pgtctl translate a.img 0x0 --verbsoe
opt_error "--opt=value unknown" "pgtctl: dump: unknown option '--fromat'; did you mean '--format'?" \
	pgtctl dump --raw a.img --fromat=arm-64-lpae-s1
opt_error "an unknown short option" "pgtctl: translate: unknown option '-q'" pgtctl translate -q a.img 0x0
opt_error "inside a group of short options" "pgtctl: translate: unknown option '-q'" pgtctl translate -vqj a.img 0x0
opt_error "a missing value" "pgtctl: translate: option '--ias' needs a value (BITS)" pgtctl translate a.img 0x0 --ias
opt_error "a missing short value" "pgtctl: build: option '-o' needs a value (IMAGE)" pgtctl build x.yaml -o
opt_error "a value for a flag" "pgtctl: translate: option '--verbose' takes no value" pgtctl translate a.img --verbose=1 0x0
opt_error "an ambiguous prefix" "pgtctl: map: option '--p' is ambiguous (--prot, --pgsize)" pgtctl map a.img --p rw 0 0 4K
run pgtctl translate a.img 0x0 --bogus --json
expect_py 'j == {"error": "translate: unknown option '"'"'--bogus'"'"'"}' "with --json: the message, no usage"
opt_error "no command, an unknown option" "pgtctl: unknown option '--bogus'" pgtctl --bogus
expect_err_has "Usage: pgtctl [OPTION...] COMMAND [ARG...]" "the usage of pgtctl"
opt_error "no command, a mistyped option" "pgtctl: unknown option '--jsno'; did you mean '--json'?" pgtctl --jsno
run pgtctl --format arm-v7s
expect_status 2 "no command, good options: the usage"
expect_err_has "Commands:" "lists the commands"
printf 'translate 0x0 --bogus\n' >bad.batch
run pgtctl batch bad.batch
expect_err_has "Try 'translate --help' for more information." "in a session the hint names the session's command"
done_testing
