/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/mutex.h>: everything is in kshim.h. */
#include <kshim.h>
