/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <asm/barrier.h>: everything is in kshim.h. */
#include <kshim.h>
