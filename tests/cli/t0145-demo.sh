#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo works: its commands (the demo-run target it ends with, run here
# on the pgtctl under test) exit 0 and show what they promise.
. "$(dirname "$0")/lib.sh"

run env -u MAKEFLAGS -u MAKELEVEL make -s -C "$PGTCTL_TOP" demo-run DEMO_PGTCTL="$PGTCTL" \
	DEMO_DIR="$T_DIR/demo"
expect_status 0 "make demo's commands succeed"
expect_err_empty "and say nothing on stderr"
expect_out_has '$ pgtctl build samples/smmuv3-s1-4k.yaml' "it shows each command"
expect_out_has "0x10000000 -> 0x880000000  4K  L3  rwcx" "translate"
expect_out_has "L2[129] @0x80002408 = 0x0060000881200f45 block 2M" "the walk"
expect_out_has "0x7f0000000 -> not mapped" "an IOVA that is not mapped"
expect_out_has "(exit status 1)" "whose exit status 1 is expected"
expect_out_has "0x0000000040000000-0x000000007fffffff -> 0x00000008c0000000     1G rwc" "dump"
[ -s demo/smmuv3.img ] && ok "the IMAGE is in DEMO_DIR" || not_ok "the IMAGE is in DEMO_DIR"

# the demo stops on a command that does not do what it shows
printf '#!/bin/sh\ncase "$*" in *0x7f0000000*) exec "%s" translate "$2" 0x10000000 ;; esac\nexec "%s" "$@"\n' \
	"$PGTCTL" "$PGTCTL" >fake
chmod +x fake
run sh "$PGTCTL_TOP/samples/demo.sh" "$T_DIR/fake" "$T_DIR/demo2"
expect_status 1 "a demo command with another exit status stops the demo"
expect_err_has "demo: pgtctl translate exited 0, not 1" "and says which"
done_testing
