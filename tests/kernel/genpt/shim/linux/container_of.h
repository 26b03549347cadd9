/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/container_of.h>: everything is in gpt_shim.h. */
#include <gpt_shim.h>
