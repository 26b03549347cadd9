# SPDX-License-Identifier: MIT
"""drgn -c VMCORE -s VMLINUX .../pgt/drgn/iommu.py COMMAND ...: the
helper's commands as a drgn script, on the Program drgn's command line
opened (pgt-drgn(1))."""

import sys

from pgt.drgn.cli import main

sys.exit(main(prog, sys.argv[1:]))  # noqa: F821 (drgn's script global)
