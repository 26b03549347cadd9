#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl(1) DIAGNOSTICS: the command line, values, sources, files and
# sessions. Every message is triggered by real bad input and shows with its
# exit status; t0229 checks that no message of the catalogue is left out.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null
MEM="--dump a.img --format arm-64-lpae-s1 --root 0x80000000"

# --- the command line
diag "Usage: pgtctl" pgtctl
diag "unknown command 'WORD' (see" pgtctl frobnicate
diag "did you mean 'COMMAND'" pgtctl trnaslate a.img 0x0
diag "ambiguous command" pgtctl d a.img
diag "before the command" pgtctl --raw a.img emit -o a.raw
expect_err_has "pgtctl: emit: unexpected argument 'a.img' before the command" "emit's --raw takes no FILE"
diag "COMMAND: unknown option" pgtctl translate a.img 0x0 --bogus
diag "unknown option 'OPTION'" pgtctl --bogus
diag "is ambiguous" pgtctl map a.img --p r 0x0 0x0 4K
diag "needs a value" pgtctl translate --ias
diag "takes no value" pgtctl translate a.img 0x0 --verbose=yes
diag "COMMAND takes" pgtctl formats x
diag "COMMAND takes" pgtctl check a.img x
diag "COMMAND takes" pgtctl whereis a.img
diag "COMMAND takes" pgtctl batch
diag "COMMAND needs WHAT" pgtctl translate a.img
diag "COMMAND needs WHAT" pgtctl info
diag "COMMAND needs WHAT" pgtctl emit a.img --raw
diag "COMMAND needs WHAT" pgtctl scan --format arm-64-lpae-s1
diag "the address alone, -v the whole walk" pgtctl translate a.img 0x0 --pa -v
# shellcheck disable=SC2046
diag "too many arguments" pgtctl translate a.img $(seq 1 70)
diag "--output:" pgtctl dump a.img --output json
# shellcheck disable=SC2086
diag "--endian:" pgtctl dump $MEM --endian middle
# shellcheck disable=SC2086
diag "scan finds the roots" pgtctl scan $MEM
diag "--range: LO-HI" pgtctl free a.img --range 0x1000
diag "HI is below LO" pgtctl free a.img --range 0x2000-0x1000
diag "whereis: the range" pgtctl whereis a.img 0x1000 0
diag "--descriptors compares" pgtctl diff --descriptors a.img "$SAMPLES/apple-m1-dart.yaml"
diag "not an IMAGE;" pgtctl map "$SAMPLES/smmuv3-s1-4k.yaml" 0x0 0x0 4K

# --- numbers, sizes, prot and quirks
diag "is not a number" pgtctl translate a.img 0x12q
printf '0x10000000\nzz\n' >iovas
diag "is not a number" pgtctl translate a.img - <iovas
expect_err_has "stdin:2: 'zz' is not a number" "translate - names the line"
diag "does not fit in 64 bits" pgtctl translate a.img 0x10000000000000000
diag "does not fit in 64 bits" pgtctl map a.img 0x0 0x0 20000000T
diag "is too long to be one" pgtctl info a.img --pgsize-bitmap "4K,8$(printf '%070d' 0)K"
diag "is larger than" pgtctl translate --ias 99 a.img 0x0
# shellcheck disable=SC2086
diag "has no option" pgtctl info $MEM --mode 7
diag "is MIN to MAX" pgtctl translate --dump a.img --format amd-iommu-v1 --root 0x80000000 --mode 7 0x0
diag "is not a power of two" pgtctl free a.img --size 4K --align 3K
# shellcheck disable=SC2086
diag "is not a power of two" pgtctl info $MEM --pgsize-bitmap 4K,3K
# shellcheck disable=SC2086
diag "is not a power of two" pgtctl info $MEM --cpu-page-size 5K
diag "is not a prot" pgtctl map a.img 0x90000000 0x0 4K --prot rq
# shellcheck disable=SC2086
diag "unknown quirk" pgtctl info $MEM --quirks arm-nss
# shellcheck disable=SC2086
diag "is not yes or no" pgtctl info $MEM --coherent-walk maybe

# --- sources and memory options
diag "no SOURCE given" pgtctl diff a.img --format arm-64-lpae-s1
diag "need --format NAME" pgtctl translate --dump a.img --root 0x80000000 0x0
diag "need --root PA" pgtctl translate --dump a.img --format arm-64-lpae-s1 0x0
diag "formats')" pgtctl translate --dump a.img --format arm-65-lpae --root 0x80000000 0x0
diag "needs --mode N" pgtctl translate --dump a.img --format amd-iommu-v1 --root 0x80000000 0x0
pgtctl emit a.img -o a.raw --raw >/dev/null
diag "needs --base PA after it" pgtctl translate --raw a.raw --format arm-64-lpae-s1 --root 0x80000000 0x0
diag "give it right after" pgtctl translate --base 0x80000000 --raw a.raw --format arm-64-lpae-s1 --root 0x80000000 0x0
files=""
for i in $(seq 1 17); do files="$files --dump a.img"; done
# shellcheck disable=SC2086
diag "too many memory files" pgtctl translate $files --format arm-64-lpae-s1 --root 0x80000000 0x0
diag "at most N roots" pgtctl translate --dump a.img --format arm-64-lpae-s1 --root 1,2,3,4,5 0x0
diag "--root needs an address" pgtctl translate --dump a.img --format arm-64-lpae-s1 --root , 0x0
diag "apply to --dump/--raw" pgtctl translate a.img --format arm-64-lpae-s1 0x0
diag "N given" pgtctl translate --dump a.img --format arm-64-lpae-s1 --root 0x80000000,0x80001000 0x0
diag "is not aligned to ALIGN bytes" pgtctl translate --dump a.img --format arm-64-lpae-s1 --root 0x80000008 0x0
diag "is not inside the memory of" pgtctl translate --dump a.img --format arm-64-lpae-s1 --root 0x90000000 0x0
head -c 8192 a.raw >lo.raw
diag "both hold physical address" pgtctl translate --raw lo.raw --base 0x80000000 --raw lo.raw --base 0x80001000 \
	--format arm-64-lpae-s1 --root 0x80000000 0x0
expect_err_has "both hold physical address 0x80001000" "names the address"
# DART with 4K pages and 32 bits of IOVA has four TTBRs
diag "scan one at a time" pgtctl scan --raw a.raw --base 0x80000000 --format apple-dart --pgsize-bitmap 4K

# --- files
diag "FILE: SYSTEM-ERROR" pgtctl info no-such.img
expect_err_has "no-such.img: No such file or directory" "names the file and the reason"
diag "FILE: not a regular file" pgtctl build .
diag "FILE: not a regular file" pgtctl translate --raw . --base 0 --format arm-64-lpae-s1 --root 0 0x0

# --- sessions
diag "cannot run inside a session" pgtctl repl -c 'repl'
diag "works in a session" pgtctl new arm-64-lpae-s1
diag "no table loaded" pgtctl repl -c 'translate 0x0'
diag "no table loaded" pgtctl repl -c 'save x.img'
diag "the loaded table is read-only" pgtctl repl -c \
	'load --dump a.img --format arm-64-lpae-s1 --root 0x80000000; map 0x0 0x0 4K'
diag "save needs a FILE" pgtctl repl -c "load $SAMPLES/smmuv3-s1-4k.yaml; save"
diag "new makes an empty table" pgtctl repl -c 'new arm-64-lpae-s1 --root 0x0'
diag "nothing to undo" pgtctl repl -c 'undo'
diag "unbalanced quotes" pgtctl repl -c "translate 'x"
printf 'new arm-64-lpae-s1\nmap 0x0 0x0 4K\nquit\n' >dirty.batch
diag "lost as the script ends" pgtctl batch dirty.batch
expect_no_file x.img "a failed save writes nothing"
done_testing
