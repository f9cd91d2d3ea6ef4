/* SPDX-License-Identifier: MIT */
/* MOV to/from DR0-DR7 (APM vol. 3 "MOV DRn"; APM vol. 2 13.1.1). */
#include "handlers.h"
#include "../core/fault.h"

#define DR6_BD (1ull << 13)
#define DR7_GD (1ull << 13)
/* AMD: DR6 bits 31:16 and 11:4 read as 1, bit 12 reads as 0;
 * DR7 bit 10 reads as 1, bits 11, 12, 14 and 15 read as 0. */
#define DR6_FIXED1 0xffff0ff0ull
#define DR6_WRITABLE 0xe00full
#define DR7_FIXED1 0x400ull
#define DR7_WRITABLE 0xffff23ffull

/* The debug register a MOV DRn names, after the #UD and #DB checks
 * (CPL 0 was checked by the row). DR4/DR5 alias DR6/DR7 unless CR4.DE. */
static MAYFAULT int dr_number(struct cpu *c, const struct insn *in)
{
	int n = in->reg;
	if (n > 7)
		raise_ud(c);
	if (n == 4 || n == 5) {
		if (c->cr4 & CR4_DE)
			raise_ud(c);
		n += 2;
	}
	if (c->dr[7] & DR7_GD) {
		/* general detect: fault with DR6.BD; GD is cleared so the
		 * handler can use the debug registers (APM 13.1.1.6) */
		c->dr[6] |= DR6_BD;
		c->dr[7] &= ~DR7_GD;
		raise_exc(c, EXC_DB);
	}
	return n;
}

static int crdr_bytes(const struct insn *in) { return in->mode64 ? 8 : 4; }

void op_mov_r_dr(struct cpu *c, const struct insn *in)
{
	int n = dr_number(c, in);
	reg_write(c, in->rm, crdr_bytes(in), false, c->dr[n]);
}

void op_mov_dr_r(struct cpu *c, const struct insn *in)
{
	int n = dr_number(c, in);
	uint64_t v = reg_read(c, in->rm, crdr_bytes(in), false);
	if (n == 6 || n == 7) {
		if (v >> 32)
			raise_gp0(c); /* DR6/DR7 bits 63:32 MBZ (64-bit mode) */
		v = n == 6 ? (v & DR6_WRITABLE) | DR6_FIXED1 : (v & DR7_WRITABLE) | DR7_FIXED1;
	}
	/* breakpoints take effect from the next instruction (cpu/core/debug.c) */
	c->dr[n] = v;
}
