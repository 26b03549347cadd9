/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/string.h>: everything is in gpt_shim.h. */
#include <gpt_shim.h>
