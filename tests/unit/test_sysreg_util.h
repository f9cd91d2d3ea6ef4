/* SPDX-License-Identifier: MIT */
/* Shared by the test_sysreg*.c programs: run a real-mode snippet at 0:7C00
 * with IVT stubs recording the exception vector, or a flat 32-bit CPL-3
 * snippet observed through the event hook. */
#ifndef PAC_TEST_SYSREG_UTIL_H
#define PAC_TEST_SYSREG_UTIL_H
#include "test.h"
#include "machine_helpers.h"
#include "segtest.h"

static inline pac_machine *real_setup(const char *model, struct pac_regs *r)
{
	pac_machine *m = model ? tm_new_model(model) : tm_new();
	tm_real(m, r, 0x7c00);
	r->rflags = 2;
	tm_real_exc_stubs(m);
	return m;
}

/* Runs a real-mode snippet; returns the exception vector taken, -1 for
 * none, -2 if the run did not end with HLT. *r gets the final state. */
static inline int real_run(pac_machine *m, struct pac_regs *r, const uint8_t *code, size_t n)
{
	enum pac_exit_reason e = tm_run(m, r, code, n, 0x7c00);
	pac_get_regs(m, 0, r);
	if (e != PAC_EXIT_HLT)
		return -2;
	return tm_real_exc_vector(m);
}

/* IP pushed by the real-mode exception (SS:SP = 0:7000 before) */
static inline uint16_t real_fault_ip(pac_machine *m)
{
	uint16_t ip = 0;
	pac_phys_read(m, 0x7000 - 6, &ip, 2);
	return ip;
}

#define RUN_OK(m, r, code) CHECK_EQ(real_run(m, r, code, sizeof code), -1, #code ": no exception")

/* the snippet faults with vector vec at offset off from its start */
static inline void expect_real_fault(const char *name, const char *model, uint64_t cr4, const uint8_t *code,
			      size_t n, int vec, unsigned off)
{
	struct pac_regs r;
	pac_machine *m = real_setup(model, &r);
	r.cr4 = cr4;
	int got = real_run(m, &r, code, n);
	CHECK(got == vec, "%s: vector %d, want %d", name, got, vec);
	if (got == vec)
		CHECK_EQ(real_fault_ip(m), 0x7c00 + off, name);
	pac_destroy(m);
}
#define REAL_FAULT(code, vec, off) expect_real_fault(#code, NULL, 0, code, sizeof code, vec, off)

/* CPL-3 snippets run at ST_CODE in flat 32-bit protected mode with the
 * standard GDT/IDT/TSS of segtest.h: every vector's handler is a HLT. */
static inline pac_machine *user_run(uint64_t cr4, const uint8_t *code, size_t n, struct pac_regs *r,
				    struct tm_events *ev)
{
	pac_machine *m = st_prot32(r);
	st_user(r);
	r->cr4 = cr4;
	tm_watch_events(m, ev);
	st_run(m, r, code, n);
	return m;
}

/* The first instruction faults with vec, delivered through the IDT; a #GP
 * pushes error code 0 on the ring-0 stack. */
static inline void expect_user_fault(const char *name, uint64_t cr4, const uint8_t *code, size_t n, int vec)
{
	struct pac_regs r;
	struct tm_events ev;
	pac_machine *m = user_run(cr4, code, n, &r, &ev);
	CHECK(ev.n >= 1 && ev.vector[0] == vec, "%s: first event %d, want %d", name, ev.vector[0], vec);
	CHECK_EQ(ev.rip[0], ST_CODE, name);
	CHECK_EQ(r.rip, st_handler(vec) + 1, name);
	if (vec == 13) {
		CHECK(ev.has_err[0] && ev.err[0] == 0, "%s: #GP(0)", name);
		CHECK_EQ(st_r32(m, r.gpr[PAC_RSP]), 0, "error code on the stack");
		CHECK_EQ(st_r32(m, r.gpr[PAC_RSP] + 4), ST_CODE, "faulting EIP on the stack");
	}
	pac_destroy(m);
}
#define USER_FAULT(code, cr4, vec) expect_user_fault(#code, cr4, code, sizeof code, vec)

/* The CPL-3 snippet runs to its final HLT, whose #GP is the first event. */
static inline void expect_user_ok(const char *name, uint64_t cr4, const uint8_t *code, size_t n)
{
	struct pac_regs r;
	struct tm_events ev;
	pac_machine *m = user_run(cr4, code, n, &r, &ev);
	CHECK(ev.n >= 1 && ev.vector[0] == 13 && ev.rip[0] == ST_CODE + n - 1,
	      "%s: runs at CPL 3 (first event %d at %#llx)", name, ev.vector[0],
	      (unsigned long long)ev.rip[0]);
	CHECK_EQ(r.rip, st_handler(13) + 1, name);
	pac_destroy(m);
}
#define USER_OK(code, cr4) expect_user_ok(#code, cr4, code, sizeof code)

/* ---- 64-bit mode: identity-mapped first 16 MiB (2 MiB pages, user
 * accessible), GDT, 64-bit IDT whose vector v handler is a HLT at
 * LM_HANDLERS + 4 * v, 64-bit TSS with RSP0. Code runs at LM_CODE. ---- */
#define LM_GDT 0x1000u
#define LM_IDT 0x4000u
#define LM_TSS 0x5000u
#define LM_HANDLERS 0x6000u
#define LM_CODE 0x10000u
#define LM_PML4 0x20000u
#define LM_PDPT 0x21000u
#define LM_PD 0x22000u

static inline void lm_w64(pac_machine *m, uint64_t a, uint64_t v) { pac_phys_write(m, a, &v, 8); }

/* legacy descriptor: base, 20-bit limit, VMCB-format attributes */
static inline uint64_t lm_desc(uint32_t base, uint32_t limit, uint16_t attr)
{
	return (limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) |
	       ((uint64_t)(attr & 0xffu) << 40) | ((uint64_t)(limit >> 16 & 0xfu) << 48) |
	       ((uint64_t)(attr >> 8 & 0xfu) << 52) | ((uint64_t)(base >> 24) << 56);
}

static inline void lm_tables(pac_machine *m)
{
	lm_w64(m, LM_PML4, LM_PDPT | 7);
	lm_w64(m, LM_PDPT, LM_PD | 7);
	for (uint64_t i = 0; i < 8; i++)
		lm_w64(m, LM_PD + 8 * i, (i << 21) | 0x87);
	lm_w64(m, LM_GDT + 0x08, lm_desc(0, 0xfffff, 0xa9b));
	lm_w64(m, LM_GDT + 0x10, lm_desc(0, 0xfffff, 0xc93));
	lm_w64(m, LM_GDT + 0x18, lm_desc(0, 0xfffff, 0xafb));
	lm_w64(m, LM_GDT + 0x20, lm_desc(0, 0xfffff, 0xcf3));
	lm_w64(m, LM_GDT + 0x28, lm_desc(LM_TSS, 0x67, 0x089));
	lm_w64(m, LM_GDT + 0x30, 0);                           /* TSS, upper half */
	lm_w64(m, LM_GDT + 0x38, lm_desc(0, 0xfffff, 0xc9b)); /* 32-bit code */
	lm_w64(m, LM_TSS + 4, 0x90000); /* RSP0 */
	for (unsigned v = 0; v < 256; v++) {
		uint32_t h = LM_HANDLERS + 4 * v;
		uint8_t hlt = 0xf4;
		pac_phys_write(m, h, &hlt, 1);
		lm_w64(m, LM_IDT + 16 * v, (h & 0xffffu) | (0x08ull << 16) | (0x8eull << 40) |
					       ((uint64_t)(h >> 16) << 48));
		lm_w64(m, LM_IDT + 16 * v + 8, 0);
	}
}

/* 64-bit mode, CPL 0 (user: CPL 3), with cr4_extra added to CR4.PAE */
static inline pac_machine *lm_setup(const char *model, struct pac_regs *r, uint64_t cr4_extra, bool user)
{
	pac_machine *m = model ? tm_new_model(model) : tm_new();
	lm_tables(m);
	pac_get_regs(m, 0, r);
	r->cr0 = 0x80000031; /* PG | NE | ET | PE */
	r->cr3 = LM_PML4;
	r->cr4 = 0x20 | cr4_extra;
	r->efer = 0xd01; /* NXE | LMA | LME | SCE */
	tm_seg(&r->seg[PAC_CS], user ? 0x1b : 0x08, user ? 0xafb : 0xa9b);
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			tm_seg(&r->seg[i], user ? 0x23 : 0x10, user ? 0xcf3 : 0xc93);
	r->gdtr = (struct pac_dtr){ LM_GDT, 0x3f };
	r->idtr = (struct pac_dtr){ LM_IDT, 0xfff };
	r->tr = (struct pac_seg){ 0x28, 0x08b, 0x67, LM_TSS };
	r->cpl = user ? 3 : 0;
	r->rip = LM_CODE;
	r->rflags = 2;
	r->gpr[PAC_RSP] = user ? 0x70000 : 0x80000;
	return m;
}

/* Runs a 64-bit snippet to HLT. Returns the first exception vector (-1:
 * none); *r gets the final state, *at the RIP of the first exception. */
static inline int lm_run(pac_machine *m, struct pac_regs *r, const uint8_t *code, size_t n, uint64_t *at)
{
	struct tm_events ev;
	tm_watch_events(m, &ev);
	tm_run(m, r, code, n, LM_CODE);
	pac_get_regs(m, 0, r);
	if (at)
		*at = ev.rip[0];
	return ev.n ? ev.vector[0] : -1;
}

/* The snippet faults with vec at offset off, delivered through the IDT. */
static inline void expect_lm_fault(const char *name, const char *model, uint64_t cr4_extra,
				   const uint8_t *code, size_t n, int vec, unsigned off)
{
	struct pac_regs r;
	uint64_t at = 0;
	pac_machine *m = lm_setup(model, &r, cr4_extra, false);
	int got = lm_run(m, &r, code, n, &at);
	CHECK(got == vec && at == LM_CODE + off, "%s: vector %d at %#llx, want %d at %#x", name, got,
	      (unsigned long long)at, vec, LM_CODE + off);
	CHECK_EQ(r.rip, LM_HANDLERS + 4u * (unsigned)vec + 1, name);
	pac_destroy(m);
}
#define LM_FAULT(code, vec) expect_lm_fault(#code, NULL, 0, code, sizeof code, vec, code##_AT)
#endif
