/* SPDX-License-Identifier: MIT */
/* Decimal adjust (DAA DAS AAA AAS AAM AAD), SALC, LAHF/SAHF and XLAT
 * (APM vol. 3). The BCD rows are #UD in 64-bit mode (F_NO64).
 *
 * Undefined flags (marked in the rows), APPROX (not measured on AMD):
 * DAA/DAS OF = 0; AAA/AAS SF ZF PF from the final AL, OF = 0; AAM OF AF CF
 * = 0; AAD OF AF CF from the 8-bit addition AL + AH*imm8. */
#include "handlers.h"
#include "../core/flags.h"
#include "../core/fault.h"
#include "../cpuid/cpuid.h"
#include "../mmu/mmu.h"

static uint8_t al(const struct cpu *c) { return (uint8_t)c->gpr[0]; }
static void set_al(struct cpu *c, uint8_t v) { reg_write(c, 0, 1, false, v); }

/* DAA/DAS per the APM pseudocode: adjust the low nibble, then the high */
void op_daa_das(struct cpu *c, const struct insn *in)
{
	bool sub = in->opc == 0x2f;
	uint8_t old = al(c), a = old;
	bool old_cf = c->rflags & FL_CF, af = false, borrow = false;
	if ((a & 0x0f) > 9 || (c->rflags & FL_AF)) {
		borrow = sub && a < 6;
		a = (uint8_t)(sub ? a - 6 : a + 6);
		af = true;
	}
	/* DAA: the carry of the first step is replaced by the second. DAS: a
	 * borrow out of AL - 6 survives (SDM DAS pseudocode; the same on the
	 * silicon tests/diff compares against: AL=03h AF=1 CF=0 gives CF=1) */
	bool cf = old > 0x99 || old_cf;
	if (cf)
		a = (uint8_t)(sub ? a - 0x60 : a + 0x60);
	cf = cf || borrow;
	set_al(c, a);
	set_arith(c, fl_szp(a, 1) | (cf ? FL_CF : 0) | (af ? FL_AF : 0));
}

/* AAA/AAS: AX +/- 0x106 when the low nibble needs adjusting */
void op_aaa_aas(struct cpu *c, const struct insn *in)
{
	bool sub = in->opc == 0x3f;
	uint16_t ax = (uint16_t)c->gpr[0];
	bool adj = (ax & 0x0f) > 9 || (c->rflags & FL_AF);
	if (adj)
		ax = (uint16_t)(sub ? ax - 0x106 : ax + 0x106);
	ax &= 0xff0f;
	reg_write(c, 0, 2, false, ax);
	set_arith(c, fl_szp(ax & 0xff, 1) | (adj ? FL_CF | FL_AF : 0));
}

void op_aam(struct cpu *c, const struct insn *in)
{
	uint8_t base = (uint8_t)in->imm, a = al(c);
	if (!base)
		raise_exc(c, EXC_DE);
	uint8_t q = (uint8_t)(a / base), r = (uint8_t)(a % base);
	reg_write(c, 0, 2, false, ((uint16_t)q << 8) | r);
	set_arith(c, fl_szp(r, 1));
}

void op_aad(struct cpu *c, const struct insn *in)
{
	uint8_t a = al(c), p = (uint8_t)(((c->gpr[0] >> 8) & 0xff) * (in->imm & 0xff));
	uint8_t r = (uint8_t)(a + p);
	reg_write(c, 0, 2, false, r);
	set_arith(c, fl_add(a, p, 0, r, 1));
}

/* SALC (D6, undocumented by Intel, listed as #UD in 64-bit mode by AMD):
 * AL = CF ? FF : 00 */
void op_salc(struct cpu *c, const struct insn *in)
{
	(void)in;
	set_al(c, (c->rflags & FL_CF) ? 0xff : 0);
}

/* LAHF/SAHF: in 64-bit mode only with CPUID 8000_0001 ECX.LahfSahf */
void op_lahf_sahf(struct cpu *c, const struct insn *in)
{
	const uint64_t m = FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF;
	if (in_long64(c) && !cpu_has(c, FEAT_LAHF64))
		raise_ud(c);
	if (in->opc == 0x9f)
		reg_write(c, 4, 1, true, (c->rflags & m) | FL_FIX1);
	else
		c->rflags = (c->rflags & ~m) | ((c->gpr[0] >> 8) & m);
}

/* XLAT: AL = [seg:rBX + AL] with the address size */
void op_xlat(struct cpu *c, const struct insn *in)
{
	uint64_t off = (c->gpr[3] + al(c)) & size_mask(in->addrsize);
	set_al(c, (uint8_t)mem_read(c, in->seg, off, 1));
}
