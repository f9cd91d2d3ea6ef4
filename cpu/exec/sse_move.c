/* SPDX-License-Identifier: MIT */
/* SSE data movement: full-register loads/stores (aligned and unaligned
 * forms, non-temporal hints), MOVSS/MOVSD, MOVQ, MOVLPx/MOVHPx/MOVHLPS/
 * MOVLHPS, MOVSLDUP/MOVSHDUP/MOVDDUP, MOVMSKPx and MOVNTI. */
#include "sse.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* MOVUPx (0F 10), MOVDQU (F3 0F 6F), LDDQU (F2 0F F0) are the unaligned forms */
static bool load_aligned(const struct insn *in)
{
	if (in->map != MAP_0F)
		return true;
	return !(in->opc == 0x10 || in->opc == 0xf0 || (in->opc == 0x6f && sse_pfx(in) == P_F3));
}

/* 0F 10/28 (NONE, 66), 66/F3 0F 6F, F2 0F F0, 66 0F 38 2A */
void op_sse_load(struct cpu *c, const struct insn *in)
{
	union xmm v;
	sse_src(c, in, &v, 16, load_aligned(in));
	*xreg(c, in->reg) = v;
}

/* 0F 11/29 (NONE, 66), 66/F3 0F 7F, 0F 2B, 66 0F E7 */
void op_sse_store(struct cpu *c, const struct insn *in)
{
	const union xmm v = *xreg(c, in->reg);
	if (!in->has_mem) {
		*xreg(c, in->rm) = v;
		return;
	}
	bool unaligned = in->opc == 0x11 || (in->opc == 0x7f && sse_pfx(in) == P_F3);
	sse_store(c, in, v.b, 16, !unaligned);
}

/* F3/F2 0F 10: MOVSS/MOVSD load; register form merges, memory zero-extends */
void op_sse_movs_load(struct cpu *c, const struct insn *in)
{
	unsigned n = sse_pfx(in) == P_F3 ? 4 : 8;
	union xmm s;
	sse_src(c, in, &s, n, false);
	if (in->has_mem)
		*xreg(c, in->reg) = s;
	else
		memcpy(xreg(c, in->reg)->b, s.b, n);
}

/* F3/F2 0F 11: MOVSS/MOVSD store */
void op_sse_movs_store(struct cpu *c, const struct insn *in)
{
	unsigned n = sse_pfx(in) == P_F3 ? 4 : 8;
	const union xmm v = *xreg(c, in->reg);
	if (in->has_mem)
		sse_store(c, in, v.b, n, false);
	else
		memcpy(xreg(c, in->rm)->b, v.b, n);
}

/* F3 0F 7E: MOVQ xmm, xmm/m64 (upper half zeroed) */
void op_sse_movq_load(struct cpu *c, const struct insn *in)
{
	union xmm s;
	sse_src(c, in, &s, 8, false);
	s.q[1] = 0;
	*xreg(c, in->reg) = s;
}

/* 66 0F D6: MOVQ xmm/m64, xmm */
void op_sse_movq_store(struct cpu *c, const struct insn *in)
{
	union xmm v = *xreg(c, in->reg);
	if (in->has_mem) {
		sse_store(c, in, v.b, 8, false);
		return;
	}
	v.q[1] = 0;
	*xreg(c, in->rm) = v;
}

/* 0F 12/16 (NONE, 66): MOVLPx/MOVHPx loads; register forms MOVHLPS/MOVLHPS */
void op_sse_movlh_load(struct cpu *c, const struct insn *in)
{
	int hi = in->opc == 0x16;
	union xmm *d = xreg(c, in->reg);
	if (!in->has_mem) {
		d->q[hi] = xreg(c, in->rm)->q[!hi];
		return;
	}
	union xmm s;
	sse_src(c, in, &s, 8, false);
	d->q[hi] = s.q[0];
}

/* 0F 13/17 (NONE, 66): MOVLPx/MOVHPx stores (memory only) */
void op_sse_movlh_store(struct cpu *c, const struct insn *in)
{
	uint64_t v = xreg(c, in->reg)->q[in->opc == 0x17];
	sse_store(c, in, &v, 8, false);
}

/* F3 0F 12 MOVSLDUP, F3 0F 16 MOVSHDUP, F2 0F 12 MOVDDUP (m64) */
void op_sse_dup(struct cpu *c, const struct insn *in)
{
	union xmm s, d;
	if (sse_pfx(in) == P_F2) {
		sse_src(c, in, &s, 8, false);
		d.q[0] = d.q[1] = s.q[0];
	} else {
		sse_src(c, in, &s, 16, true);
		int odd = in->opc == 0x16;
		d.d[0] = d.d[1] = s.d[odd];
		d.d[2] = d.d[3] = s.d[2 + odd];
	}
	*xreg(c, in->reg) = d;
}

/* 0F 50: MOVMSKPS / 66 0F 50: MOVMSKPD -> r32 (zero-extended) */
void op_sse_movmsk(struct cpu *c, const struct insn *in)
{
	const union xmm *s = xreg(c, in->rm);
	uint32_t m = 0;
	if (sse_pfx(in) == P_66)
		m = (uint32_t)(s->q[0] >> 63) | (uint32_t)(s->q[1] >> 63) << 1;
	else
		for (int i = 0; i < 4; i++)
			m |= (s->d[i] >> 31) << i;
	reg_write(c, in->reg, 4, false, m);
}

/* 0F C3: MOVNTI m32/m64, r */
void op_sse_movnti(struct cpu *c, const struct insn *in)
{
	unsigned n = sse_rexw(in) ? 8 : 4;
	mem_write(c, in->seg, ea_offset(c, in), n, reg_read(c, in->reg, (int)n, false));
}
