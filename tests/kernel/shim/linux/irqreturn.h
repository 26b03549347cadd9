/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/irqreturn.h>: everything is in kshim.h. */
#include <kshim.h>
