/* SPDX-License-Identifier: MIT */
/* libpgt: the whole public interface. */
#ifndef PGT_PGT_H
#define PGT_PGT_H

#include "base.h"
#include "diff.h"
#include "fault.h"
#include "format.h"
#include "image.h"
#include "iommu.h"
#include "mem.h"
#include "parse.h"
#include "spec.h"
#include "table.h"

#endif
