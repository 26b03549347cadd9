/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <asm/page.h>: everything is in gpt_shim.h. */
#include <gpt_shim.h>
