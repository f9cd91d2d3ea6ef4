/* SPDX-License-Identifier: MIT */
/* Helpers for the APIC tests (test_lapic*.c, test_ioapic.c, test_smp.c):
 * a flat 32-bit protected-mode machine with a GDT, an IDT whose interrupt
 * handlers count deliveries and EOI (xAPIC MMIO or x2APIC MSR), a code
 * emitter that counts instructions (virtual time is one ns per
 * instruction), and an event hook that records when each interrupt was
 * delivered. */
#ifndef PAC_TEST_LAPIC_HELPERS_H
#define PAC_TEST_LAPIC_HELPERS_H
#include "test.h"
#include "machine_helpers.h"
#include "core/cpu.h"
#include "apic/lapic.h"

#define LH_GDT 0x500
#define LH_IDT 0x800          /* 256 gates */
#define LH_COUNT 0x2000       /* dword per vector: deliveries */
#define LH_DATA 0x2800        /* scratch results */
#define LH_HANDLERS 0x4000    /* 32 bytes per vector */
#define LH_CODE 0x10000       /* CPU 0 code; CPU n at LH_CODE + n * 0x1000 */
#define APIC_REG(off) (0xfee00000u + (off))

/* ---- 32-bit code emitter ---- */
struct xc {
	uint8_t b[2048];
	unsigned n, insns;
};
static inline void xc_bytes(struct xc *c, unsigned insns, const void *p, unsigned n)
{
	if (c->n + n <= sizeof c->b) {
		memcpy(c->b + c->n, p, n);
		c->n += n;
	}
	c->insns += insns;
}
#define XC(c, ...) do { const uint8_t b_[] = { __VA_ARGS__ }; xc_bytes(c, 1, b_, sizeof b_); } while (0)
#define LE32(v) (uint8_t)(v), (uint8_t)((v) >> 8), (uint8_t)((v) >> 16), (uint8_t)((v) >> 24)
static inline void xc_mov_eax(struct xc *c, uint32_t v) { XC(c, 0xb8, LE32(v)); }
static inline void xc_mov_ecx(struct xc *c, uint32_t v) { XC(c, 0xb9, LE32(v)); }
static inline void xc_mov_edx(struct xc *c, uint32_t v) { XC(c, 0xba, LE32(v)); }
static inline void xc_store(struct xc *c, uint32_t a) { XC(c, 0xa3, LE32(a)); }  /* mov [a], eax */
static inline void xc_load(struct xc *c, uint32_t a) { XC(c, 0xa1, LE32(a)); }   /* mov eax, [a] */
static inline void xc_st_imm(struct xc *c, uint32_t a, uint32_t v) { XC(c, 0xc7, 0x05, LE32(a), LE32(v)); }
/* APIC register write/read through the xAPIC page (result to [dst]) */
static inline void xc_apic_w(struct xc *c, unsigned off, uint32_t v) { xc_st_imm(c, APIC_REG(off), v); }
static inline void xc_apic_r(struct xc *c, unsigned off, uint32_t dst)
{
	xc_load(c, APIC_REG(off));
	xc_store(c, dst);
}
/* wrmsr ecx=idx edx:eax=v (4 instructions) */
static inline void xc_wrmsr(struct xc *c, uint32_t idx, uint64_t v)
{
	xc_mov_ecx(c, idx);
	xc_mov_eax(c, (uint32_t)v);
	xc_mov_edx(c, (uint32_t)(v >> 32));
	XC(c, 0x0f, 0x30);
}
/* rdmsr into [dst] (low) and [dst+4] (high) */
static inline void xc_rdmsr(struct xc *c, uint32_t idx, uint32_t dst)
{
	xc_mov_ecx(c, idx);
	XC(c, 0x0f, 0x32);
	xc_store(c, dst);
	XC(c, 0x89, 0x15, LE32(dst + 4));
}
static inline void xc_sti_hlt_loop(struct xc *c) { XC(c, 0xfb); XC(c, 0xf4); XC(c, 0xeb, 0xfd); }
static inline void xc_cli_hlt(struct xc *c) { XC(c, 0xfa); XC(c, 0xf4); }

/* ---- machine ---- */
static inline pac_machine *lh_new(unsigned ncpus, const char *model)
{
	struct pac_config cfg = { .ncpus = ncpus, .seed = 1, .cpu_model = model };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m || pac_map_ram(m, 0, TM_RAM, NULL) != PAC_OK) {
		fprintf(stderr, "lh_new: %s\n", pac_strerror(err));
		exit(2);
	}
	return m;
}

static inline struct cpu *lh_cpu(pac_machine *m, int i) { return m->cpus[i]; }

/* GDT (0x08 code, 0x10 data, flat 4 GiB) and an IDT whose handler for
 * vector v does: pushad; inc [LH_COUNT+4v]; EOI; popad; iret. */
static inline void lh_tables(pac_machine *m, bool x2apic_eoi)
{
	uint64_t gdt[3] = { 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull };
	pac_phys_write(m, LH_GDT, gdt, sizeof gdt);
	for (unsigned v = 0; v < 256; v++) {
		uint32_t h = LH_HANDLERS + v * 32, cnt = LH_COUNT + v * 4;
		uint64_t gate = (h & 0xffffull) | (0x08ull << 16) | (0x8e00ull << 32) |
				((uint64_t)(h >> 16) << 48);
		pac_phys_write(m, LH_IDT + v * 8, &gate, 8);
		struct xc c = { .n = 0 };
		XC(&c, 0x60);
		XC(&c, 0xff, 0x05, LE32(cnt));
		if (x2apic_eoi) {
			xc_mov_ecx(&c, 0x80b);
			XC(&c, 0x31, 0xc0); /* xor eax, eax */
			XC(&c, 0x31, 0xd2); /* xor edx, edx */
			XC(&c, 0x0f, 0x30);
		} else {
			xc_apic_w(&c, LA_EOI, 0);
		}
		XC(&c, 0x61);
		XC(&c, 0xcf);
		pac_phys_write(m, h, c.b, c.n);
	}
}

/* flat 32-bit CPL 0 state for CPU i at rip (IF clear), using the tables */
static inline void lh_regs(pac_machine *m, int i, uint32_t rip)
{
	struct pac_regs r;
	pac_get_regs(m, i, &r);
	r.cr0 = 0x11;
	tm_seg(&r.seg[PAC_CS], 0x08, 0xc9b);
	for (int s = 0; s < 6; s++)
		if (s != PAC_CS)
			tm_seg(&r.seg[s], 0x10, 0xc93);
	r.gdtr.base = LH_GDT;
	r.gdtr.limit = 23;
	r.idtr.base = LH_IDT;
	r.idtr.limit = 256 * 8 - 1;
	r.rip = rip;
	r.gpr[PAC_RSP] = 0x80000 - (uint64_t)i * 0x4000;
	r.rflags = 2;
	pac_set_regs(m, i, &r);
}

static inline uint32_t lh_rd32(pac_machine *m, uint64_t a)
{
	uint32_t v = 0;
	pac_phys_read(m, a, &v, 4);
	return v;
}
static inline uint32_t lh_count(pac_machine *m, unsigned vec) { return lh_rd32(m, LH_COUNT + vec * 4); }

/* ---- interrupt delivery times ---- */
struct lh_events {
	pac_machine *m;
	int n;
	int vector[16], cpu[16];
	uint64_t time[16];
};
static inline void lh_event_cb(void *ctx, int cpu, int vector, bool is_int, bool has_err,
			       uint32_t err, uint64_t rip)
{
	struct lh_events *e = ctx;
	(void)has_err; (void)err; (void)rip; (void)is_int;
	if (e->n < 16) {
		e->vector[e->n] = vector;
		e->cpu[e->n] = cpu;
		e->time[e->n] = pac_time_ns(e->m);
	}
	e->n++;
}
static inline void lh_watch(pac_machine *m, struct lh_events *e)
{
	static const struct pac_hooks hooks = { .event = lh_event_cb };
	memset(e, 0, sizeof *e);
	e->m = m;
	pac_set_hooks(m, &hooks, e);
}

/* places code for CPU i and runs the machine for up to budget steps */
static inline enum pac_exit_reason lh_run(pac_machine *m, const struct xc *c, int i, uint64_t budget)
{
	struct pac_exit ex;
	pac_phys_write(m, LH_CODE + (uint64_t)i * 0x1000, c->b, c->n);
	pac_run(m, budget, &ex);
	return ex.reason;
}
#endif
