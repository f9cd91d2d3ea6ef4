/* SPDX-License-Identifier: MIT */
/* Floating-point bitwise ops, shuffles, unpacks, blends, INSERTPS and
 * EXTRACTPS (SSE, SSE2, SSE4.1). */
#include "sse.h"
#include "../mmu/mmu.h"

/* 0F 54-57 (NONE, 66): ANDPx, ANDNPx, ORPx, XORPx */
void op_sse_logic(struct cpu *c, const struct insn *in)
{
	union xmm s, *d = xreg(c, in->reg);
	sse_src(c, in, &s, 16, true);
	for (int i = 0; i < 2; i++) {
		switch (in->opc) {
		case 0x54: d->q[i] &= s.q[i]; break;
		case 0x55: d->q[i] = ~d->q[i] & s.q[i]; break;
		case 0x56: d->q[i] |= s.q[i]; break;
		default: d->q[i] ^= s.q[i]; break;
		}
	}
}

/* 0F C6 ib: SHUFPS / SHUFPD */
void op_sse_shuf(struct cpu *c, const struct insn *in)
{
	union xmm s, d = *xreg(c, in->reg), r;
	sse_src(c, in, &s, 16, true);
	unsigned imm = (unsigned)in->imm;
	if (sse_pfx(in) == P_66) {
		r.q[0] = d.q[imm & 1];
		r.q[1] = s.q[(imm >> 1) & 1];
	} else {
		r.d[0] = d.d[imm & 3];
		r.d[1] = d.d[(imm >> 2) & 3];
		r.d[2] = s.d[(imm >> 4) & 3];
		r.d[3] = s.d[(imm >> 6) & 3];
	}
	*xreg(c, in->reg) = r;
}

/* 0F 14/15: UNPCKLPx / UNPCKHPx */
void op_sse_unpck(struct cpu *c, const struct insn *in)
{
	union xmm s, d = *xreg(c, in->reg), r;
	sse_src(c, in, &s, 16, true);
	int h = in->opc == 0x15;
	if (sse_pfx(in) == P_66) {
		r.q[0] = d.q[h];
		r.q[1] = s.q[h];
	} else {
		r.d[0] = d.d[2 * h];
		r.d[1] = s.d[2 * h];
		r.d[2] = d.d[2 * h + 1];
		r.d[3] = s.d[2 * h + 1];
	}
	*xreg(c, in->reg) = r;
}

/* 66 0F 3A 0C/0D ib: BLENDPS/BLENDPD; 66 0F 38 14/15: BLENDVPS/BLENDVPD
 * (selector: sign bits of XMM0) */
void op_sse_blend(struct cpu *c, const struct insn *in)
{
	union xmm s, *d = xreg(c, in->reg);
	sse_src(c, in, &s, 16, true);
	bool dbl = (in->opc & 1) != 0;
	bool var = in->map == MAP_0F38;
	const union xmm *m = xreg(c, 0);
	for (int i = 0; i < (dbl ? 2 : 4); i++) {
		bool take = var ? (dbl ? m->q[i] >> 63 : m->d[i] >> 31) : (in->imm >> i) & 1;
		if (!take)
			continue;
		if (dbl)
			d->q[i] = s.q[i];
		else
			d->d[i] = s.d[i];
	}
}

/* 66 0F 3A 21 ib: INSERTPS; source element imm[7:6] (register) or m32,
 * destination imm[5:4], zero mask imm[3:0] */
void op_sse_insertps(struct cpu *c, const struct insn *in)
{
	unsigned imm = (unsigned)in->imm;
	union xmm s;
	sse_src(c, in, &s, 4, false);
	uint32_t v = in->has_mem ? s.d[0] : s.d[(imm >> 6) & 3];
	union xmm *d = xreg(c, in->reg);
	d->d[(imm >> 4) & 3] = v;
	for (int i = 0; i < 4; i++)
		if (imm & (1u << i))
			d->d[i] = 0;
}

/* 66 0F 3A 17 ib: EXTRACTPS r/m32, xmm */
void op_sse_extractps(struct cpu *c, const struct insn *in)
{
	uint32_t v = xreg(c, in->reg)->d[in->imm & 3];
	if (in->has_mem)
		mem_write(c, in->seg, ea_offset(c, in), 4, v);
	else
		reg_write(c, in->rm, 4, false, v);
}
