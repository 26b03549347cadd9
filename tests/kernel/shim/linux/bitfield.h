/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/bitfield.h>: everything is in kshim.h. */
#include <kshim.h>
