// SPDX-License-Identifier: MIT
/*
 * The fault oracle: the kernel's own fault reporting (Linux 6.12's and
 * 7.3's intel/dmar.c, 7.3's riscv/iommu.c, compiled as they are, see
 * build.sh) against libpgt's fault kinds.
 *
 *  - every fault reason 0..255: dmar_get_fault_reason()'s text and type
 *    against intel-vtd's decoding;
 *  - fault recording registers: dmar_fault() reads an FRCD from the MMIO
 *    and prints its line; libpgt reads the line back (its log patterns) and
 *    decodes the register (frcd_lo=, frcd_hi=); the three must agree on the
 *    reason, requester, segment, PASID, direction and address;
 *  - every cause of enum riscv_iommu_fq_causes against riscv's names; the
 *    RISCV_IOMMU_FQ_HDR_* fields of random headers against hdr='s; and
 *    riscv_iommu_fault()'s line for random records, read back.
 *
 * Prints TAP; -v shows the kernel's lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kf_shim.h"
#include "pgt/pgt.h"

unsigned kf_n_lines;
char kf_lines[KF_MAX_LINES][256];
static bool verbose;
static unsigned t_run, t_failed;

void kf_printk(const char *fmt, ...)
{
	va_list ap;
	if (kf_n_lines == KF_MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(kf_lines[kf_n_lines], sizeof(kf_lines[0]), fmt, ap);
	va_end(ap);
	kf_lines[kf_n_lines][strcspn(kf_lines[kf_n_lines], "\n")] = 0;
	if (verbose)
		printf("# kernel: %s\n", kf_lines[kf_n_lines]);
	kf_n_lines++;
}

static void result(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void result(bool ok, const char *fmt, ...)
{
	va_list ap;
	t_run++;
	t_failed += !ok;
	printf("%sok %u - ", ok ? "" : "not ", t_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* xorshift64*: reproducible records */
static u64 rnd_state = 0x9e3779b97f4a7c15ull;
static u64 rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

/* FIELD=VALUE words decoded into *f (freed by the caller, also when the
 * decoding failed: NULL then). */
static int decode(const char *kind, const char *args, struct pgt_fault **f, struct pgt_error *err)
{
	char buf[256], *argv[8];
	unsigned n = 0;
	snprintf(buf, sizeof(buf), "%s", args);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && n < 8;
	     w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	*f = NULL;
	return pgt_fault_parse(pgt_fault_kind_find(kind), argv, n, f, err);
}

static bool field(const struct pgt_fault *f, const char *reg, const char *name, u64 *v)
{
	for (unsigned i = 0; i < pgt_fault_n_fields(f); i++) {
		const struct pgt_fault_field *x = pgt_fault_field(f, i);
		if (!strcmp(x->reg, reg) && !strcmp(x->name, name)) {
			*v = x->value;
			return true;
		}
	}
	return false;
}

/* What the checks compare of a fault, kept past the call that had it. */
struct seen {
	char code[128];
	bool has_device, has_pasid, has_addr;
	uint32_t seg, device, pasid;
	pgt_addr addr;
	unsigned access;
	bool intr; /* an interrupt remapping fault: its index */
	u64 index;
	bool has_cause;
	u64 cause;
	u64 last_inputs[2]; /* the values of its last two inputs */
};

static void see(const struct pgt_fault *f, struct seen *v)
{
	unsigned n = pgt_fault_n_inputs(f);
	memset(v, 0, sizeof(*v));
	snprintf(v->code, sizeof(v->code), "%s", pgt_fault_code(f));
	v->has_device = pgt_fault_device(f, &v->seg, &v->device);
	v->has_pasid = pgt_fault_pasid(f, &v->pasid);
	v->has_addr = pgt_fault_addr(f, &v->addr);
	v->access = pgt_fault_access(f);
	v->intr = field(f, "addr", "index", &v->index);
	v->has_cause = field(f, "cause", "CAUSE", &v->cause);
	for (unsigned i = 0; i < 2 && n >= 2; i++)
		v->last_inputs[i] = pgt_fault_input(f, n - 2 + i)->value;
}

/* The faults the scanner finds in the kernel's lines. */
struct found {
	unsigned n, errors;
	struct seen fault; /* the first */
	char why[512];
};

static int on_found(void *ctx, const struct pgt_fault_found *found)
{
	struct found *s = ctx;
	if (found->error) {
		s->errors++;
		snprintf(s->why, sizeof(s->why), "%s", pgt_error_message(found->err));
	} else if (!s->n++) {
		see(found->fault, &s->fault);
	}
	return 0;
}

static void scan_kernel_lines(struct found *s)
{
	memset(s, 0, sizeof(*s));
	struct pgt_fault_scanner *sc;
	if (pgt_fault_scanner_new(on_found, s, &sc, NULL)) {
		s->errors++;
		snprintf(s->why, sizeof(s->why), "out of memory");
		return;
	}
	for (unsigned i = 0; i < kf_n_lines; i++) {
		char line[300];
		/* as dmesg shows it */
		snprintf(line, sizeof(line), "[   12.345678] %s", kf_lines[i]);
		pgt_fault_scan_line(sc, line);
	}
	pgt_fault_scan_end(sc);
	pgt_fault_scanner_free(sc);
}

/* --- VT-d ------------------------------------------------------------------ */

struct dmar_kernel {
	const char *name;
	const char *(*reason)(unsigned reason, bool *intr_remap);
	void (*fault)(struct intel_iommu *iommu);
	bool segment; /* 7.3 prints the IOMMU's segment */
};

static void reasons(const struct dmar_kernel *k)
{
	unsigned wrong = 0;
	for (unsigned r = 0; r < 256; r++) {
		bool intr;
		const char *text = k->reason(r, &intr);
		char args[64];
		struct pgt_fault *f;
		pgt_addr addr;
		snprintf(args, sizeof(args), "reason=%u addr=0x1000 sid=0x18 type=read", r);
		if (decode("intel-vtd", args, &f, NULL) || strcmp(pgt_fault_code(f), text) ||
		    pgt_fault_addr(f, &addr) == intr) {
			if (wrong++ < 5)
				printf("# %s: reason 0x%02x: the kernel says '%s'%s, libpgt '%s'%s\n",
				       k->name, r, text, intr ? " (INTR_REMAP)" : "",
				       f ? pgt_fault_code(f) : "(none)",
				       f && pgt_fault_addr(f, &addr) ? "" : " (no address)");
		}
		pgt_fault_free(f);
	}
	result(!wrong,
	       "%s: dmar_get_fault_reason() and intel-vtd name all 256 reasons alike, interrupt "
	       "remapping ones without an address (%u differ)",
	       k->name, wrong);
}

/* The MMIO of one IOMMU: capability with 8 fault recording registers at
 * 0x200, FSTS with PPF and the index of the one that holds the fault. */
#define FRCD_OFFSET 0x200
#define N_FRCD 8

static void frcd_record(u64 *lo, u64 *hi, unsigned i)
{
	static const unsigned interesting[] = {0x01, 0x04, 0x05, 0x06, 0x0c, 0x0d, 0x20, 0x22,
					       0x26, 0x27, 0x31, 0x59, 0x71, 0x79, 0x81, 0x85,
					       0x90, 0x91, 0xff};
	unsigned reason = i < sizeof(interesting) / sizeof(interesting[0])
				  ? interesting[i]
				  : (unsigned)(rnd() & 0xff);
	/* FI and SID anything; T, PP, EXE, PRIV, T2, AT, PV at random; F set */
	*lo = rnd() & ~0xfffull;
	*hi = (rnd() & 0x7ffffffff000ffffull & ~(0xffull << 32)) | (u64)reason << 32 | 1ull << 63;
}

static bool same_record(const struct dmar_kernel *k, u64 lo, u64 hi, int seg, char *why,
			size_t len)
{
	u8 mmio[FRCD_OFFSET + N_FRCD * 16] = {0};
	unsigned fri = (unsigned)(rnd() % N_FRCD);
	u32 fsts = 2 /* PPF */ | fri << 8;
	struct intel_iommu io = {
		.reg = mmio,
		.cap = (u64)(N_FRCD - 1) << 40 | (u64)(FRCD_OFFSET / 16) << 24,
		.segment = seg,
	};
	memcpy(mmio + 0x34, &fsts, 4);
	memcpy(mmio + FRCD_OFFSET + fri * 16, &lo, 8);
	memcpy(mmio + FRCD_OFFSET + fri * 16 + 8, &hi, 8);
	kf_n_lines = 0;
	k->fault(&io);

	struct found log;
	struct pgt_fault *decoded;
	struct pgt_error *err = pgt_error_new();
	char args[128];
	scan_kernel_lines(&log);
	snprintf(args, sizeof(args), "frcd_lo=0x%llx frcd_hi=0x%llx seg=%d", lo, hi, seg);
	if (decode("intel-vtd", args, &decoded, err)) {
		snprintf(why, len, "frcd: %.200s", pgt_error_message(err));
		pgt_error_free(err);
		return false;
	}
	pgt_error_free(err);
	if (log.n != 1 || log.errors) {
		snprintf(why, len, "%u faults read back from the kernel's lines (%.200s)", log.n,
			 log.errors ? log.why : "no error");
		pgt_fault_free(decoded);
		return false;
	}
	const struct seen *f = &log.fault;
	struct seen reg;
	u64 index_reg;
	see(decoded, &reg);
	bool same = !strcmp(f->code, reg.code) && f->device == reg.device &&
		    f->has_pasid == reg.has_pasid && (!f->has_pasid || f->pasid == reg.pasid) &&
		    f->seg == (k->segment ? (uint32_t)seg : 0) && f->has_addr == reg.has_addr;
	if (f->intr)
		same = same && field(decoded, "frcd_lo", "index", &index_reg) &&
		       f->index == index_reg;
	else
		/* the line says Read or Write (T), the register more (T2, EXE) */
		same = same && f->addr == reg.addr &&
		       !!(f->access & PGT_ACCESS_READ) == !!(reg.access & PGT_ACCESS_READ) &&
		       !!(f->access & PGT_ACCESS_READ) == !!(hi >> 62 & 1);
	if (!same)
		snprintf(why, len,
			 "the kernel printed '%s'; read back: %s sid 0x%x seg %u pasid %d:0x%x addr "
			 "0x%llx access %u; the register: %s sid 0x%x pasid %d:0x%x addr 0x%llx",
			 kf_n_lines > 1 ? kf_lines[1] : "", f->code, f->device, f->seg, f->has_pasid,
			 f->pasid, (unsigned long long)f->addr, f->access, reg.code, reg.device,
			 reg.has_pasid, reg.pasid, (unsigned long long)reg.addr);
	pgt_fault_free(decoded);
	return same;
}

static void records(const struct dmar_kernel *k)
{
	unsigned wrong = 0;
	char why[1024] = "";
	for (unsigned i = 0; i < 2000; i++) {
		u64 lo, hi;
		frcd_record(&lo, &hi, i);
		if (!same_record(k, lo, hi, (int)(rnd() & 0xffff), why, sizeof(why)) && !wrong++)
			printf("# %s: frcd_lo=0x%llx frcd_hi=0x%llx: %s\n", k->name, lo, hi, why);
	}
	result(!wrong,
	       "%s: 2000 fault recording registers: dmar_fault()'s line, read back, and the "
	       "register, decoded, agree (%u differ)",
	       k->name, wrong);
}

/* dmar_fault() stops at a register without F and prints no fault line */
static void f_clear(const struct dmar_kernel *k)
{
	u8 mmio[FRCD_OFFSET + N_FRCD * 16] = {0};
	u64 hi = 0x4000000600000018ull;
	u32 fsts = 2;
	struct intel_iommu io = {.reg = mmio, .cap = (u64)(N_FRCD - 1) << 40 | 0x20ull << 24};
	struct pgt_fault *f;
	memcpy(mmio + 0x34, &fsts, 4);
	memcpy(mmio + FRCD_OFFSET + 8, &hi, 8);
	kf_n_lines = 0;
	k->fault(&io);
	struct found log;
	scan_kernel_lines(&log);
	int rc = decode("intel-vtd", "frcd_lo=0x1000 frcd_hi=0x4000000600000018", &f, NULL);
	result(!log.n && !rc && pgt_fault_class(f) == PGT_FAULT_NONE,
	       "%s: F clear: the kernel prints no fault, libpgt decodes none", k->name);
	pgt_fault_free(f);
}

/* --- RISC-V ------------------------------------------------------------------ */

static void riscv_causes(void)
{
	unsigned wrong = 0;
	for (size_t i = 0; i < kf_riscv_n_causes; i++) {
		char args[48];
		struct pgt_fault *f;
		snprintf(args, sizeof(args), "cause=%u iotval=0x1000", kf_riscv_causes[i].code);
		if (decode("riscv", args, &f, NULL) ||
		    strcmp(pgt_fault_code(f), kf_riscv_causes[i].name)) {
			printf("# cause %u: the kernel names it %s, libpgt %s\n",
			       kf_riscv_causes[i].code, kf_riscv_causes[i].name,
			       f ? pgt_fault_code(f) : "(none)");
			wrong++;
		}
		pgt_fault_free(f);
	}
	result(kf_riscv_n_causes >= 30 && !wrong,
	       "7.3: riscv names each of the %zu causes of enum riscv_iommu_fq_causes as the "
	       "kernel does",
	       kf_riscv_n_causes);
}

static void riscv_headers(void)
{
	static const char *const names[] = {"CAUSE", "PID", "PV", "PRIV", "TTYP", "DID"};
	unsigned wrong = 0;
	for (unsigned i = 0; i < 1000; i++) {
		u64 hdr = rnd(), want, got;
		char args[64];
		struct pgt_fault *f;
		snprintf(args, sizeof(args), "hdr=0x%llx iotval=0", hdr);
		if (decode("riscv", args, &f, NULL)) {
			wrong++;
			continue;
		}
		for (unsigned k = 0; k < 6; k++)
			if (!kf_riscv_hdr_field(names[k], hdr, &want) ||
			    !field(f, "hdr", names[k], &got) || got != want) {
				if (!wrong++)
					printf("# hdr 0x%llx: %s\n", hdr, names[k]);
			}
		pgt_fault_free(f);
	}
	result(!wrong, "7.3: the RISCV_IOMMU_FQ_HDR_* fields of 1000 headers, decoded alike");
}

static void riscv_lines(void)
{
	struct device dev = {"riscv,iommu 3010000.iommu"};
	struct riscv_iommu_device io = {&dev};
	unsigned wrong = 0, silent = 0, zero = 0;
	for (unsigned i = 0; i < 2000; i++) {
		u64 rec[4] = {rnd(), rnd(), rnd(), rnd()};
		if (i % 10 == 0)
			rec[0] &= ~0xfffull; /* cause 0 */
		else if (i % 3 == 0)
			rec[0] = (rec[0] & ~0xfffull) | (rnd() % 280);
		kf_n_lines = 0;
		kf_riscv_fault(&io, rec);
		struct found log;
		scan_kernel_lines(&log);
		if (!(rec[0] & 0xfff)) {
			zero++;
			silent += !kf_n_lines && !log.n;
			continue;
		}
		const struct seen *f = &log.fault;
		bool same = log.n == 1 && !log.errors && f->has_cause &&
			    f->cause == (rec[0] & 0xfff) && f->has_device &&
			    f->device == rec[0] >> 40 && f->last_inputs[0] == rec[2] &&
			    f->last_inputs[1] == rec[3];
		if (!same && !wrong++)
			printf("# the kernel printed '%s'; read back %u fault(s) %s\n",
			       kf_n_lines ? kf_lines[0] : "", log.n, log.errors ? log.why : "");
	}
	result(!wrong && zero >= 200 && silent == zero,
	       "7.3: riscv_iommu_fault()'s lines for 2000 records read back: cause, device ID, "
	       "iotval and iotval2 (%u differ); cause 0 printed by neither (%u of %u)",
	       wrong, silent, zero);
}

int main(int argc, char **argv)
{
	static const struct dmar_kernel kernels[] = {
		{"6.12", kf_dmar_reason_612, kf_dmar_fault_612, false},
		{"7.3", kf_dmar_reason_73, kf_dmar_fault_73, true},
	};
	verbose = argc > 1 && !strcmp(argv[1], "-v");
	for (unsigned i = 0; i < 2; i++) {
		reasons(&kernels[i]);
		records(&kernels[i]);
		f_clear(&kernels[i]);
	}
	riscv_causes();
	riscv_headers();
	riscv_lines();
	printf("1..%u\n", t_run);
	if (t_failed)
		printf("# %u of %u failed\n", t_failed, t_run);
	return t_failed ? 1 : 0;
}
