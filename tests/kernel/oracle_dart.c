// SPDX-License-Identifier: MIT
/*
 * The kernel oracle's APPLE_DART/APPLE_DART2 part: Linux 6.12's
 * drivers/iommu/io-pgtable-dart.c, compiled as it is (see oracle.c). The
 * roots are in the cfg (apple_dart_cfg.ttbr), so nothing else is needed.
 */
#include "oracle_int.h"

#define CONFIG_IOMMU_IO_PGTABLE_DART 1

#include <io-pgtable-dart.c>
