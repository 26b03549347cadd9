// SPDX-License-Identifier: MIT
/* What to look at next, once the table has said what it makes of a fault:
 * one suggestion a verdict, or the kind's own hint where the table is not
 * the cause. */
#include "fault_int.h"

void fault_advise(struct pgt_table *t, const struct pgt_fault *f, struct pgt_fault_explanation *x)
{
	const char *sp = fault_space(x);
	unsigned long long a = (unsigned long long)x->addr;
	char *n = x->next;
	size_t len = sizeof(x->next);

	if (f->hint && (x->verdict == PGT_VERDICT_NOT_TABLE || x->verdict == PGT_VERDICT_MAPPED)) {
		fault_say(n, len, "%s", f->hint);
		return;
	}
	switch (x->verdict) {
	case PGT_VERDICT_NOT_MAPPED:
		if (x->agrees == 0 && f->cls != PGT_FAULT_TRANSLATION)
			fault_say(n, len,
				  "the hardware saw a mapping at %s 0x%llx that this table no "
				  "longer has: find the unmap since the fault, or the table the "
				  "device really uses",
				  sp, a);
		else
			fault_say(n, len,
				  "find why nothing maps %s 0x%llx when the device uses it: a "
				  "missing iommu_map()/dma_map_*(), or a DMA after the unmap "
				  "(a use after free of the buffer)",
				  sp, a);
		return;
	case PGT_VERDICT_MALFORMED:
	case PGT_VERDICT_TOO_DEEP:
	case PGT_VERDICT_LOOP:
		fault_say(n, len,
			  "the table is corrupt there: something overwrote table memory; "
			  "a check of the table lists every such descriptor");
		return;
	case PGT_VERDICT_PERMISSION:
		if (x->denied & PGT_ACCESS_WRITE)
			fault_say(n, len,
				  "the page is mapped read-only: map it with IOMMU_WRITE "
				  "(DMA_FROM_DEVICE or DMA_BIDIRECTIONAL) if the device must "
				  "write it, else find why the device writes a buffer it should "
				  "only read");
		else if (x->denied & PGT_ACCESS_READ)
			fault_say(n, len,
				  "the page is mapped without IOMMU_READ: map it readable "
				  "(DMA_TO_DEVICE or DMA_BIDIRECTIONAL) if the device must read "
				  "it, else find why the device reads it");
		else if (x->denied & PGT_ACCESS_EXEC)
			fault_say(n, len,
				  "the page is mapped IOMMU_NOEXEC: map it executable if the "
				  "device fetches instructions from it (firmware, shaders), else "
				  "find the jump that got there");
		else
			fault_say(n, len,
				  "the page is mapped IOMMU_PRIV (privileged accesses only): "
				  "map it without IOMMU_PRIV if unprivileged accesses are meant to "
				  "reach it");
		return;
	case PGT_VERDICT_ACCESS_FLAG:
		fault_say(n, len,
			  "io-pgtable always sets the access flag: something else wrote this "
			  "leaf, or expects the hardware to set AF (HA), which this context "
			  "does not do");
		return;
	case PGT_VERDICT_MAPPED:
		if (f->cls == PGT_FAULT_TRANSLATION || f->cls == PGT_FAULT_PAGE)
			fault_say(n, len,
				  "the table maps it now: it was mapped after the fault (the "
				  "device started before the map), a TLB or walk cache still "
				  "held an old entry (a missing invalidation), or the device "
				  "uses another table (compare the root with the hardware's "
				  "TTBR, VTTBR or DTE)");
		else
			fault_say(n, len,
				  "the table allows this access: a TLB entry with older "
				  "permissions was used (a missing invalidation after the change), "
				  "or the device uses another table (compare the root with the "
				  "hardware's TTBR, VTTBR or DTE)");
		return;
	case PGT_VERDICT_OUTSIDE:
		fault_say(n, len,
			  "a table pointer leads outside the memory given: the table is "
			  "corrupt, or the dump lacks that memory; a check of the table lists "
			  "such pointers");
		return;
	case PGT_VERDICT_EXCLUDED:
		fault_say(n, len,
			  "the walk needs a page the dump left out: take a dump that keeps "
			  "it (makedumpfile without -d for those pages)");
		return;
	case PGT_VERDICT_UNREADABLE:
		fault_say(n, len,
			  "the walk needs a page whose data the dump holds damaged: take the "
			  "dump again, or read that memory from elsewhere");
		return;
	case PGT_VERDICT_OUT_OF_RANGE:
		fault_say(n, len,
			  "the address is beyond the table's %u-bit input range: the device "
			  "used a bad address (a stale or corrupt DMA address), or ias or the "
			  "format given is not the hardware's",
			  pgt_table_geometry(t)->iova_bits);
		return;
	case PGT_VERDICT_NOT_TABLE:
		fault_say(n, len,
			  "this is not a page-table fault: look at the register the fault "
			  "came from");
		return;
	}
}
