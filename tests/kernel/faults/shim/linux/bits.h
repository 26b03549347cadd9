/* SPDX-License-Identifier: MIT */
/* Stand-in for the kernel's <linux/bits.h>: everything is in kf_shim.h. */
#include "kf_shim.h"
