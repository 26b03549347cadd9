// SPDX-License-Identifier: MIT
/*
 * Mali GPU MMU faults, as drivers/gpu/drm/panfrost/panfrost_mmu.c
 * (panfrost_mmu_irq_handler_thread()) and drivers/gpu/drm/panthor/
 * panthor_mmu.c (panthor_mmu_irq_handler()) read them in 6.12: an address
 * space's FAULTSTATUS and FAULTADDRESS_LO/HI. Both drivers decode
 * FAULTSTATUS alike: exception type in bits 7:0, access type in 9:8
 * (AS_FAULTSTATUS_ACCESS_TYPE_*), decoder/slave fault in bit 10, source id
 * from bit 16.
 */
#include "fault_int.h"

struct exception {
	unsigned code;
	const char *name;
	enum pgt_fault_class cls;
	int level;
};

/* DRM_PANFROST_EXCEPTION_* and panfrost_exception_infos (panfrost_device.h
 * and .c) for the MMU and bus codes. panthor names the same codes the same
 * way, except 0x80 (GPU_BUS_FAULT) and 0xe0 (ADDR_SIZE_FAULT_IN), and has
 * no name for 0xc7, 0xd0-0xd3, 0xd8, 0xe1-0xe3 and 0xec-0xef. The number
 * after the last underscore is the table level. */
static const struct exception exceptions[] = {
	{0x00, "OK", PGT_FAULT_NONE, -1},
	{0x80, "DELAYED_BUS_FAULT", PGT_FAULT_OTHER, -1},
	{0x88, "GPU_SHAREABILITY_FAULT", PGT_FAULT_OTHER, -1},
	{0x89, "SYS_SHAREABILITY_FAULT", PGT_FAULT_OTHER, -1},
	{0x8a, "GPU_CACHEABILITY_FAULT", PGT_FAULT_OTHER, -1},
	{0xc0, "TRANSLATION_FAULT_0", PGT_FAULT_TRANSLATION, 0},
	{0xc1, "TRANSLATION_FAULT_1", PGT_FAULT_TRANSLATION, 1},
	{0xc2, "TRANSLATION_FAULT_2", PGT_FAULT_TRANSLATION, 2},
	{0xc3, "TRANSLATION_FAULT_3", PGT_FAULT_TRANSLATION, 3},
	{0xc4, "TRANSLATION_FAULT_4", PGT_FAULT_TRANSLATION, 4},
	{0xc7, "TRANSLATION_FAULT_IDENTITY", PGT_FAULT_TRANSLATION, -1},
	{0xc8, "PERM_FAULT_0", PGT_FAULT_PERMISSION, 0},
	{0xc9, "PERM_FAULT_1", PGT_FAULT_PERMISSION, 1},
	{0xca, "PERM_FAULT_2", PGT_FAULT_PERMISSION, 2},
	{0xcb, "PERM_FAULT_3", PGT_FAULT_PERMISSION, 3},
	{0xd0, "TRANSTAB_BUS_FAULT_0", PGT_FAULT_WALK_ABORT, 0},
	{0xd1, "TRANSTAB_BUS_FAULT_1", PGT_FAULT_WALK_ABORT, 1},
	{0xd2, "TRANSTAB_BUS_FAULT_2", PGT_FAULT_WALK_ABORT, 2},
	{0xd3, "TRANSTAB_BUS_FAULT_3", PGT_FAULT_WALK_ABORT, 3},
	{0xd8, "ACCESS_FLAG_0", PGT_FAULT_ACCESS_FLAG, 0},
	{0xd9, "ACCESS_FLAG_1", PGT_FAULT_ACCESS_FLAG, 1},
	{0xda, "ACCESS_FLAG_2", PGT_FAULT_ACCESS_FLAG, 2},
	{0xdb, "ACCESS_FLAG_3", PGT_FAULT_ACCESS_FLAG, 3},
	{0xe0, "ADDR_SIZE_FAULT_IN0", PGT_FAULT_ADDRESS_SIZE, 0},
	{0xe1, "ADDR_SIZE_FAULT_IN1", PGT_FAULT_ADDRESS_SIZE, 1},
	{0xe2, "ADDR_SIZE_FAULT_IN2", PGT_FAULT_ADDRESS_SIZE, 2},
	{0xe3, "ADDR_SIZE_FAULT_IN3", PGT_FAULT_ADDRESS_SIZE, 3},
	{0xe4, "ADDR_SIZE_FAULT_OUT0", PGT_FAULT_ADDRESS_SIZE, 0},
	{0xe5, "ADDR_SIZE_FAULT_OUT1", PGT_FAULT_ADDRESS_SIZE, 1},
	{0xe6, "ADDR_SIZE_FAULT_OUT2", PGT_FAULT_ADDRESS_SIZE, 2},
	{0xe7, "ADDR_SIZE_FAULT_OUT3", PGT_FAULT_ADDRESS_SIZE, 3},
	{0xe8, "MEM_ATTR_FAULT_0", PGT_FAULT_OTHER, 0},
	{0xe9, "MEM_ATTR_FAULT_1", PGT_FAULT_OTHER, 1},
	{0xea, "MEM_ATTR_FAULT_2", PGT_FAULT_OTHER, 2},
	{0xeb, "MEM_ATTR_FAULT_3", PGT_FAULT_OTHER, 3},
	{0xec, "MEM_ATTR_NONCACHE_0", PGT_FAULT_OTHER, 0},
	{0xed, "MEM_ATTR_NONCACHE_1", PGT_FAULT_OTHER, 1},
	{0xee, "MEM_ATTR_NONCACHE_2", PGT_FAULT_OTHER, 2},
	{0xef, "MEM_ATTR_NONCACHE_3", PGT_FAULT_OTHER, 3},
};

/* AS_FAULTSTATUS_ACCESS_TYPE_*: access_type_name() says "ATOMIC" (panfrost
 * only on GPUs with HW_FEATURE_AARCH64_MMU, else "UNKNOWN"). An atomic
 * both reads and writes. */
static const struct {
	const char *name;
	unsigned access;
} access_types[] = {
	{"ATOMIC", PGT_ACCESS_READ | PGT_ACCESS_WRITE},
	{"EXECUTE", PGT_ACCESS_EXEC},
	{"READ", PGT_ACCESS_READ},
	{"WRITE", PGT_ACCESS_WRITE},
};

enum { F_FAULTSTATUS, F_FAULTADDRESS, F_AS };

static const struct pgt_fault_field_info fields[] = {
	[F_FAULTSTATUS] = {"faultstatus", "AS_FAULTSTATUS: exception, access type, source id", true,
			   NULL, 32},
	[F_FAULTADDRESS] = {"faultaddress", "AS_FAULTADDRESS_HI << 32 | AS_FAULTADDRESS_LO", true,
			    NULL, 64},
	[F_AS] = {"as", "the address space number", false, NULL, 8},
};

static const struct exception *exception_of(unsigned code)
{
	static const struct exception unknown = {0, "Unknown exception type", PGT_FAULT_OTHER, -1};
	for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++)
		if (exceptions[i].code == code)
			return &exceptions[i];
	return &unknown;
}

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	uint64_t status = v[F_FAULTSTATUS];
	const struct exception *e = exception_of((unsigned)fault_get(status, 7, 0));
	unsigned at = (unsigned)fault_get(status, 9, 8);
	(void)given;
	(void)err;

	f->addr = v[F_FAULTADDRESS];
	f->has_addr = true;
	fault_add(f, "faultstatus", "EXCEPTION_TYPE", fault_get(status, 7, 0), false, e->name);
	fault_add(f, "faultstatus", "ACCESS_TYPE", at, false, access_types[at].name);
	fault_add(f, "faultstatus", "DECODER_FAULT", fault_get(status, 10, 10), true,
		  "DECODER FAULT (clear: SLAVE FAULT)");
	fault_add(f, "faultstatus", "SOURCE_ID", fault_get(status, 31, 16), false, NULL);
	f->cls = e->cls;
	f->code = e->name;
	f->level = e->level;
	f->access = access_types[at].access;
	if (e->cls == PGT_FAULT_NONE)
		f->hint = "the exception type is OK: no fault is recorded in this FAULTSTATUS";
	else if (e->cls == PGT_FAULT_OTHER)
		f->hint = "not a translation fault of the page table: a bus, shareability or "
			  "memory attribute fault (look at the attributes the leaf gives, and the "
			  "GPU's coherency setup)";
	return 0;
}

/* Panfrost and panthor (one message with embedded newlines, which dmesg
 * shows as lines; panthor's drm_err() adds "[drm] *ERROR* " in front):
 * the address on the first line, the raw status a few lines below. */
static const struct fault_log logs[] = {
	{"Unhandled Page fault in AS{as:d} at VA 0x{faultaddress}",
	 "raw fault status: 0x{faultstatus}", 1},
	{NULL, NULL, 0},
};

/* Panfrost's ARM_MALI_LPAE tables, panthor's ARM_64_LPAE_S1 ones
 * (panthor_vm_create()) */
static const char *const formats[] = {"arm-mali-lpae", "arm-64-lpae-s1", NULL};

const struct pgt_fault_kind fault_mali = {
	.name = "mali",
	.summary = "Mali MMU fault: AS FAULTSTATUS, FAULTADDRESS (panfrost, panthor)",
	.unit = "the GPU MMU",
	FAULT_FIELDS(fields),
	.formats = formats,
	.logs = logs,
	.decode = decode,
};
