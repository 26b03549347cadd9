# SPDX-License-Identifier: MIT
"""python3 -m pgt.drgn -c VMCORE -s VMLINUX COMMAND ...: the helper's
commands on a vmcore, drgn opened by the helper (pgt-drgn(1))."""

import sys

from pgt.drgn.cli import main

sys.exit(main(None, sys.argv[1:], standalone=True))
