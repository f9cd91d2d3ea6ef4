/* SPDX-License-Identifier: MIT */
/* String instructions MOVS CMPS STOS LODS SCAS INS OUTS with REP/REPE/REPNE
 * in every address size (APM vol. 3, "Repeat Prefixes"). The counter is
 * CX/ECX/RCX and the pointers SI/DI/ESI/EDI/RSI/RDI by address size; the
 * source segment may be overridden, the destination is always ES:rDI.
 *
 * A repeated instruction runs at most STR_BUDGET iterations per cpu_step
 * (one if RFLAGS.TF is set, so single-step traps every iteration); if the
 * count is not exhausted RIP stays on the instruction so interrupts are
 * taken between iterations and the instruction then resumes. After each
 * completed iteration cpu_commit_iteration() makes the new rCX/rSI/rDI and
 * flags survive a fault in a later iteration (see cpu/core/step.c). */
#include "handlers.h"
#include "iopl.h"
#include "../core/exec.h"
#include "../core/flags.h"
#include "../mmu/mmu.h"

#define STR_BUDGET 4096

struct strop {
	int sz, asz;
	uint64_t amask;
	uint64_t delta; /* +sz or -sz (two's complement) */
};

typedef bool (*iter_fn)(struct cpu *c, const struct insn *in, const struct strop *s);

static uint64_t ptr(const struct cpu *c, const struct strop *s, int r) { return c->gpr[r] & s->amask; }

static void advance(struct cpu *c, const struct strop *s, int r)
{
	reg_write(c, r, s->asz, false, (c->gpr[r] + s->delta) & s->amask);
}

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
	unsigned budget = (c->rflags & FL_TF) ? 1 : STR_BUDGET;
	for (unsigned i = 0; i < budget; i++) {
		uint64_t cnt = reg_read(c, 1, s.asz, false);
		if (!cnt)
			return;
		bool more = fn(c, in, &s);
		reg_write(c, 1, s.asz, false, cnt - 1);
		if (cnt == 1 || (conditional && !more))
			return;
		cpu_commit_iteration(c);
	}
	c->rip = c->saved_rip; /* not finished: resume at this instruction */
}

void op_movs(struct cpu *c, const struct insn *in) { string_run(c, in, it_movs, false); }
void op_cmps(struct cpu *c, const struct insn *in) { string_run(c, in, it_cmps, true); }
void op_stos(struct cpu *c, const struct insn *in) { string_run(c, in, it_stos, false); }
void op_lods(struct cpu *c, const struct insn *in) { string_run(c, in, it_lods, false); }
void op_scas(struct cpu *c, const struct insn *in) { string_run(c, in, it_scas, true); }
void op_ins(struct cpu *c, const struct insn *in) { string_run(c, in, it_ins, false); }
void op_outs(struct cpu *c, const struct insn *in) { string_run(c, in, it_outs, false); }
