/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/mmu_notifier.h>: everything is in kshim.h. */
#include <kshim.h>
