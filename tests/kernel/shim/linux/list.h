/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/list.h>: everything is in kshim.h. */
#include <kshim.h>
