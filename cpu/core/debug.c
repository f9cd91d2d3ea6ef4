/* SPDX-License-Identifier: MIT */
/* Debug breakpoints and debug traps (APM vol. 2, 13.1.1 debug registers,
 * 13.1.2 breakpoint conditions, 8.5 priorities). DR7: Ln/Gn enables in bits
 * 2n/2n+1, R/Wn in bits 16+4n (00 execute, 01 write, 10 I/O with CR4.DE,
 * 11 read/write), LENn in bits 18+4n (00 1, 01 2, 10 8, 11 4 bytes). */
#include "debug.h"
#include "exec.h"
#include "fault.h"
#include "../decode/insn.h"
#include "../exec/handlers.h"

static unsigned bp_rw(const struct cpu *c, int n) { return (unsigned)(c->dr[7] >> (16 + 4 * n)) & 3; }

static uint64_t bp_len(const struct cpu *c, int n)
{
	static const uint8_t len[4] = { 1, 2, 8, 4 };
	return len[(c->dr[7] >> (18 + 4 * n)) & 3];
}

static bool bp_enabled(const struct cpu *c, int n) { return (c->dr[7] >> (2 * n)) & 3; }

/* Does [a, a+size) overlap breakpoint n's range? The range is DRn with its
 * low bits masked to the length (APM 13.1.1.5: DRn must be aligned). */
static bool bp_overlaps(const struct cpu *c, int n, uint64_t a, uint64_t size)
{
	uint64_t len = bp_len(c, n), start = c->dr[n] & ~(len - 1);
	return a <= start + len - 1 && start <= a + size - 1;
}

MAYFAULT void dbg_insn_start(struct cpu *c)
{
	uint8_t data = 0, io = 0, exec_hit = 0;
	uint64_t lip = c->seg[SEG_CS].base + c->rip;
	if (c->mode != MODE_LONG)
		lip = (uint32_t)lip;
	for (int n = 0; n < 4; n++) {
		if (!bp_enabled(c, n))
			continue;
		switch (bp_rw(c, n)) {
		case 0: /* instruction: LEN must be 00, the first byte matches */
			if (c->dr[n] == lip)
				exec_hit |= DR6_B(n);
			break;
		case 2:
			if (c->cr4 & CR4_DE)
				io |= DR6_B(n);
			break;
		default:
			data |= DR6_B(n);
			break;
		}
	}
	c->dbg_data = data;
	c->dbg_io = io;
	/* instruction breakpoints are faults before the instruction; RF = 1
	 * suppresses them for one instruction (APM 13.1.3.6) */
	if (exec_hit && !(c->rflags & FL_RF)) {
		c->dr[6] |= exec_hit;
		raise_exc(c, EXC_DB);
	}
}

void dbg_data_access(struct cpu *c, uint64_t gla, unsigned size, unsigned acc)
{
	for (int n = 0; n < 4; n++) {
		if (!(c->dbg_data & DR6_B(n)))
			continue;
		if (bp_rw(c, n) == 1 && !(acc & ACC_W))
			continue; /* write-only breakpoint, read access */
		if (bp_overlaps(c, n, gla, size))
			c->dbg_pending |= DR6_B(n);
	}
}

void dbg_io_access(struct cpu *c, uint16_t port, unsigned size)
{
	for (int n = 0; n < 4; n++)
		if ((c->dbg_io & DR6_B(n)) && bp_overlaps(c, n, port, size))
			c->dbg_pending |= DR6_B(n);
}

/* MOV SS and POP SS hold debug traps until the next instruction completes
 * (APM 13.1.3.3, 8.5): single-step and data breakpoints on them. */
static bool sets_ss_shadow(const struct insn *ip)
{
	if (!ip->row)
		return false;
	if (ip->row->exec == op_mov_sreg_E)
		return (ip->reg & 7) == SEG_SS;
	return ip->row->exec == op_pop_sreg && ip->opc == 0x17;
}

void dbg_retire(struct cpu *c, const struct insn *ip)
{
	uint32_t bits = c->dbg_pending;
	c->dbg_pending = 0;
	if (c->saved_rflags & FL_TF)
		bits |= DR6_BS;
	if (c->dbg_deferred) {
		/* held by the instruction just before this one only; dropped if
		 * that one was followed by a fault or an event instead */
		if (c->dbg_deferred_at + 1 == c->icount && c->dbg_deferred_rip == c->saved_rip)
			bits |= c->dbg_deferred;
		c->dbg_deferred = 0;
	}
	if (!bits)
		return;
	if (sets_ss_shadow(ip)) {
		c->dbg_deferred = bits;
		c->dbg_deferred_at = c->icount;
		c->dbg_deferred_rip = c->rip;
		return;
	}
	/* one #DB reports every trap condition of the instruction (APM 8.5) */
	c->dr[6] |= bits;
	struct event ev = { .vector = EXC_DB, .kind = EV_TRAP };
	c->stats.exceptions[EXC_DB]++;
	deliver_event(c, &ev);
}
