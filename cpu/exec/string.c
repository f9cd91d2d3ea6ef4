/* SPDX-License-Identifier: MIT */
/* String instructions MOVS CMPS STOS LODS SCAS INS OUTS with REP/REPE/REPNE
 * in every address size (APM vol. 3, "Repeat Prefixes"). The counter is
 * CX/ECX/RCX and the pointers SI/DI/ESI/EDI/RSI/RDI by address size; the
 * source segment may be overridden, the destination is always ES:rDI.
 *
 * A repeated instruction runs at most STR_BUDGET iterations per cpu_step
 * (one if RFLAGS.TF is set, so single-step traps every iteration; runs of
 * MOVS/STOS inside one RAM page go through str_fast()); if the
 * count is not exhausted RIP stays on the instruction so interrupts are
 * taken between iterations and the instruction then resumes. After each
 * completed iteration commit() makes the new rAX/rCX/rSI/rDI and flags
 * survive a fault in a later iteration (the commit point described at
 * rollback() in cpu/core/step.c). Each iteration costs one virtual cycle. */
#include "handlers.h"
#include "iopl.h"
#include "string.h"
#include "../core/flags.h"
#include "../mmu/mmu.h"

#define STR_BUDGET 4096
#define STR_FAST_MIN 16 /* below this many iterations the fast path does not pay */

typedef bool (*iter_fn)(struct cpu *c, const struct insn *in, const struct strop *s);

static uint64_t ptr(const struct cpu *c, const struct strop *s, int r) { return c->gpr[r] & s->amask; }

static void advance_n(struct cpu *c, const struct strop *s, int r, uint64_t n)
{
	reg_write(c, r, s->asz, false, (c->gpr[r] + n * s->delta) & s->amask);
}

static void advance(struct cpu *c, const struct strop *s, int r) { advance_n(c, s, r, 1); }

static bool it_movs(struct cpu *c, const struct insn *in, const struct strop *s)
{
	uint64_t v = mem_read(c, in->seg, ptr(c, s, 6), (unsigned)s->sz);
	mem_write(c, SEG_ES, ptr(c, s, 7), (unsigned)s->sz, v);
	advance(c, s, 6);
	advance(c, s, 7);
	return true;
}

/* REPE continues while ZF = 1, REPNE while ZF = 0 */
static bool rep_cond(const struct cpu *c, const struct insn *in)
{
	return (in->rep == 0xF3) == !!(c->rflags & FL_ZF);
}

static bool it_cmps(struct cpu *c, const struct insn *in, const struct strop *s)
{
	uint64_t a = mem_read(c, in->seg, ptr(c, s, 6), (unsigned)s->sz);
	uint64_t b = mem_read(c, SEG_ES, ptr(c, s, 7), (unsigned)s->sz);
	set_arith(c, fl_sub(a, b, 0, a - b, s->sz));
	advance(c, s, 6);
	advance(c, s, 7);
	return rep_cond(c, in);
}

static bool it_stos(struct cpu *c, const struct insn *in, const struct strop *s)
{
	(void)in;
	mem_write(c, SEG_ES, ptr(c, s, 7), (unsigned)s->sz, c->gpr[0]);
	advance(c, s, 7);
	return true;
}

static bool it_lods(struct cpu *c, const struct insn *in, const struct strop *s)
{
	reg_write(c, 0, s->sz, false, mem_read(c, in->seg, ptr(c, s, 6), (unsigned)s->sz));
	advance(c, s, 6);
	return true;
}

static bool it_scas(struct cpu *c, const struct insn *in, const struct strop *s)
{
	uint64_t a = reg_read(c, 0, s->sz, false);
	uint64_t b = mem_read(c, SEG_ES, ptr(c, s, 7), (unsigned)s->sz);
	set_arith(c, fl_sub(a, b, 0, a - b, s->sz));
	advance(c, s, 7);
	return rep_cond(c, in);
}

/* INS: the destination is probed before the port is read so a faulting
 * store does not lose a port read. */
static bool it_ins(struct cpu *c, const struct insn *in, const struct strop *s)
{
	(void)in;
	uint16_t port = (uint16_t)c->gpr[2];
	io_check(c, port, s->sz);
	mem_probe_write(c, SEG_ES, ptr(c, s, 7), (unsigned)s->sz);
	uint32_t v = port_in(c->m, port, s->sz);
	mem_write(c, SEG_ES, ptr(c, s, 7), (unsigned)s->sz, v);
	advance(c, s, 7);
	return true;
}

static bool it_outs(struct cpu *c, const struct insn *in, const struct strop *s)
{
	uint16_t port = (uint16_t)c->gpr[2];
	io_check(c, port, s->sz);
	uint64_t v = mem_read(c, in->seg, ptr(c, s, 6), (unsigned)s->sz);
	port_out(c->m, port, s->sz, (uint32_t)v);
	advance(c, s, 6);
	return true;
}

/* String instructions change only rAX, rCX, rSI, rDI and RFLAGS: make them
 * the rollback state (cheaper than copying every register per iteration). */
static inline void commit(struct cpu *c)
{
	c->saved_gpr[0] = c->gpr[0];
	c->saved_gpr[1] = c->gpr[1];
	c->saved_gpr[6] = c->gpr[6];
	c->saved_gpr[7] = c->gpr[7];
	c->saved_rflags = c->rflags;
}

/* One part of a REP: a fast run of MOVS/STOS or a single iteration, at most
 * room iterations. Returns true when the instruction is finished. */
static bool rep_part(struct cpu *c, const struct insn *in, iter_fn fn, const struct strop *s,
		     bool conditional, unsigned room, unsigned *iters)
{
	uint64_t cnt = reg_read(c, 1, s->asz, false), k = 0;
	bool stop = false;
	if (!cnt)
		return true;
	if ((fn == it_movs || fn == it_stos) && cnt >= STR_FAST_MIN && room >= STR_FAST_MIN)
		k = str_fast(c, in, s, fn == it_movs, cnt < room ? cnt : room);
	if (k) {
		if (fn == it_movs)
			advance_n(c, s, 6, k);
		advance_n(c, s, 7, k);
	} else {
		k = 1;
		stop = !fn(c, in, s) && conditional;
	}
	*iters += (unsigned)k;
	reg_write(c, 1, s->asz, false, cnt - k);
	return stop || cnt == k;
}

static void string_run(struct cpu *c, const struct insn *in, iter_fn fn, bool conditional)
{
	struct strop s;
	s.sz = in->opsize > 4 && (in->opc & 0xfc) == 0x6c ? 4 : in->opsize;
	s.asz = in->addrsize;
	s.amask = size_mask(s.asz);
	s.delta = (c->rflags & FL_DF) ? 0 - (uint64_t)s.sz : (uint64_t)s.sz;
	if (!in->rep) {
		fn(c, in, &s);
		return;
	}
	unsigned budget = ((c->rflags & FL_TF) || c->dbg_data) ? 1 : STR_BUDGET, i = 0;
	bool done = false;
	while (!done && i < budget) {
		done = rep_part(c, in, fn, &s, conditional, budget - i, &i);
		if (!done)
			commit(c);
	}
	if (!done)
		c->rip = c->saved_rip; /* not finished: resume at this instruction */
	/* virtual time: one cycle per iteration (retire adds the first) */
	if (i > 1)
		c->cycles += i - 1;
}

void op_movs(struct cpu *c, const struct insn *in) { string_run(c, in, it_movs, false); }
void op_cmps(struct cpu *c, const struct insn *in) { string_run(c, in, it_cmps, true); }
void op_stos(struct cpu *c, const struct insn *in) { string_run(c, in, it_stos, false); }
void op_lods(struct cpu *c, const struct insn *in) { string_run(c, in, it_lods, false); }
void op_scas(struct cpu *c, const struct insn *in) { string_run(c, in, it_scas, true); }
void op_ins(struct cpu *c, const struct insn *in) { string_run(c, in, it_ins, false); }
void op_outs(struct cpu *c, const struct insn *in) { string_run(c, in, it_outs, false); }
