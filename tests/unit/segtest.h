/* SPDX-License-Identifier: MIT */
/* Helpers for the segmentation / interrupt tests: a standard GDT, IDT and
 * 32-bit TSS built in RAM through the public API, and memory peeks. */
#ifndef PAC_SEGTEST_H
#define PAC_SEGTEST_H
#include "test.h"
#include "machine_helpers.h"

#define ST_GDT 0x1000u
#define ST_IDT 0x2000u
#define ST_TSS 0x3000u      /* 32-bit TSS, I/O map base 0x88, redirection map below */
#define ST_HANDLERS 0x6000u /* vector v: HLT at ST_HANDLERS + 4 * v */
#define ST_CODE 0x10000u
#define ST_STACK0 0x80000u  /* ring-0 stack top (TSS ESP0) */
#define ST_STACK3 0x70000u  /* ring-3 stack top */

/* selectors of the standard GDT */
enum {
	SEL_C32 = 0x08, SEL_D32 = 0x10, SEL_C32U = 0x1b, SEL_D32U = 0x23, SEL_TSS = 0x28,
	SEL_C64 = 0x30, SEL_C64U = 0x3b, SEL_C16 = 0x40, SEL_DNP = 0x48, SEL_DRO = 0x50,
	SEL_CCONF = 0x58, SEL_FREE = 0x60 /* 0x60..0xf8 free for a test */
};

static inline void st_w64(pac_machine *m, uint64_t a, uint64_t v) { pac_phys_write(m, a, &v, 8); }
static inline void st_w32(pac_machine *m, uint64_t a, uint32_t v) { pac_phys_write(m, a, &v, 4); }
static inline void st_w16(pac_machine *m, uint64_t a, uint16_t v) { pac_phys_write(m, a, &v, 2); }
static inline uint64_t st_r64(pac_machine *m, uint64_t a)
{
	uint64_t v = 0;
	pac_phys_read(m, a, &v, 8);
	return v;
}
static inline uint32_t st_r32(pac_machine *m, uint64_t a) { return (uint32_t)st_r64(m, a); }
static inline uint16_t st_r16(pac_machine *m, uint64_t a) { return (uint16_t)st_r64(m, a); }

/* Code/data/system descriptor from base, raw 20-bit limit and VMCB attributes. */
static inline uint64_t st_desc(uint32_t base, uint32_t limit, uint16_t attr)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)(attr & 0xff) << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)((attr >> 8) & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}
/* Gate: type_attr = P | DPL | type (e.g. 0x8e 32-bit interrupt gate). */
static inline uint64_t st_gate(uint16_t sel, uint32_t off, uint8_t type_attr, uint8_t count)
{
	return (off & 0xffffull) | ((uint64_t)sel << 16) | ((uint64_t)count << 32) |
	       ((uint64_t)type_attr << 40) | ((uint64_t)(off >> 16) << 48);
}
static inline void st_gdt_set(pac_machine *m, uint16_t sel, uint64_t d)
{
	st_w64(m, ST_GDT + (sel & 0xfff8u), d);
}
static inline void st_idt_set(pac_machine *m, int v, uint64_t g) { st_w64(m, ST_IDT + 8u * (unsigned)v, g); }
static inline uint32_t st_handler(int v) { return ST_HANDLERS + 4u * (unsigned)v; }

static inline void st_tables(pac_machine *m)
{
	st_gdt_set(m, SEL_C32, st_desc(0, 0xfffff, 0xc9b));
	st_gdt_set(m, SEL_D32, st_desc(0, 0xfffff, 0xc93));
	st_gdt_set(m, SEL_C32U, st_desc(0, 0xfffff, 0xcfb));
	st_gdt_set(m, SEL_D32U, st_desc(0, 0xfffff, 0xcf3));
	st_gdt_set(m, SEL_TSS, st_desc(ST_TSS, 0x2088, 0x089));
	st_gdt_set(m, SEL_C64, st_desc(0, 0xfffff, 0xa9b));
	st_gdt_set(m, SEL_C64U, st_desc(0, 0xfffff, 0xafb));
	st_gdt_set(m, SEL_C16, st_desc(0, 0xffff, 0x09b));
	st_gdt_set(m, SEL_DNP, st_desc(0, 0xfffff, 0xc13));
	st_gdt_set(m, SEL_DRO, st_desc(0, 0xfffff, 0xc91));
	st_gdt_set(m, SEL_CCONF, st_desc(0, 0xfffff, 0xc9f));
	for (int v = 0; v < 256; v++) {
		st_idt_set(m, v, st_gate(SEL_C32, st_handler(v), 0x8e, 0));
		uint8_t hlt = 0xf4;
		pac_phys_write(m, st_handler(v), &hlt, 1);
	}
	st_w32(m, ST_TSS + 4, ST_STACK0); /* ESP0 */
	st_w32(m, ST_TSS + 8, SEL_D32);   /* SS0 */
	st_w16(m, ST_TSS + 0x66, 0x88);   /* I/O map base; redirection map at 0x68 */
}

/* Flat 32-bit protected mode at CPL 0 with the standard tables loaded. */
static inline pac_machine *st_prot32(struct pac_regs *r)
{
	pac_machine *m = tm_new();
	st_tables(m);
	tm_prot32(m, r, ST_CODE);
	r->gdtr = (struct pac_dtr){ ST_GDT, 0xff };
	r->idtr = (struct pac_dtr){ ST_IDT, 0x7ff };
	r->tr = (struct pac_seg){ SEL_TSS, 0x08b, 0x2088, ST_TSS };
	r->ldtr = (struct pac_seg){ 0, 0x082, 0xffff, 0 };
	r->gpr[PAC_RSP] = ST_STACK0;
	return m;
}

/* Switch the register image to CPL 3 flat segments with ESP = ST_STACK3. */
static inline void st_user(struct pac_regs *r)
{
	tm_seg(&r->seg[PAC_CS], SEL_C32U, 0xcfb);
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			tm_seg(&r->seg[i], SEL_D32U, 0xcf3);
	r->cpl = 3;
	r->gpr[PAC_RSP] = ST_STACK3;
}

/* Runs code at ST_CODE until HLT; returns the exit reason and the regs. */
static inline enum pac_exit_reason st_run(pac_machine *m, struct pac_regs *r, const void *code,
					  size_t len)
{
	enum pac_exit_reason e = tm_run(m, r, code, len, ST_CODE);
	pac_get_regs(m, 0, r);
	return e;
}

/* ---- long mode: identity map of the first 16 MiB with 2 MiB pages ---- */
#define ST_PML4 0x90000u
static inline void st_idt64_set(pac_machine *m, int v, uint16_t sel, uint64_t off, uint8_t type_attr,
				uint8_t ist)
{
	st_w64(m, ST_IDT + 16u * (unsigned)v, st_gate(sel, (uint32_t)off, type_attr, ist));
	st_w64(m, ST_IDT + 16u * (unsigned)v + 8, off >> 32);
}

/* 64-bit mode at CPL 0 (CS = SEL_C64), 64-bit IDT (interrupt gates to the
 * HLT handlers), 64-bit TSS with RSP0 = ST_STACK0. */
static inline pac_machine *st_long64(struct pac_regs *r)
{
	pac_machine *m = st_prot32(r);
	st_w64(m, ST_PML4, (ST_PML4 + 0x1000) | 7);
	st_w64(m, ST_PML4 + 0x1000, (ST_PML4 + 0x2000) | 7);
	for (unsigned i = 0; i < 8; i++)
		st_w64(m, ST_PML4 + 0x2000 + 8 * i, ((uint64_t)i << 21) | 0x87);
	for (int v = 0; v < 256; v++)
		st_idt64_set(m, v, SEL_C64, st_handler(v), 0x8e, 0);
	st_w64(m, ST_TSS + 4, ST_STACK0); /* RSP0 */
	r->cr0 = 0x80000011;
	r->cr3 = ST_PML4;
	r->cr4 = 0x20;
	r->efer = 0xd01; /* SCE, LME, LMA, NXE */
	tm_seg(&r->seg[PAC_CS], SEL_C64, 0xa9b);
	r->idtr = (struct pac_dtr){ ST_IDT, 0xfff };
	r->tr = (struct pac_seg){ SEL_TSS, 0x08b, 0x67, ST_TSS };
	return m;
}

/* 64-bit CPL 3 image: CS = SEL_C64U, data SEL_D32U, RSP = ST_STACK3. */
static inline void st_user64(struct pac_regs *r)
{
	st_user(r);
	tm_seg(&r->seg[PAC_CS], SEL_C64U, 0xafb);
}

/* Event log through the observation hooks: every delivery attempt. */
struct st_ev {
	int vec;
	bool has_err;
	uint32_t err;
};
static struct st_ev st_evs[32];
static int st_nev;
static void st_on_event(void *ctx, int cpu, int vector, bool is_int, bool has_err, uint32_t err,
			uint64_t rip)
{
	(void)ctx; (void)cpu; (void)is_int; (void)rip;
	if (st_nev < 32)
		st_evs[st_nev++] = (struct st_ev){ vector, has_err, err };
}
static const struct pac_hooks st_hooks = { .event = st_on_event };
static inline void st_log_events(pac_machine *m)
{
	st_nev = 0;
	pac_set_hooks(m, &st_hooks, NULL);
}

/* The handler of vector v ran its HLT. */
#define CHECK_VEC(r, v) CHECK_EQ((r).rip, st_handler(v) + 1, "handler of vector " #v)
#endif
