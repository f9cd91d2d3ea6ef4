/* SPDX-License-Identifier: MIT */
/* Harness for the integer-instruction tests (test_int_*.c):
 *  - emu_run(): runs a code snippet (terminated by HLT) in 16-bit real,
 *    flat 32-bit protected or 64-bit mode and returns the registers and the
 *    first exception vector seen (-1 if none). 64-bit mode is entered as
 *    CR0.PE + EFER.LMA + CS.L with CR0.PG = 0, i.e. identity translation:
 *    not an architectural state, but it lets the 64-bit decode/execute paths
 *    be tested before paging exists; memory accesses are then physical.
 *  - native_run(): runs the same instruction bytes on the host CPU (x86-64)
 *    from a small generated stub, as an oracle for results and flags. */
#ifndef PAC_INT_HARNESS_H
#define PAC_INT_HARNESS_H
#include <sys/mman.h>
#include "test.h"
#include "machine_helpers.h"
#include "decode/insn.h"

/* rax rcx rdx rbx rsp rbp rsi rdi (rsp not used by native_run), rflags */
struct xr {
	uint64_t g[8];
	uint64_t fl;
};

#define CODE_AT 0x1000u
#define ARITH 0x8d5u /* CF PF AF ZF SF OF */

struct ev_rec {
	pac_machine *m;
	int vector;
	uint64_t rip;
	struct pac_regs regs; /* registers when the first event was delivered */
};

static void ev_hook(void *ctx, int cpu, int vector, bool is_int, bool has_err, uint32_t err,
		    uint64_t rip)
{
	struct ev_rec *e = ctx;
	(void)cpu; (void)is_int; (void)has_err; (void)err;
	if (e->vector < 0) {
		e->vector = vector;
		e->rip = rip;
		pac_get_regs(e->m, 0, &e->regs);
	}
	pac_request_stop(e->m, 1);
}

/* Shared machine (re-used across runs so tests stay fast). */
static pac_machine *emu_m;
static struct ev_rec emu_ev;
static const struct pac_hooks emu_hooks = { .event = ev_hook };

static inline pac_machine *emu_machine(void)
{
	if (!emu_m) {
		emu_m = tm_new();
		emu_ev.m = emu_m;
		pac_set_hooks(emu_m, &emu_hooks, &emu_ev);
	}
	return emu_m;
}

static inline void emu_mode_regs(pac_machine *m, struct pac_regs *r, int bits)
{
	if (bits == 16) {
		tm_real(m, r, CODE_AT);
		r->cr0 = 0x10;
		r->efer = 0;
		return;
	}
	tm_prot32(m, r, CODE_AT);
	r->efer = 0;
	if (bits == 64) {
		r->efer = 0x500; /* LME | LMA */
		r->seg[PAC_CS].attr = 0xa9b; /* L = 1, D = 0 */
	}
}

/* Optional adjustment of the register state before a run (segments, DF...) */
static void (*emu_tweak)(struct pac_regs *r);

/* Runs code (must end in HLT) with io as input and output registers.
 * Returns the exception vector delivered (-1: none); *reason gets the exit. */
static inline int emu_run_n(int bits, const void *code, size_t len, struct xr *io, uint64_t max_insns,
		     enum pac_exit_reason *reason)
{
	pac_machine *m = emu_machine();
	struct pac_regs r;
	struct pac_exit ex;
	emu_mode_regs(m, &r, bits);
	for (int i = 0; i < 8; i++)
		if (i != 4)
			r.gpr[i] = io->g[i];
	if (io->g[4])
		r.gpr[4] = io->g[4];
	r.rflags = (io->fl & 0xcd5) | 2;
	if (emu_tweak)
		emu_tweak(&r);
	emu_ev.vector = -1;
	pac_phys_write(m, CODE_AT, code, len);
	pac_set_regs(m, 0, &r);
	pac_run(m, max_insns, &ex);
	pac_get_regs(m, 0, &r);
	for (int i = 0; i < 8; i++)
		io->g[i] = r.gpr[i];
	io->fl = r.rflags;
	if (reason)
		*reason = ex.reason;
	return emu_ev.vector;
}

static inline int emu_run(int bits, const void *code, size_t len, struct xr *io)
{
	return emu_run_n(bits, code, len, io, 1000000, NULL);
}

/* ---- native oracle ---- */
static uint8_t *native_page;

static inline void native_run(const uint8_t *insn, size_t len, struct xr *io)
{
	static const uint8_t pro[] = {
		0x53, 0x55, 0x49, 0x89, 0xfb,           /* push rbx; push rbp; mov r11, rdi */
		0x49, 0x8b, 0x03, 0x49, 0x8b, 0x4b, 0x08, /* mov rax,[r11]; mov rcx,[r11+8] */
		0x49, 0x8b, 0x53, 0x10, 0x49, 0x8b, 0x5b, 0x18, /* rdx, rbx */
		0x49, 0x8b, 0x6b, 0x28, 0x49, 0x8b, 0x73, 0x30, /* rbp, rsi */
		0x41, 0xff, 0x73, 0x40, 0x9d,           /* push [r11+64]; popfq */
		0x49, 0x8b, 0x7b, 0x38,                 /* mov rdi,[r11+56] */
	};
	static const uint8_t epi[] = {
		0x9c, 0x41, 0x8f, 0x43, 0x40,           /* pushfq; pop [r11+64] */
		0x49, 0x89, 0x03, 0x49, 0x89, 0x4b, 0x08, 0x49, 0x89, 0x53, 0x10,
		0x49, 0x89, 0x5b, 0x18, 0x49, 0x89, 0x6b, 0x28, 0x49, 0x89, 0x73, 0x30,
		0x49, 0x89, 0x7b, 0x38, 0x5d, 0x5b, 0xc3,
	};
	if (!native_page) {
		native_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (native_page == MAP_FAILED) {
			printf("not ok - mmap for native oracle failed\n");
			exit(1);
		}
	}
	size_t n = 0;
	memcpy(native_page, pro, sizeof pro);
	n += sizeof pro;
	memcpy(native_page + n, insn, len);
	n += len;
	memcpy(native_page + n, epi, sizeof epi);
	uint64_t buf[9];
	memcpy(buf, io->g, 64);
	buf[8] = (io->fl & 0xcd5) | 2;
	void (*fn)(uint64_t *) = (void (*)(uint64_t *))(uintptr_t)native_page;
	fn(buf);
	memcpy(io->g, buf, 64);
	io->fl = buf[8];
}

/* undefined-flag mask of the row that decodes these bytes in 64-bit mode */
static inline uint32_t row_undef(const uint8_t *insn, size_t len, int bits)
{
	struct insn in;
	if (!decode_bytes(insn, len, bits, &in) || !in.row)
		return 0;
	return in.row->undef;
}

/* deterministic test inputs */
static uint64_t t_rng = 0x1234567887654321ull;
static inline uint64_t trand(void)
{
	t_rng ^= t_rng << 13;
	t_rng ^= t_rng >> 7;
	t_rng ^= t_rng << 17;
	return t_rng;
}
/* interesting values: random, small, boundary */
static inline uint64_t tval(unsigned i)
{
	static const uint64_t special[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
		0xffffffff, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, 0x100, 0xfffffffe,
	};
	if (i < sizeof special / sizeof special[0])
		return special[i];
	return trand() >> (trand() & 63);
}
#endif
